//! `b24 dev`: the app of the current directory built and run beside a local portal, with
//! everything `b24.toml` declares installed; rebuilt and restarted when a source or
//! `b24.toml` changes (the portal and its data keep running; the app is installed again
//! when `b24.toml` changed); one live log of handler requests, REST calls and events,
//! tokens masked. A build that fails is shown in the log and the last good build keeps
//! serving.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use b24_app::App;
use b24_portal::{Activity, Config, Portal};
use clap::Args;
use notify::Watcher;
use tokio::process::{Child, Command};

#[derive(Args, Debug)]
pub struct Dev {
    /// The local portal's port; the app gets the next one.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// The app's directory (its b24.toml and Cargo.toml).
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

fn say(what: &str, text: impl std::fmt::Display) {
    println!("[{what}] {text}");
}

pub fn dev(args: &Dev) -> std::io::Result<u8> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(args))
}

/// The app's `b24.toml`, or what is wrong with it, printed.
fn load(dir: &Path) -> Option<App> {
    match App::load(dir.join(b24_app::FILE)) {
        Ok(app) => Some(app),
        Err(b24_app::LoadError::Invalid { errors, .. }) => {
            for e in errors {
                let key = if e.key.is_empty() {
                    String::new()
                } else {
                    format!(" {}:", e.key)
                };
                say("b24.toml", format!("{}:{}:{key} {}", e.line, e.column, e.message));
                if let Some(help) = e.help {
                    say("b24.toml", format!("  help: {help}"));
                }
            }
            None
        }
        Err(e) => {
            say("b24.toml", e);
            None
        }
    }
}

async fn run(args: &Dev) -> std::io::Result<u8> {
    let dir = std::fs::canonicalize(&args.dir).unwrap_or_else(|_| args.dir.clone());
    if !dir.join(b24_app::FILE).exists() || !dir.join("Cargo.toml").exists() {
        eprintln!(
            "b24 dev: looked for b24.toml and Cargo.toml in {} and found {}; run it in an app's directory (`b24 new DIR` makes one) or give --dir",
            dir.display(),
            if dir.join("Cargo.toml").exists() { "no b24.toml" } else { "no Cargo.toml" }
        );
        return Ok(2);
    }
    let Some(mut app) = load(&dir) else {
        return Ok(1);
    };
    let Some(app_port) = args.port.checked_add(1) else {
        eprintln!("b24 dev: --port leaves no port for the app");
        return Ok(2);
    };
    // the local portal, for the whole session
    let portal = Portal::new(Config::default());
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "b24 dev: cannot listen on 127.0.0.1:{}: {e} (give --port)",
                args.port
            );
            return Ok(2);
        }
    };
    let portal_base = format!("http://127.0.0.1:{}", args.port);
    let router = b24_portal::router(portal.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    tokio::spawn(live_log(portal.activity()));
    let app_url = format!("http://localhost:{app_port}");

    // the sources and b24.toml, watched
    let (tx, mut changes) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                for path in event.paths {
                    let _ = tx.send(path);
                }
            }
        }
    })
    .map_err(std::io::Error::other)?;
    for watched in ["src", "tests", "Cargo.toml", b24_app::FILE] {
        let path = dir.join(watched);
        if path.exists() {
            watcher
                .watch(&path, notify::RecursiveMode::Recursive)
                .map_err(std::io::Error::other)?;
        }
    }

    let mut running: Option<Child> = None;
    let mut install = true;
    // whether b24.toml is valid now: the app reads it when it starts
    let mut declared = true;
    let mut rebuild = true;
    loop {
        if rebuild {
            say("build", "cargo build");
            match build(&dir).await {
                Ok(_) if !declared => say(
                    "app",
                    "built; not restarted until b24.toml is fixed (the running build keeps serving)",
                ),
                Ok(exe) => {
                    if let Some(mut old) = running.take() {
                        let _ = old.kill().await;
                    }
                    match start(&exe, &dir, &app, app_port, &app_url).await {
                        Ok(child) => {
                            say(
                                "app",
                                format!(
                                    "{} started on {app_url} (pid {})",
                                    app.name,
                                    child.id().unwrap_or(0)
                                ),
                            );
                            running = Some(child);
                            if install {
                                match install_app(&portal, &portal_base, &app_url).await {
                                    Ok(answer) => {
                                        say("install", answer);
                                        install = false;
                                    }
                                    Err(e) => say("install", format!("failed: {e}")),
                                }
                            }
                            say(
                                "ready",
                                format!(
                                    "the card: {portal_base}/portal/crm/{}/details/1/ (the portal's home: {portal_base}/portal/)",
                                    card_entity(&app)
                                ),
                            );
                        }
                        Err(e) => say("app", format!("did not start: {e}")),
                    }
                }
                Err(errors) => {
                    say("build", "failed; the last good build keeps serving");
                    for line in errors.lines() {
                        println!("  {line}");
                    }
                }
            }
        }
        // the next change (a burst of saves is one change)
        let first = tokio::select! {
            path = changes.recv() => path,
            _ = stopped() => None,
        };
        let Some(first) = first else {
            if let Some(mut child) = running.take() {
                let _ = child.kill().await;
            }
            return Ok(0);
        };
        let mut changed = vec![first];
        tokio::time::sleep(Duration::from_millis(300)).await;
        while let Ok(path) = changes.try_recv() {
            changed.push(path);
        }
        changed.retain(|p| !p.components().any(|c| c.as_os_str() == "target"));
        rebuild = !changed.is_empty();
        if changed.is_empty() {
            continue;
        }
        // an editor's temporary files come and go: only what is there is named
        let shown: Vec<String> = changed
            .iter()
            .filter(|p| p.exists())
            .filter_map(|p| p.strip_prefix(&dir).ok())
            .map(|p| p.display().to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !shown.is_empty() {
            say("watch", format!("{} changed", shown.join(", ")));
        }
        if changed.iter().any(|p| p.ends_with(b24_app::FILE)) {
            match load(&dir) {
                Some(new) => {
                    app = new;
                    install = true;
                    declared = true;
                }
                None => {
                    say("b24.toml", "not applied: the app keeps its last good declaration");
                    declared = false;
                    rebuild = false;
                }
            }
        }
    }
}

/// Ctrl-C, or (on Unix) SIGTERM: the app is stopped with `b24 dev`, never left behind.
async fn stopped() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The entity of the first card placement, for the card's address.
fn card_entity(app: &App) -> String {
    app.placements
        .iter()
        .find_map(|p| p.code.entity())
        .map(|e| match e {
            b24_placement::Entity::DYNAMIC(n) => format!("dynamic_{n}"),
            other => other.kind().as_str().to_ascii_lowercase(),
        })
        .unwrap_or_else(|| "deal".into())
}

/// Builds the app: its executable, or the compiler's errors.
async fn build(dir: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--message-format=json-render-diagnostics"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| format!("cargo could not be run: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        // the diagnostics, without cargo's progress lines
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim_start().starts_with("Compiling") && !l.trim_start().starts_with("Blocking"))
            .collect();
        return Err(errors.join("\n"));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| {
            m["target"]["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bin"))
        })
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "the package has no binary to run (src/main.rs)".into())
}

/// Starts the app's binary, its environment set, and waits until it listens.
async fn start(exe: &Path, dir: &Path, app: &App, port: u16, url: &str) -> Result<Child, String> {
    let config = Config::default();
    // the app's store under the development session: kept across restarts, out of the sources
    let data = dir.join("target");
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot make {}: {e}", data.display()))?;
    let mut child = Command::new(exe)
        .current_dir(dir)
        .env("PORT", port.to_string())
        .env("B24_APP_URL", url)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", data.join("b24-dev.db").display()),
        )
        .env(&app.client_id_env, &config.client_id)
        .env(&app.client_secret_env, config.client_secret.expose())
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
        )
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| e.to_string())?;
    for _ in 0..300 {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("it exited: {status}"));
        }
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Ok(child);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill().await;
    Err(format!("it did not listen on port {port} within 30 s"))
}

/// Installs the app into the local portal as Bitrix24 does (ONAPPINSTALL to `/install`):
/// what was bound.
async fn install_app(portal: &Portal, portal_base: &str, app_url: &str) -> Result<String, String> {
    let (form, _) = portal.install_event(portal_base);
    let answer = reqwest::Client::new()
        .post(format!("{app_url}/install"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    let status = answer.status();
    let text = answer.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(format!("{status}: {text}"));
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    Ok(format!(
        "placements bound {}, unbound {}; events bound {}, unbound {}",
        v["bound"], v["unbound"], v["events_bound"], v["events_unbound"]
    ))
}

/// The portal's activity, one line each (no token is in any of it).
async fn live_log(mut activity: tokio::sync::broadcast::Receiver<Activity>) {
    loop {
        match activity.recv().await {
            Ok(Activity::Opened { placement, handler }) => {
                say("portal", format!("opened {placement} -> {handler}"))
            }
            Ok(Activity::Call {
                method,
                status,
                took_ms,
            }) => say("rest", format!("{method} {status} ({took_ms} ms)")),
            Ok(Activity::Delivered(d)) => say(
                "event",
                format!(
                    "{}{} -> {}: {}",
                    d.event,
                    d.id.map(|i| format!(" #{i}")).unwrap_or_default(),
                    d.handler,
                    d.status
                        .map_or_else(|| d.error.clone().unwrap_or_default(), |s| s.to_string())
                ),
            ),
            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                say("portal", format!("({n} lines skipped)"))
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
    }
}
