//! `b24 app sync`: what `b24.toml` declares made true on a real portal, idempotently: its
//! placements and events bound and unbound (the plan alone with `--dry-run`), `app.info`
//! (an app whose install has not finished gets nothing from the portal), the scopes
//! granted against the scopes needed.

use std::io::Write;

use b24_app::App;
use clap::Args;
use serde_json::Value;

use crate::report::{report, Format, Report};
use crate::rest::{runtime, Connection};

#[derive(Args, Debug)]
pub struct Sync {
    /// The app's declaration.
    #[arg(long, default_value = b24_app::FILE)]
    file: String,
    /// Where the app is served, if not at `app.url` of the file (a tunnel's address).
    #[arg(long)]
    url: Option<String>,
    /// Print the plan; change nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    connection: Connection,
}

/// Exit 0 when the portal matches the file, 1 when the app is not installed or lacks a
/// scope it needs (or the file is invalid), 2 when the portal cannot be asked.
pub fn sync(args: &Sync) -> std::io::Result<u8> {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "b24: cannot read {}: {e} (run it in the app's directory, or give --file)",
                args.file
            );
            return Ok(2);
        }
    };
    let app = match App::parse(&text) {
        Ok(app) => app,
        Err(errors) => {
            let reports: Vec<Report> = errors
                .into_iter()
                .map(|e| Report {
                    file: args.file.clone(),
                    line: Some(e.line),
                    column: Some(e.column),
                    pointer: (!e.key.is_empty()).then_some(e.key),
                    rule: "b24-toml".into(),
                    message: e.message,
                    help: e.help,
                })
                .collect();
            report(&reports, Format::Text)?;
            return Ok(1);
        }
    };
    let base = args.url.clone().unwrap_or_else(|| app.url.clone());
    let declared = app
        .placement_binds(&base)
        .and_then(|p| Ok((p, app.event_binds(&base)?)));
    let (placements, events) = match declared {
        Ok(d) => d,
        Err(e) => {
            eprintln!("b24: --url {base}: {e}");
            return Ok(2);
        }
    };
    let client = match args.connection.client() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    let mut out = std::io::stdout().lock();
    let outcome: Result<u8, String> = runtime()?.block_on(async {
        let info = client
            .call("app.info", Value::Null)
            .await
            .map_err(|e| format!("app.info: {e}"))?
            .result;
        let installed = matches!(info.get("INSTALLED"), Some(Value::Bool(true)))
            || info.get("INSTALLED").and_then(Value::as_str) == Some("Y");
        let _ = writeln!(
            out,
            "app {}: {}, status {}",
            info.get("CODE").and_then(Value::as_str).unwrap_or("?"),
            if installed { "installed" } else { "NOT installed" },
            info.get("STATUS").and_then(Value::as_str).unwrap_or("?"),
        );
        let granted: Vec<String> = client
            .call("scope", Value::Null)
            .await
            .map_err(|e| format!("scope: {e}"))?
            .result
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let missing: Vec<&String> = app.scopes.iter().filter(|s| !granted.contains(s)).collect();
        let _ = writeln!(
            out,
            "scopes: needed {}; granted {}{}",
            app.scopes.join(", "),
            granted.join(", "),
            if missing.is_empty() {
                String::new()
            } else {
                format!("; MISSING {}", missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
            }
        );
        let context = |e: b24_rest::Error| {
            if matches!(&e, b24_rest::Error::Api { error, .. } if error.code.to_string() == "WRONG_AUTH_TYPE") {
                format!("{e}: binding needs the app's own OAuth tokens (--endpoint and --auth), not a webhook")
            } else {
                e.to_string()
            }
        };
        let pplan = client.plan_placements(&placements).await.map_err(context)?;
        let eplan = client.plan_events(&events).await.map_err(context)?;
        for p in &pplan.keep {
            let _ = writeln!(out, "keep    placement {} -> {}", p.placement(), p.handler());
        }
        for p in &pplan.bind {
            let _ = writeln!(out, "bind    placement {} -> {}", p.placement(), p.handler());
        }
        for p in &pplan.unbind {
            let _ = writeln!(out, "unbind  placement {} -> {}", p.placement, p.handler);
        }
        for e in &eplan.keep {
            let _ = writeln!(out, "keep    event {} -> {}", e.event(), e.handler().unwrap_or("(offline)"));
        }
        for e in &eplan.bind {
            let _ = writeln!(out, "bind    event {} -> {}", e.event(), e.handler().unwrap_or("(offline)"));
        }
        for e in &eplan.unbind {
            let shown = if e.offline { "(offline)" } else { e.handler.as_str() };
            let _ = writeln!(out, "unbind  event {} -> {shown}", e.event);
        }
        if args.dry_run {
            let _ = writeln!(out, "dry run: nothing changed");
        } else if pplan.is_done() && eplan.is_done() {
            let _ = writeln!(out, "in sync: nothing to change");
        } else {
            client.apply_placements(&pplan).await.map_err(context)?;
            client.apply_events(&eplan).await.map_err(context)?;
            let _ = writeln!(
                out,
                "synced: {} bound, {} unbound",
                pplan.bind.len() + eplan.bind.len(),
                pplan.unbind.len() + eplan.unbind.len()
            );
        }
        if !installed {
            let _ = writeln!(
                out,
                "the app's install has not finished on this portal: it sends the app no events and no handler calls until it does"
            );
        }
        Ok(if installed && missing.is_empty() { 0 } else { 1 })
    });
    match outcome {
        Ok(code) => Ok(code),
        Err(e) => {
            eprintln!("b24: {e}");
            Ok(2)
        }
    }
}
