#!/bin/sh
# Records a scene N times with --deterministic on one port and counts the
# distinct results: 1 means every run gave the same bytes.
# Usage: benches/same-bytes.sh [--burn] [N] [SCENE]   (default: 20, the built-in scene)
#   --burn  runs two CPU-burning processes beside the recordings, as a
#           loaded machine would (a slow start, late reads).
# Scenes of full-screen and slow-starting programs: benches/scenes/*.toml.
# KEEP=DIR keeps the casts of a run that gave more than one, to compare.
set -eu
cd "$(dirname "$0")/.."
burn=
if [ "${1:-}" = --burn ]; then
  burn=1
  shift
fi
runs=${1:-20}
scene=${2:-}
cargo build --release --quiet
out=$(mktemp -d)
burners=
cleanup() {
  for pid in $burners; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$out"
}
trap cleanup EXIT
if [ -n "$burn" ]; then
  for _ in 1 2; do
    sh -c 'while :; do :; done' &
    burners="$burners $!"
  done
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
i=1
while [ "$i" -le "$runs" ]; do
  # shellcheck disable=SC2086
  ./target/release/director record --quiet --deterministic --set "addr=127.0.0.1:$port" $scene "$out/$i.cast"
  i=$((i + 1))
done
distinct=$(sha256sum "$out"/*.cast | cut -d' ' -f1 | sort -u | wc -l)
echo "${scene:-built-in scene}${burn:+ (two CPU burners beside)}: $runs runs, $distinct distinct cast(s), $(sha256sum "$out/1.cast" | cut -c1-16)"
if [ "$distinct" -ne 1 ]; then
  # Show where the first differing run parts from run 1.
  for f in "$out"/*.cast; do
    if ! cmp -s "$out/1.cast" "$f"; then
      diff "$out/1.cast" "$f" | grep "^[<>]" | head -3 | cut -c1-160; diff "$out/1.cast" "$f" | grep "^>" | head -3 | cut -c1-160
      break
    fi
  done
  [ -n "${KEEP:-}" ] && cp "$out"/*.cast "$KEEP"/
  exit 1
fi
