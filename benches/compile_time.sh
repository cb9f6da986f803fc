#!/usr/bin/env bash
# Compile time of a 1,000-block layout: a crate that writes it with `layout!` against the
# same crate writing the same JSON with `serde_json::json!` (no checks). Dependencies are
# built once; each measured build recompiles only the crate holding the layout.
#
#   benches/compile_time.sh [RUNS]      (default 5; prints the medians and their ratio)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/b24-compile-time.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target"

python3 "$root/benches/gen_thousand.py" "$work/gen" >/dev/null
for kind in layout json; do
  mkdir -p "$work/$kind/src"
  cat >"$work/$kind/Cargo.toml" <<TOML
[package]
name = "thousand-$kind"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
b24-widgets = { path = "$root" }
serde_json = { version = "1", features = ["preserve_order"] }

[workspace]
TOML
  cp "$root/Cargo.lock" "$work/$kind/Cargo.lock"
  {
    echo '#![recursion_limit = "1024"]'
    cat "$work/gen/$kind.rs"
    if [ "$kind" = layout ]; then
      echo 'fn main() { println!("{}", thousand_layout().to_json().len()); }'
    else
      echo 'fn main() { println!("{}", serde_json::to_string(&thousand_json()).unwrap().len()); }'
    fi
  } >"$work/$kind/src/main.rs"
  cargo build -q --manifest-path "$work/$kind/Cargo.toml"   # dependencies, once
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A result
for kind in layout json; do
  times=()
  for _ in $(seq "$runs"); do
    touch "$work/$kind/src/main.rs"
    start=$(date +%s.%N)
    cargo build -q --manifest-path "$work/$kind/Cargo.toml"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  result[$kind]=$(printf '%s\n' "${times[@]}" | median)
  printf '%-7s median of %s builds: %.2f s\n' "$kind" "$runs" "${result[$kind]}"
done
printf 'layout! / json! = %.2f\n' "$(echo "${result[layout]} / ${result[json]}" | bc -l)"
