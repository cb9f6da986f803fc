//! Reading a file and checking it as a LayoutDto: the layout's JSON, or every error with
//! its place.

use std::io::{Read, Write};

use layout_core::document::DocKind;
use layout_core::json::{check_json_located_as, parse_json, ReadError};
use layout_core::LayoutDto;
use serde_json::Value;

use crate::report::Report;

/// The outcome for one file.
pub enum Outcome {
    Valid(Value),
    Invalid(Vec<Report>),
    Unreadable(Report),
}

/// A file's text, or standard input for `-`.
pub fn read(file: &str) -> Result<String, std::io::Error> {
    if file == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(file)
    }
}

/// Checks a file as a layout of `kind`, or of the kind its top-level keys say; gives the
/// kind it was checked as (none when it could not be read or told).
pub fn check_file(file: &str, kind: Option<DocKind>) -> (Outcome, Option<DocKind>) {
    let text = match read(file) {
        Ok(t) => t,
        Err(e) => {
            let report = Report::file(file, "unreadable", format!("cannot read the file: {e}"));
            return (Outcome::Unreadable(report), None);
        }
    };
    // editors on Windows may start UTF-8 files with a byte order mark; JSON has none
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let syntax = |e: serde_json::Error| Report {
        line: Some(e.line()),
        column: Some(e.column().max(1)),
        ..Report::file(file, "not-json", format!("not valid JSON: {e}"))
    };
    let kind = match kind {
        Some(kind) => kind,
        None => match parse_json(text) {
            Err(e) => return (Outcome::Unreadable(syntax(e)), None),
            Ok((value, _)) => match DocKind::detect(&value) {
                Ok(kind) => kind,
                Err(ambiguous) => {
                    let report = Report {
                        help: Some("--kind widget checks it as a widget's built-in interface, --kind blocks as a content-block set".into()),
                        ..Report::file(file, "kind-ambiguous", ambiguous.to_string())
                    };
                    return (Outcome::Unreadable(report), None);
                }
            },
        },
    };
    let outcome = match check_json_located_as(text, kind.root()) {
        Ok(value) => Outcome::Valid(value),
        Err((ReadError::Syntax(e), _)) => Outcome::Unreadable(syntax(e)),
        Err((ReadError::Invalid(violations), places)) => Outcome::Invalid(
            violations
                .iter()
                .zip(places)
                .map(|(v, place)| Report::violation(file, v, place.map(|p| (p.line, p.column))))
                .collect(),
        ),
    };
    (outcome, Some(kind))
}

/// Prints a layout, on one line or indented.
pub fn print_layout(layout: &LayoutDto, compact: bool) -> std::io::Result<()> {
    let text = if compact {
        layout.to_json()
    } else {
        layout.to_json_pretty()
    };
    writeln!(std::io::stdout().lock(), "{text}")
}

/// Checks an app's `b24.toml`: every error with its line, column, key and help.
pub fn check_app(file: &str) -> Outcome {
    let text = match read(file) {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Unreadable(Report::file(
                file,
                "unreadable",
                format!("cannot read the file: {e}"),
            ))
        }
    };
    match b24_app::App::parse(&text) {
        Ok(_) => Outcome::Valid(Value::Null),
        Err(errors) => Outcome::Invalid(
            errors
                .into_iter()
                .map(|e| Report {
                    file: file.to_owned(),
                    line: Some(e.line),
                    column: Some(e.column),
                    pointer: (!e.key.is_empty()).then_some(e.key),
                    rule: "b24-toml".to_owned(),
                    message: e.message,
                    help: e.help,
                })
                .collect(),
        ),
    }
}
