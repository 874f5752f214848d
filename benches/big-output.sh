#!/bin/sh
# Records one pane printing MB megabytes (default 200) and reports wall time,
# peak resident memory (from GNU time) and the cast's size: memory must stay
# bounded however much a program prints.
# Usage: benches/big-output.sh [MB]
set -eu
cd "$(dirname "$0")/.."
mb=${1:-200}
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/big.toml" <<SCENE
[[pane]]
name = "flood"
prompt = "$ "
[[step]]
run = "yes 'the quick brown fox jumps over the lazy dog 0123456789' | head -c ${mb}000000; echo; echo done"
[[step]]
wait.exit = true
timeout = "10m"
SCENE
/usr/bin/time -f "%e %M" -o "$dir/time" ./target/release/director record --quiet "$dir/big.toml" "$dir/big.cast"
read -r wall rss <"$dir/time"
echo "printed ${mb} MB: wall ${wall} s, peak RSS $((rss / 1024)) MiB, cast $(($(wc -c <"$dir/big.cast") / 1024)) KiB, $(($(wc -l <"$dir/big.cast") - 1)) events"
