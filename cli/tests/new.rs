//! `b24 new`: a fresh app is made, its `b24.toml` checks, and its own `cargo test` passes
//! (built offline with this checkout's lock file, in a target directory of its own).

use std::path::Path;
use std::process::Command;

#[test]
fn a_new_app_checks_builds_and_passes_its_own_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dir = std::env::temp_dir().join(format!("b24-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let app = dir.join("deal-widget");
    let b24 = env!("CARGO_BIN_EXE_b24");
    let out = Command::new(b24)
        .args(["new", app.to_str().unwrap(), "--path", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "b24.toml",
        "src/lib.rs",
        "src/main.rs",
        "tests/widget.rs",
        "README.md",
        ".gitignore",
    ] {
        assert!(app.join(file).exists(), "no {file}");
    }
    let manifest = std::fs::read_to_string(app.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"deal-widget\""));
    assert!(manifest.contains(&format!(
        "path = {:?}",
        root.canonicalize().unwrap().display().to_string()
    )));

    // a second `new` into the same directory is refused
    let again = Command::new(b24)
        .args(["new", app.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));

    let check = Command::new(b24)
        .args(["check", "b24.toml"])
        .current_dir(&app)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let test = Command::new(cargo)
        .args(["test", "--offline", "--quiet"])
        .current_dir(&app)
        // a target directory of its own: the workspace's may be locked by the running build
        .env("CARGO_TARGET_DIR", root.join("target/new-app"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(test.status.success(), "the new app's tests fail:\n{shown}");
    assert!(shown.contains("1 passed"), "{shown}");
}
