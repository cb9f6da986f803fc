//! `b24`: check and format Bitrix24 LayoutDto JSON written in any language, read handler
//! requests, and call a portal's REST API (`call`, `list`, `batch`).
//!
//! Exit codes: 0 every file is a valid layout, 1 some file breaks a rule, 2 some file
//! cannot be read or is not JSON.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use layout_core::json::{check_json_located, ReadError};
use layout_core::LayoutDto;
use serde_json::{json, Value};

mod rest;

#[derive(Parser)]
#[command(
    name = "b24",
    version,
    about = "Check and format Bitrix24 CRM widget layouts (LayoutDto JSON)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that every FILE is a valid LayoutDto; print every broken rule with its JSON pointer.
    Check {
        /// JSON files to check; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<String>,
        /// How to print the errors.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Read FILE into the typed model and print it back as JSON, key order kept.
    Fmt {
        /// The JSON file; `-` reads standard input.
        file: String,
        /// Print on one line, as `setLayout` sends it.
        #[arg(long)]
        compact: bool,
        /// How to print the errors when the layout is not valid.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Apply a JSON array of commands (`{"command": NAME, "params": PARAMS}`, as passed to
    /// BX24.placement.call) to a layout, as the portal would, and print the resulting layout.
    Apply {
        /// The LayoutDto JSON the widget starts with.
        layout: String,
        /// The commands, in order; `-` reads standard input.
        commands: String,
        /// Print on one line.
        #[arg(long)]
        compact: bool,
    },
    /// Read a widget handler's POST body (form-encoded) and print where it was opened, for
    /// which object, and the REST call that reads it, as one JSON object. Tokens are never printed.
    Placement {
        /// The POST body; `-` reads standard input.
        file: String,
        /// The query string of the handler URL (DOMAIN, PROTOCOL, LANG, APP_SID may come there).
        #[arg(long)]
        query: Option<String>,
    },
    /// Print a JSON Schema (draft 2020-12) of LayoutDto, generated from the rule table, for
    /// editors (VS Code's `json.schemas`) and validators in any language.
    Schema,
    /// Call a REST method and print its `result` as JSON. Exit 1 when the portal answers
    /// an error (its code and description on stderr), 2 when it cannot be asked.
    Call {
        /// The method: crm.deal.get, placement.get, ...
        method: String,
        /// Its params, a JSON object: '{"id": 7}'.
        params: Option<String>,
        #[command(flatten)]
        connection: rest::Connection,
    },
    /// Print every item of a list method, one JSON object per line (fast pagination: by
    /// id, `start=-1`).
    List {
        /// The list method: crm.deal.list, crm.item.list, ...
        method: String,
        /// Its params, a JSON object (filter, select; entityTypeId for crm.item.list).
        params: Option<String>,
        #[command(flatten)]
        connection: rest::Connection,
    },
    /// Run the commands of FILE ({"name": ["method", {params}] or "method?query", ...}) in
    /// batches of 50 and print {"result": {...}, "result_error": {...}}. Exit 1 when a
    /// command failed.
    Batch {
        /// The JSON file; `-` reads standard input.
        file: String,
        /// Stop at the first command that fails.
        #[arg(long)]
        halt: bool,
        #[command(flatten)]
        connection: rest::Connection,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `file:line:column: pointer: message [rule]`, and a `help:` line.
    Text,
    /// A JSON array of errors (`file`, `line`, `column`, `pointer`, `rule`, `message`, `help`).
    Json,
    /// GitHub Actions workflow commands: the errors appear on the pull request's lines.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// The outcome for one file.
enum Outcome {
    Valid(Value),
    Invalid(Vec<Value>),
    Unreadable(Value),
}

fn read(file: &str) -> Result<String, std::io::Error> {
    if file == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(file)
    }
}

fn check_file(file: &str) -> Outcome {
    let text = match read(file) {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Unreadable(json!({
                "file": file, "rule": "unreadable", "message": format!("cannot read the file: {e}"),
            }))
        }
    };
    // editors on Windows may start UTF-8 files with a byte order mark; JSON has none
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match check_json_located(text) {
        Ok(value) => Outcome::Valid(value),
        Err((ReadError::Syntax(e), _)) => Outcome::Unreadable(json!({
            "file": file, "rule": "not-json", "message": format!("not valid JSON: {e}"),
            "line": e.line(), "column": e.column().max(1),
        })),
        Err((ReadError::Invalid(violations), places)) => Outcome::Invalid(
            violations
                .iter()
                .zip(places)
                .map(|(v, place)| {
                    // the violation as layout-core serializes it, with its place in front
                    let mut o = json!({ "file": file });
                    if let Some(p) = place {
                        o["line"] = json!(p.line);
                        o["column"] = json!(p.column);
                    }
                    if let (Value::Object(o), Ok(Value::Object(fields))) = (&mut o, serde_json::to_value(v)) {
                        o.extend(fields);
                    }
                    o
                })
                .collect(),
        ),
    }
}

/// Prints a layout, on one line or indented.
fn print_layout(layout: &LayoutDto, compact: bool) -> std::io::Result<()> {
    let text = if compact {
        layout.to_json()
    } else {
        layout.to_json_pretty()
    };
    writeln!(std::io::stdout().lock(), "{text}")
}

/// `file:line:column` of an error, or `file` when it has no place.
fn place(error: &Value) -> String {
    let file = error["file"].as_str().unwrap_or_default();
    match (error["line"].as_u64(), error["column"].as_u64()) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
        _ => file.to_owned(),
    }
}

fn print_text(out: &mut impl Write, error: &Value) -> std::io::Result<()> {
    let place = place(error);
    let message = error["message"].as_str().unwrap_or_default();
    match error.get("pointer").and_then(Value::as_str) {
        Some(p) => {
            let p = if p.is_empty() { "(root)" } else { p };
            writeln!(
                out,
                "{place}: {p}: {message} [{}]",
                error["rule"].as_str().unwrap_or_default()
            )?;
        }
        None => writeln!(out, "{place}: {message}")?,
    }
    if let Some(help) = error.get("help").and_then(Value::as_str) {
        writeln!(out, "  help: {help}")?;
    }
    Ok(())
}

fn report(errors: &[Value], format: Format) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(errors).unwrap_or_default()
        ),
        Format::Text => errors.iter().try_for_each(|e| print_text(&mut out, e)),
        Format::Github => errors.iter().try_for_each(|e| writeln!(out, "{}", github(e))),
        Format::Sarif => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&sarif(errors)).unwrap_or_default()
        ),
    }
}

/// What an error says in one message: pointer, message, help.
fn full_message(error: &Value) -> String {
    let mut m = String::new();
    if let Some(p) = error.get("pointer").and_then(Value::as_str) {
        m.push_str(if p.is_empty() { "(root)" } else { p });
        m.push_str(": ");
    }
    m.push_str(error["message"].as_str().unwrap_or_default());
    if let Some(help) = error.get("help").and_then(Value::as_str) {
        m.push_str("\nhelp: ");
        m.push_str(help);
    }
    m
}

/// A GitHub Actions `::error` workflow command, escaped as the runner reads it.
fn github(error: &Value) -> String {
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut props = vec![format!(
        "file={}",
        prop(error["file"].as_str().unwrap_or_default())
    )];
    if let (Some(l), Some(c)) = (error["line"].as_u64(), error["column"].as_u64()) {
        props.push(format!("line={l}"));
        props.push(format!("col={c}"));
    }
    if let Some(rule) = error["rule"].as_str() {
        props.push(format!("title={}", prop(rule)));
    }
    format!("::error {}::{}", props.join(","), data(&full_message(error)))
}

/// The errors as a SARIF 2.1.0 log.
fn sarif(errors: &[Value]) -> Value {
    let mut rules: Vec<&str> = errors.iter().filter_map(|e| e["rule"].as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<Value> = errors
        .iter()
        .map(|e| {
            let mut region = json!({});
            if let (Some(l), Some(c)) = (e["line"].as_u64(), e["column"].as_u64()) {
                region = json!({"startLine": l, "startColumn": c});
            }
            json!({
                "ruleId": e["rule"],
                "level": "error",
                "message": {"text": full_message(e)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": e["file"]},
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

fn run(cli: Cli) -> std::io::Result<u8> {
    match cli.command {
        Command::Schema => {
            let schema = layout_core::json_schema::layout_schema();
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            )?;
            Ok(0)
        }
        Command::Call {
            method,
            params,
            connection,
        } => rest::call(&connection, &method, params.as_deref()),
        Command::List {
            method,
            params,
            connection,
        } => rest::list(&connection, &method, params.as_deref()),
        Command::Batch {
            file,
            halt,
            connection,
        } => rest::batch(&connection, &file, halt),
        Command::Check { files, format } => {
            let mut errors = Vec::new();
            let mut code = 0;
            for file in &files {
                match check_file(file) {
                    Outcome::Valid(_) => {}
                    Outcome::Invalid(e) => {
                        code = code.max(1);
                        errors.extend(e);
                    }
                    Outcome::Unreadable(e) => {
                        code = 2;
                        errors.push(e);
                    }
                }
            }
            report(&errors, format)?;
            if format == Format::Text {
                let invalid = errors
                    .iter()
                    .filter_map(|e| e["file"].as_str())
                    .collect::<std::collections::BTreeSet<_>>();
                eprintln!(
                    "{} file{} checked, {} with errors",
                    files.len(),
                    if files.len() == 1 { "" } else { "s" },
                    invalid.len()
                );
            }
            Ok(code)
        }
        Command::Placement { file, query } => placement(&file, query.as_deref()),
        Command::Apply {
            layout,
            commands,
            compact,
        } => apply(&layout, &commands, compact),
        Command::Fmt {
            file,
            compact,
            format,
        } => match check_file(&file) {
            Outcome::Valid(value) => match serde_json::from_value::<LayoutDto>(value) {
                Ok(layout) => {
                    print_layout(&layout, compact)?;
                    Ok(0)
                }
                Err(e) => {
                    report(
                        &[json!({"file": file, "rule": "model", "message": e.to_string()})],
                        format,
                    )?;
                    Ok(1)
                }
            },
            Outcome::Invalid(errors) => {
                report(&errors, format)?;
                Ok(1)
            }
            Outcome::Unreadable(error) => {
                report(&[error], format)?;
                Ok(2)
            }
        },
    }
}

fn apply(layout: &str, commands: &str, compact: bool) -> std::io::Result<u8> {
    use layout_core::command::Command;
    use layout_core::state::WidgetState;
    let start = match check_file(layout) {
        Outcome::Valid(value) => value,
        Outcome::Invalid(errors) => {
            report(&errors, Format::Text)?;
            return Ok(1);
        }
        Outcome::Unreadable(error) => {
            report(&[error], Format::Text)?;
            return Ok(2);
        }
    };
    let text = match read(commands) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("b24: {commands}: cannot read the file: {e}");
            return Ok(2);
        }
    };
    let list: Value = match serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text)) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("b24: {commands}: not valid JSON: {e}");
            return Ok(2);
        }
    };
    let Some(list) = list.as_array() else {
        eprintln!("b24: {commands}: expected a JSON array of {{\"command\": NAME, \"params\": PARAMS}}");
        return Ok(1);
    };
    let file = layout;
    let layout: LayoutDto = match serde_json::from_value(start) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("b24: {file}: {e}");
            return Ok(1);
        }
    };
    let mut state = match WidgetState::new(&layout) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("b24: {file}: {e}");
            return Ok(1);
        }
    };
    for (i, entry) in list.iter().enumerate() {
        let name = entry.get("command").and_then(Value::as_str);
        let refuse = |what: &str, reason: &dyn std::fmt::Display| {
            eprintln!("b24: {commands}: /{i}: {what}: {reason}");
        };
        let Some(name) = name else {
            refuse(
                "(no command)",
                &"each entry is {\"command\": NAME, \"params\": PARAMS}",
            );
            return Ok(1);
        };
        if let Some(k) = entry
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "command" && *k != "params"))
        {
            refuse(
                name,
                &format!("unknown key `{k}`: an entry has `command` and `params`"),
            );
            return Ok(1);
        }
        let params = entry.get("params").unwrap_or(&Value::Null);
        let command = match Command::from_json(name, params) {
            Ok(c) => c,
            Err(e) => {
                refuse(name, &e);
                return Ok(1);
            }
        };
        if let Err(e) = state.apply(&command) {
            refuse(name, &e);
            return Ok(1);
        }
    }
    let Some(result) = state.layout() else {
        eprintln!("b24: the layout could not be rebuilt");
        return Ok(1);
    };
    print_layout(&result, compact)?;
    // what the layout alone does not show: how the widget ended
    match (state.locked, state.finished) {
        (false, false) => {}
        (true, false) => eprintln!("b24: the widget ended locked (`lock` with no `unlock` after it)"),
        (false, true) => eprintln!("b24: the widget ended finished (`finish`: the portal closes it)"),
        (true, true) => eprintln!("b24: the widget ended locked and finished"),
    }
    Ok(0)
}

/// Why a body that is not a form (a pasted PHP `print_r` dump, JSON) cannot be read,
/// and what is expected instead; `None` for what looks like a form.
fn not_a_form(body: &str) -> Option<&'static str> {
    let t = body.trim_start();
    if t.starts_with("Array") && t.contains("=>") || t.contains("[DOMAIN] =>") {
        Some("this is a PHP print_r dump, not a handler's POST body")
    } else if t.starts_with('{') {
        Some("this is JSON, not a handler's POST body")
    } else {
        None
    }
}

const FORM_SHAPE: &str = "the body is form-encoded, as the handler receives it: \
DOMAIN=xxx.bitrix24.com&PROTOCOL=1&LANG=en&member_id=...&PLACEMENT=CRM_DEAL_DETAIL_TAB&PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D \
(in PHP: http_build_query($_REQUEST))";

fn placement(file: &str, query: Option<&str>) -> std::io::Result<u8> {
    let body = match read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("b24: {file}: cannot read the file: {e}");
            return Ok(2);
        }
    };
    if let Some(what) = not_a_form(&body) {
        eprintln!("b24: {file}: {what}\n  help: {FORM_SHAPE}");
        return Ok(1);
    }
    match b24_placement::HandlerRequest::parse(&body, query) {
        Ok(request) => {
            let summary = serde_json::to_string_pretty(&request.summary()).unwrap_or_default();
            writeln!(std::io::stdout().lock(), "{summary}")?;
            Ok(0)
        }
        Err(e) => {
            eprintln!("b24: {file}: {e}");
            Ok(1)
        }
    }
}

fn main() -> ExitCode {
    // bad arguments exit 2, as every other refusal to start does
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // stdout closed early (piped into `head`): nothing more to say
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(0),
        Err(e) => {
            eprintln!("b24: {e}");
            ExitCode::from(2)
        }
    }
}
