#!/usr/bin/env bash
# What a widget costs to build: from clean, in the same run, three crates:
#   - hello:  the README's hello widget, made from exactly its "Add it to your project"
#             lines (`features = ["server"]`) and its main.rs;
#   - axum:   a bare axum hello of the same shape (a page for POST /handler read from a
#             form, POST /event answering JSON, GET / a page), axum and tokio only;
#   - app:    the installed app (`features = ["lifecycle"]`: install, verification, the
#             SQLite store, the REST client).
# For each: the crates compiled and the time of a clean `cargo build` (dev profile, the
# same versions as the workspace's Cargo.lock), the ratios to the bare axum hello, and the
# libraries compiled twice (for the program, and again for a proc-macro's host).
#
#   benches/hello_build.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/b24-hello-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the first fenced block of a language after the README's heading
readme_block() {
  python3 - "$root/README.md" "$1" <<'PY'
import sys
text = open(sys.argv[1]).read()
lang = sys.argv[2]
at = text.index("## Add it to your project")
start = text.index("```" + lang + "\n", at) + len(lang) + 4
print(text[start:text.index("```", start)], end="")
PY
}

new_crate() { # name, [dependencies] lines, main.rs text
  mkdir -p "$work/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n%s\n[workspace]\n' \
    "$1" "$2" >"$work/$1/Cargo.toml"
  printf '%s\n' "$3" >"$work/$1/src/main.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
}

deps=$(readme_block toml | sed "s|path = \"../b24-widgets\"|path = \"$root\"|")
new_crate hello "$deps" "$(readme_block rust)"

new_crate axum '[dependencies]
axum = "0.8"
tokio = { version = "1", features = ["rt-multi-thread", "macros", "net"] }
serde_json = "1"' 'use std::collections::HashMap;

use axum::routing::{get, post};
use axum::{Form, Json, Router};

async fn handler(Form(request): Form<HashMap<String, String>>) -> axum::response::Html<String> {
    let placement = request.get("PLACEMENT").cloned().unwrap_or_default();
    axum::response::Html(format!("<!doctype html><p>{placement}</p>"))
}

async fn event(Json(event): Json<serde_json::Value>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"done": true, "kind": event["kind"]}))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new()
        .route("/", get(|| async { axum::response::Html("<p>preview</p>") }))
        .route("/handler", post(handler))
        .route("/event", post(event));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("preview: http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await
}'

new_crate app "[dependencies]
b24-widgets = { path = \"$root\", features = [\"lifecycle\"] }" 'use std::sync::Arc;

use b24_widgets::command::{Command, Event};
use b24_widgets::server::{app_router, run, store, tokio, Lifecycle, Preview, WidgetHost};
use b24_widgets::widget::Widget;
use b24_widgets::{layout, LayoutDto};

struct Hello;

impl Widget for Hello {
    fn view(&self) -> LayoutDto {
        layout! { blocks: { greeting: text { value: "Hello from Rust" } }, primaryButton: "Done" }
    }
    fn update(&mut self, _: &Event) -> Vec<Command> {
        vec![Command::Finish]
    }
}

fn main() -> std::io::Result<()> {
    let store = tokio::runtime::Runtime::new()?
        .block_on(store::from_env())
        .map_err(std::io::Error::other)?;
    let life = Arc::new(Lifecycle::new(store, Vec::new()));
    let app = app_router(WidgetHost::new(|_| Hello), life, Preview::default());
    run("127.0.0.1:3000", app, |addr| println!("http://{addr}/"))
}'

declare -A crates seconds twice
for name in axum hello app; do
  export CARGO_TARGET_DIR="$work/target-$name"
  # fetched first (not timed): the build itself is measured
  cargo fetch -q --manifest-path "$work/$name/Cargo.toml"
  start=$(date +%s.%N)
  cargo build --manifest-path "$work/$name/Cargo.toml" --message-format=json \
    >"$work/$name.json" 2>"$work/$name.log" || { cat "$work/$name.log"; exit 1; }
  end=$(date +%s.%N)
  crates[$name]=$(grep -c '^ *Compiling ' "$work/$name.log")
  seconds[$name]=$(echo "$end - $start" | bc)
  # libraries compiled twice: once for the program, once for a proc-macro's host, when
  # the two ask for different features
  twice[$name]=$(python3 -c '
import collections, json, sys
seen = collections.Counter()
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and set(m["target"]["kind"]) - {"bin", "custom-build"}:
        seen[(m["package_id"], m["target"]["name"])] += 1
print(" ".join(sorted(name for (_, name), n in seen.items() if n > 1)) or "-")
' "$work/$name.json")
done

printf '%-8s %8s %10s %14s %12s  %s\n' crate crates seconds "crates/axum" "time/axum" "built twice"
for name in axum hello app; do
  printf '%-8s %8d %10.1f %14.2f %12.2f  %s\n' "$name" "${crates[$name]}" "${seconds[$name]}" \
    "$(echo "${crates[$name]} / ${crates[axum]}" | bc -l)" \
    "$(echo "${seconds[$name]} / ${seconds[axum]}" | bc -l)" "${twice[$name]}"
done
