#!/bin/sh
# Re-records every scene in this folder into the .cast beside it.
# Usage: recordings/record-all.sh   (from anywhere)
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
for scene in recordings/*.toml recordings/*.json; do
  [ -e "$scene" ] || continue
  ./target/release/director record "$scene" "${scene%.*}.cast"
done
