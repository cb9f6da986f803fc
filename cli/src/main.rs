//! `b24`: check and format Bitrix24 LayoutDto JSON written in any language, read handler
//! requests, and call a portal's REST API (`call`, `list`, `batch`).
//!
//! Exit codes: 0 every file is a valid layout, 1 some file breaks a rule, 2 some file
//! cannot be read or is not JSON.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod app;
mod apply;
mod check;
mod dev;
mod event;
mod fields;
mod new;
mod placement;
mod report;
mod rest;

use apply::apply;
use check::{check_file, Outcome};
use placement::placement;
use report::{report, Format, Report};

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
    /// Check that every FILE is a valid layout (every broken rule with its JSON pointer):
    /// a widget's LayoutDto, a configurable activity or a timeline content-block set; or,
    /// for a `.toml` file, a valid `b24.toml` (every error with its key).
    Check {
        /// JSON files to check; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<String>,
        /// What the files are; found from their top-level keys when left out (a plain
        /// `blocks` map is a widget unless it has timeline parts).
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// How to print the errors.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Read FILE into the typed model and print it back as JSON, key order kept.
    Fmt {
        /// The JSON file; `-` reads standard input.
        file: String,
        /// What the file is; found from its top-level keys when left out.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// Print on one line, as the portal takes it.
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
    /// Print a JSON Schema (draft 2020-12) of a layout, generated from the rule table, for
    /// editors (VS Code's `json.schemas`) and validators in any language.
    Schema {
        /// Which layout: a widget's LayoutDto (default), a configurable activity, a
        /// content-block set.
        #[arg(long, value_enum, default_value_t = Kind::Widget)]
        kind: Kind,
    },
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
    /// Make a widget app in DIR: Cargo.toml, b24.toml, a widget that reads its deal over
    /// REST, its server, a test against the local portal, a README.
    New(new::New),
    /// Build and run the app of this directory beside a local portal, installed; rebuild
    /// and restart it when a source or b24.toml changes; one live log.
    Dev(dev::Dev),
    /// The app declared in `b24.toml`, on a portal.
    App {
        #[command(subcommand)]
        action: AppAction,
    },
    /// A portal's CRM fields: `b24 fields deal` (a table, or --json), `b24 fields pull`
    /// (a snapshot to commit), `b24 fields diff SNAPSHOT`.
    Fields(fields::Fields),
    /// The portal's events, for a handler under development.
    Event {
        #[command(subcommand)]
        action: EventAction,
    },
}

#[derive(Subcommand)]
enum AppAction {
    /// Bind and unbind on a portal what `b24.toml` declares (placements, events),
    /// idempotently; report `app.info` and the scopes granted against those needed.
    /// Exit 1 when the app is not installed or lacks a scope, 2 when the portal cannot be
    /// asked.
    Sync(app::Sync),
}

#[derive(Subcommand)]
enum EventAction {
    /// POST a well-formed sample of EVENT to a handler (the documented form, signed with
    /// the application token); print its status and answer. Exit 1 when it does not
    /// answer 2xx, 2 when it cannot be reached.
    Send(event::Send),
}

fn run(cli: Cli) -> std::io::Result<u8> {
    match cli.command {
        Command::Event {
            action: EventAction::Send(args),
        } => event::send(&args),
        Command::App {
            action: AppAction::Sync(args),
        } => app::sync(&args),
        Command::New(args) => new::new(&args),
        Command::Fields(args) => fields::fields(&args),
        Command::Dev(args) => dev::dev(&args),
        Command::Schema { kind } => {
            let schema = kind.doc().json_schema();
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
        Command::Check { files, kind, format } => {
            let mut errors = Vec::new();
            let mut code = 0;
            for file in &files {
                // the app's declaration, or a layout
                let outcome = if file.ends_with(".toml") {
                    check::check_app(file)
                } else {
                    check_file(file, kind.map(Kind::doc)).0
                };
                match outcome {
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
                    .map(|e| e.file.as_str())
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
            kind,
            compact,
            format,
        } => match check_file(&file, kind.map(Kind::doc)) {
            (Outcome::Valid(value), Some(kind)) => match kind.format(&value, compact) {
                Ok(text) => {
                    writeln!(std::io::stdout().lock(), "{text}")?;
                    Ok(0)
                }
                Err(e) => {
                    report(&[Report::file(&file, "model", e.to_string())], format)?;
                    Ok(1)
                }
            },
            (Outcome::Valid(_), None) => Ok(2),
            (Outcome::Invalid(errors), _) => {
                report(&errors, format)?;
                Ok(1)
            }
            (Outcome::Unreadable(error), _) => {
                report(&[error], format)?;
                Ok(2)
            }
        },
    }
}

/// What a layout file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Kind {
    /// A widget's built-in interface (LayoutDto of `setLayout`).
    Widget,
    /// A configurable activity (LayoutDto of `crm.activity.configurable.add`).
    Activity,
    /// A content-block set (RestAppLayoutDto of `crm.*.layout.blocks.set`).
    Blocks,
}

impl Kind {
    fn doc(self) -> layout_core::document::DocKind {
        use layout_core::document::DocKind;
        match self {
            Kind::Widget => DocKind::Widget,
            Kind::Activity => DocKind::Activity,
            Kind::Blocks => DocKind::Blocks,
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
