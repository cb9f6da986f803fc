//! What `check` and `fmt` report: one typed [`Report`] per error, printed as text
//! (`file:line:column`), JSON, GitHub Actions workflow commands or SARIF 2.1.0.

use std::io::Write;

use clap::ValueEnum;
use layout_core::Violation;
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:column: pointer: message [rule]`, and a `help:` line.
    Text,
    /// A JSON array of errors (`file`, `line`, `column`, `pointer`, `rule`, `message`, `help`).
    Json,
    /// GitHub Actions workflow commands: the errors appear on the pull request's lines.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// One error of one file: where (the file, its line and column when known, the JSON
/// pointer of the value), which rule, what is wrong, what is allowed instead.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The rule's code (`block-not-allowed`), or `unreadable`, `not-json`, `model`.
    pub rule: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Report {
    /// A file-level error: no pointer.
    pub fn file(file: &str, rule: &str, message: String) -> Report {
        Report {
            file: file.to_owned(),
            line: None,
            column: None,
            pointer: None,
            rule: rule.to_owned(),
            message,
            help: None,
        }
    }

    /// A broken rule, at `place` in the file when known.
    pub fn violation(file: &str, v: &Violation, place: Option<(usize, usize)>) -> Report {
        Report {
            file: file.to_owned(),
            line: place.map(|p| p.0),
            column: place.map(|p| p.1),
            pointer: Some(v.pointer.clone()),
            rule: v.rule.code().to_owned(),
            message: v.message.clone(),
            help: v.help.clone(),
        }
    }

    /// `file:line:column`, or `file` when it has no place.
    fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            _ => self.file.clone(),
        }
    }

    /// The pointer as printed: `(root)` for the whole document.
    fn pointer(&self) -> Option<&str> {
        self.pointer
            .as_deref()
            .map(|p| if p.is_empty() { "(root)" } else { p })
    }

    fn print_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let place = self.place();
        match self.pointer() {
            Some(p) => writeln!(out, "{place}: {p}: {} [{}]", self.message, self.rule)?,
            None => writeln!(out, "{place}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            writeln!(out, "  help: {help}")?;
        }
        Ok(())
    }

    /// What the error says in one message: pointer, message, help.
    fn full_message(&self) -> String {
        let mut m = String::new();
        if let Some(p) = self.pointer() {
            m.push_str(p);
            m.push_str(": ");
        }
        m.push_str(&self.message);
        if let Some(help) = &self.help {
            m.push_str("\nhelp: ");
            m.push_str(help);
        }
        m
    }

    /// A GitHub Actions `::error` workflow command, escaped as the runner reads it.
    fn github(&self) -> String {
        let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
        let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
        let mut props = vec![format!("file={}", prop(&self.file))];
        if let (Some(l), Some(c)) = (self.line, self.column) {
            props.push(format!("line={l}"));
            props.push(format!("col={c}"));
        }
        props.push(format!("title={}", prop(&self.rule)));
        format!("::error {}::{}", props.join(","), data(&self.full_message()))
    }
}

/// Prints `errors` in `format`.
pub fn report(errors: &[Report], format: Format) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(errors).unwrap_or_default()
        ),
        Format::Text => errors.iter().try_for_each(|e| e.print_text(&mut out)),
        Format::Github => errors.iter().try_for_each(|e| writeln!(out, "{}", e.github())),
        Format::Sarif => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&sarif(errors)).unwrap_or_default()
        ),
    }
}

/// The errors as a SARIF 2.1.0 log.
fn sarif(errors: &[Report]) -> Value {
    let mut rules: Vec<&str> = errors.iter().map(|e| e.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<Value> = errors
        .iter()
        .map(|e| {
            let region = match (e.line, e.column) {
                (Some(l), Some(c)) => json!({"startLine": l, "startColumn": c}),
                _ => json!({}),
            };
            json!({
                "ruleId": e.rule,
                "level": "error",
                "message": {"text": e.full_message()},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": e.file},
                    "region": region,
                }}],
            })
        })
        .collect();
    json!({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "b24",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({"id": r})).collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    })
}
