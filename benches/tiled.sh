#!/bin/sh
# Scale: 16 panes in a tiled layout on a 240x68 terminal, one printing
# `seq 1 1000000`, against one pane printing the same (B2).
# Usage: benches/tiled.sh [RUNS]   (default 10)
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin director
python3 benches/tiled.py target/release/director "${1:-10}"
