//! ARCHITECTURE.md's crate table against the manifests (`cargo metadata`): a row per
//! package of the workspace, each of its dependencies named, nothing named that it does
//! not depend on, each of its features listed.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

struct Row {
    crate_cell: String,
    depends: String,
    features: String,
}

/// The table under "## The crates": its cells, by column.
fn rows(architecture: &str) -> Vec<Row> {
    let from = architecture
        .find("## The crates")
        .expect("ARCHITECTURE.md has `## The crates`");
    architecture[from..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 5, "a row of five cells: {line}");
            Row {
                crate_cell: cells[1].to_owned(),
                depends: cells[3].to_owned(),
                features: cells[4].to_owned(),
            }
        })
        .collect()
}

/// The words of a cell outside parentheses (what is in them explains the word before).
fn words(cell: &str) -> BTreeSet<String> {
    let mut depth = 0;
    let mut outside = String::new();
    for c in cell.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    outside
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_crate_table_names_each_crates_dependencies_and_features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    // every crate of the lock file: a word of a cell that names one is a claim to check
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let known: BTreeSet<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"'))
        .collect();

    let rows = rows(&architecture);
    let mut wrong = Vec::new();
    for package in metadata["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        let Some(row) = rows
            .iter()
            .find(|r| r.crate_cell.starts_with(&format!("`{name}`")))
        else {
            wrong.push(format!("{name}: no row"));
            continue;
        };
        let named = words(&row.depends);
        let deps: BTreeSet<&str> = package["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        for dep in &deps {
            if !named.contains(*dep) {
                wrong.push(format!("{name}: depends on {dep}, not named"));
            }
        }
        for word in &named {
            if known.contains(word.as_str()) && !deps.contains(word.as_str()) && word != name {
                wrong.push(format!("{name}: names {word}, not a dependency"));
            }
        }
        let listed = words(&row.features);
        for feature in package["features"].as_object().unwrap().keys() {
            if feature != "default" && !listed.contains(feature) {
                wrong.push(format!("{name}: feature `{feature}` not listed"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "ARCHITECTURE.md's crate table is not true:\n{}",
        wrong.join("\n")
    );
}
