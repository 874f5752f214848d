#!/usr/bin/env bash
# B1 and B2 of benches/compare.sh for this tree against an earlier revision,
# the two builds taking turns: did a change make recording slower?
# Builds REV in a temporary worktree (removed afterwards).
# Usage: benches/against.sh REV [RUNS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: benches/against.sh REV [RUNS]}
runs=${2:-30}
tree=$(mktemp -d)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
git worktree add --quiet --detach "$tree" "$rev"
echo "== building $rev and this tree (release)"
(cd "$tree" && cargo build --release --quiet --bin director)
cargo build --release --quiet --bin director
python3 benches/against.py "$tree/target/release/director" target/release/director "$runs" "$rev"
