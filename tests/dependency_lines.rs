//! The `[dependencies]` lines and the `main.rs` of README.md's "Add it to your project",
//! built as a new crate of their own: what a user pastes must compile.

use std::path::Path;
use std::process::Command;

/// The body of the first fenced block of `lang` after `heading`.
fn block_after<'a>(readme: &'a str, heading: &str, lang: &str) -> &'a str {
    let from = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has no `{heading}`"));
    let open = format!("```{lang}\n");
    let start = readme[from..]
        .find(&open)
        .unwrap_or_else(|| panic!("no ```{lang} block"))
        + from
        + open.len();
    let end = readme[start..].find("```").unwrap() + start;
    &readme[start..end]
}

/// Builds a new crate of `deps` and `main` (the workspace's lock file, a target directory
/// of its own) and gives the libraries cargo compiled twice: once for the program and once
/// for a proc-macro's host, because the two asked for different features.
fn build(name: &str, deps: &str, main: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("b24-widgets-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n{deps}"),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    // the workspace's lock file: the same versions, nothing to fetch
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--offline", "--message-format=json"])
        .current_dir(&dir)
        // a target directory of its own: the workspace's may be locked by the running build
        .env("CARGO_TARGET_DIR", root.join("target/dependency-lines"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{name} does not build:\n{stderr}");

    let mut built: Vec<(String, String)> = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let kinds = &message["target"]["kind"];
        if message["reason"] != "compiler-artifact"
            || !kinds
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k != "bin" && k != "custom-build"))
        {
            continue;
        }
        built.push((
            message["package_id"].as_str().unwrap_or_default().to_owned(),
            message["target"]["name"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    assert!(
        built.iter().any(|(_, n)| n == "layout_core"),
        "no layout-core among {built:?}"
    );
    let mut twice: Vec<String> = built
        .iter()
        .filter(|b| built.iter().filter(|o| o == b).count() > 1)
        .map(|(_, name)| name.clone())
        .collect();
    twice.sort();
    twice.dedup();
    twice
}

/// The README's `[dependencies]` lines (the path made this checkout's) and its `main.rs`.
fn readme_lines() -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let heading = "## Add it to your project";
    let deps = block_after(&readme, heading, "toml");
    let main = block_after(&readme, heading, "rust");
    let shown_path = "path = \"../b24-widgets\"";
    assert!(deps.contains(shown_path), "the README's line changed: {deps}");
    let deps = deps.replace(shown_path, &format!("path = {:?}", root.display().to_string()));
    (deps, main.to_owned())
}

// `layout!` runs in the compiler: its crates are built for the host too. When they get the
// features the program gives them, cargo builds each once for both; a crate whose features
// differ is built twice (layout-core and the serde stack, once: 1.6x the build time of a
// bare axum hello instead of 1.3x to 1.4x).
#[test]
fn a_new_crate_with_the_readme_lines_builds_the_hello_widget_compiling_nothing_twice() {
    let (deps, main) = readme_lines();
    let twice = build("my-widget", &deps, &main);
    assert!(
        twice.is_empty(),
        "built twice (for the program and for the macro's host): {twice:?}"
    );
}

/// The installed app (`lifecycle`): the database and the REST client ask for features the
/// macros' side does not (sqlx gives tracing `log` and num-traits `std`, the REST client
/// placements' `event`), so `fields!`'s crates are built twice; nothing else may be (axum's
/// `json` feature, for one, would give serde_json `raw_value` and a second layout-core).
#[test]
fn the_installed_app_compiles_twice_only_what_the_crm_macro_needs() {
    let (deps, main) = readme_lines();
    let deps = deps.replace("features = [\"server\"]", "features = [\"lifecycle\"]");
    assert!(
        deps.contains("\"lifecycle\""),
        "the README's line changed: {deps}"
    );
    let twice = build("my-app", &deps, &main);
    let known = [
        "b24_crm",
        "b24_placement",
        "chrono",
        "num_traits",
        "rust_decimal",
        "tracing",
    ];
    let more: Vec<_> = twice.iter().filter(|n| !known.contains(&n.as_str())).collect();
    assert!(
        more.is_empty(),
        "built twice (for the program and for a macro's host): {more:?}"
    );
}
