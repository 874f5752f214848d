#!/usr/bin/env bash
# Measures director against asciinema rec (3.x) and against the physical
# limit, and prints a table: B1 (the built-in scene), B2 (seq 1 1000000),
# B3 (the compositor alone, `cargo bench --bench compositor`), B4 (pictures:
# `director render` against svg-term-cli and termtosvg, benches/pictures.sh,
# which installs them under target/ when missing). B2's reference
# reader is examples/bare_reader.rs: the command's output read and dropped.
# Installs asciinema 3.x with `cargo install` if it is missing (minutes).
# Usage: benches/compare.sh [RUNS]   (default 15: timings on shared machines vary)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
export PATH="$HOME/.cargo/bin:$PATH"
if ! asciinema --version 2>/dev/null | grep -q '^asciinema 3'; then
  echo "== cargo install asciinema (3.x): a few minutes"
  cargo install --locked --quiet asciinema
fi
cargo build --release --quiet --bin director --example bare_reader
# By path: a Python launcher may put another asciinema first on PATH.
ASCIINEMA=$(command -v asciinema) python3 benches/compare.py "$runs"
echo
cargo bench --quiet --bench compositor 2>/dev/null
echo
benches/pictures.sh "$runs"
