//! `b24 new DIR`: a widget app that builds and passes its tests from the first minute: a
//! Cargo.toml depending on `b24-widgets`, a `b24.toml`, a DETAIL_ACTIVITY widget written
//! with `layout!` that reads its deal over REST and follows its changes, its server, a test
//! with the async harness against the local portal, and a README with its two commands.
//!
//! The dependency: `--path` (a checkout of `b24-widgets`), or `--git` (a repository), or
//! else the checkout this `b24` was built from, when it is still there. A path source gets
//! the checkout's Cargo.lock: the app builds with the versions the checkout is tested with.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

#[derive(Args, Debug)]
pub struct New {
    /// The directory to make (it must not exist, or be empty).
    dir: PathBuf,
    /// The package's name (by default the directory's).
    #[arg(long)]
    name: Option<String>,
    /// A checkout of b24-widgets to depend on.
    #[arg(long, conflicts_with = "git")]
    path: Option<PathBuf>,
    /// A git repository of b24-widgets to depend on.
    #[arg(long)]
    git: Option<String>,
}

const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../templates/new/Cargo.toml.txt")),
    ("b24.toml", include_str!("../templates/new/b24.toml")),
    ("src/lib.rs", include_str!("../templates/new/lib.rs.txt")),
    ("src/main.rs", include_str!("../templates/new/main.rs.txt")),
    (
        "tests/widget.rs",
        include_str!("../templates/new/widget_test.rs.txt"),
    ),
    ("README.md", include_str!("../templates/new/README.md.txt")),
    (".gitignore", include_str!("../templates/new/gitignore.txt")),
    ("Dockerfile", include_str!("../templates/new/Dockerfile.txt")),
];

/// A package name Cargo takes: letters, digits, `-` and `_`, not starting with a digit.
fn package_name(name: &str) -> Result<String, String> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{name}` is not a package name: letters, digits, `-` and `_`, not starting with a digit (give --name)"
        ))
    }
}

/// The checkout this binary was built from, if it is still a b24-widgets checkout.
fn own_checkout() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?.to_path_buf();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    manifest.contains("name = \"b24-widgets\"").then_some(root)
}

pub fn new(args: &New) -> std::io::Result<u8> {
    let mut err = std::io::stderr().lock();
    if args.dir.exists() && std::fs::read_dir(&args.dir)?.next().is_some() {
        writeln!(err, "b24: {} exists and is not empty", args.dir.display())?;
        return Ok(2);
    }
    let dir_name = args
        .dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match package_name(args.name.as_deref().unwrap_or(&dir_name)) {
        Ok(n) => n,
        Err(e) => {
            writeln!(err, "b24: {e}")?;
            return Ok(2);
        }
    };
    let (source, checkout) = match (&args.path, &args.git) {
        (_, Some(git)) => (format!("git = {git:?}"), None),
        (Some(path), None) => {
            let path = std::fs::canonicalize(path)?;
            (format!("path = {:?}", path.display().to_string()), Some(path))
        }
        (None, None) => match own_checkout() {
            Some(root) => (format!("path = {:?}", root.display().to_string()), Some(root)),
            None => {
                writeln!(
                    err,
                    "b24: say where b24-widgets comes from: --path CHECKOUT or --git URL"
                )?;
                return Ok(2);
            }
        },
    };
    let crate_name = name.replace('-', "_");
    for (file, template) in FILES {
        let text = template
            .replace("{{name}}", &name)
            .replace("{{crate}}", &crate_name)
            .replace("{{source}}", &source);
        let path = args.dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    if let Some(lock) = checkout.map(|c| c.join("Cargo.lock")).filter(|l| l.exists()) {
        std::fs::copy(lock, args.dir.join("Cargo.lock"))?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "made {} ({name}, b24-widgets from {source})",
        args.dir.display()
    )?;
    writeln!(
        out,
        "  cd {} && cargo test    # the widget against the local portal",
        args.dir.display()
    )?;
    writeln!(
        out,
        "  b24 dev                 # served beside a local portal, installed"
    )?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn package_names_are_checked() {
        assert_eq!(super::package_name("My-Widget").unwrap(), "my-widget");
        assert!(super::package_name("1widget").is_err());
        assert!(super::package_name("my widget").is_err());
        assert!(super::package_name("").is_err());
    }
}
