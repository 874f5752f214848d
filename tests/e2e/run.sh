#!/usr/bin/env bash
# End-to-end: the built-in scene recorded as asciicast v2 and v3, played by
# the real players: asciinema-player (3.10.0, which the blog uses, and the
# latest) in headless Chromium, and asciinema 2.4 (`cat` and `play` in a
# detached tmux). Each must show the reference picture; `director render`'s
# SVG, opened in Chromium, must show what tmux shows. Screenshots of the
# final frames are saved under target/e2e/. A scene whose left pane prints
# characters whose width terminals dispute is replayed frame by frame in
# tmux, asciinema 2.4 and both players: the divider, the calm right pane and
# the status line must stay as director drew them. The recordings whose
# layout and captions change (grid, layout-story, tcp-narrated) are read
# frame by frame in both players: every cell as director draws it.
# `director render`'s pictures (animated and still SVG, GIF, PNG) are held
# to avt's screens by tests/e2e/pictures.py: Chromium for the SVG, tesseract
# and pixel colours for the GIF and PNG.
#
# Installs what it needs: Debian's chromium, tmux and tesseract-ocr, the npm
# packages asciinema-player and playwright-core, asciinema 2.4 and Pillow
# from PyPI.
# Usage: tests/e2e/run.sh   (from anywhere; CI runs it from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/e2e
mkdir -p "$out"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v tmux >/dev/null || need_apt+=(tmux)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}" >/dev/null
fi
# asciinema 2.4 in a venv of its own: an asciinema 3 on PATH behaves
# differently (its cat joins recordings, its play prints a banner).
asciinema="$out/venv/bin/asciinema"
if ! "$asciinema" --version 2>/dev/null | grep -q '^asciinema 2\.4'; then
  echo "== pip install asciinema==2.4.0"
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q --disable-pip-version-check asciinema==2.4.0
fi
echo "== npm install asciinema-player@3.10.0 asciinema-player@latest playwright-core"
npm install --prefix "$out/npm" --no-audit --no-fund --no-save --loglevel=error \
  player-3.10.0@npm:asciinema-player@3.10.0 player-latest@npm:asciinema-player@latest playwright-core >/dev/null
echo "asciinema-player latest is $(node -p "require('./$out/npm/node_modules/player-latest/package.json').version")"

echo "== record the built-in scene as v2 and v3"
cargo build --release --quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for format in v2 v3; do
  ./target/release/director record --quiet --format "$format" --set "addr=127.0.0.1:$port" "$out/tcp-$format.cast"
done

passed=0
failed=0
outcome() {
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $*"; fi
}

echo "== asciinema-player in headless Chromium"
for player in player-3.10.0 player-latest; do
  for format in v2 v3; do
    outcome node tests/e2e/player.mjs "$out/npm/node_modules" "$player" "$out/tcp-$format.cast" "$out/$player-$format.png"
  done
done

echo "== asciinema 2.4: cat"
cat_equals_output() {
  "$asciinema" cat "$1" >"$out/cat.out"
  python3 - "$1" "$out/cat.out" <<'PY'
import json, sys
cast, got = sys.argv[1], open(sys.argv[2], "rb").read()
want = "".join(e[2] for e in map(json.loads, open(cast, encoding="utf-8").read().splitlines()[1:]) if e[1] == "o")
if got != want.encode():
    sys.exit(f"asciinema cat printed {len(got)} bytes, the cast's output is {len(want.encode())}")
print(f"ok: asciinema cat {cast}: {len(got)} bytes, equal to the concatenated output")
PY
}
outcome cat_equals_output "$out/tcp-v2.cast"

echo "== asciinema 2.4: play in a detached tmux of the cast's size"
play_shows_picture() {
  local sock="$out/tmux.sock"
  tmux -S "$sock" kill-server 2>/dev/null || true
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 36 \
    "$asciinema play -s 4 $1; tmux -S $sock wait-for -S done; sleep 60"
  timeout 60 tmux -S "$sock" wait-for done
  tmux -S "$sock" capture-pane -p -N -t 0 >"$out/play.txt"
  tmux -S "$sock" kill-server
  node tests/e2e/picture.mjs "$out/play.txt"
}
outcome play_shows_picture "$out/tcp-v2.cast"

echo "== director render: the SVG of the last frame in Chromium, against tmux's screen"
render_matches_terminal() {
  ./target/release/director render --still "$out/tcp.svg" "$out/tcp-v2.cast"
  node tests/e2e/svg.mjs "$out/npm/node_modules" "$out/tcp.svg" "$out/play.txt" "$out/tcp-svg.png"
}
outcome render_matches_terminal

echo "== containment: disputed widths on the left, calm text on the right, frame by frame"
./target/release/director record --quiet --force --set "dir=$PWD/tests/e2e" tests/e2e/containment.toml "$out/containment.cast"
python3 tests/e2e/containment.py reference ./target/release/director "$out/containment.cast" "$out/containment.json"
outcome python3 tests/e2e/containment.py tmux "$out/containment.cast" "$out/containment.json"
outcome python3 tests/e2e/containment.py play "$asciinema" "$out/containment.cast" "$out/containment.json"
player_keeps_containment() {
  node tests/e2e/frames.mjs "$out/npm/node_modules" "$1" "$out/containment.cast" "$out/containment.json" "$out/$1-containment.json" "$out/$1-containment.png" &&
    python3 tests/e2e/containment.py check "$out/containment.json" "$out/$1-containment.json" "$1"
}
for player in player-3.10.0 player-latest; do
  outcome player_keeps_containment "$player"
done

echo "== the recordings whose layout and captions change, every cell of every frame"
for name in grid layout-story tcp-narrated; do
  cast="recordings/$name.cast"
  python3 tests/e2e/containment.py reference ./target/release/director "$cast" "$out/$name.json"
  for player in player-3.10.0 player-latest; do
    outcome sh -c "node tests/e2e/frames.mjs '$out/npm/node_modules' $player '$cast' '$out/$name.json' '$out/$player-$name.json' '$out/$player-$name.png' &&
      python3 tests/e2e/whole.py check '$cast' '$out/$name.json' '$out/$player-$name.json' '$player: $name'"
  done
done

echo "== director render's pictures (SVG, GIF, PNG) against avt, Chromium and tesseract"
command -v tesseract >/dev/null || {
  echo "== apt-get install tesseract-ocr"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q tesseract-ocr >/dev/null
}
if ! "$out/venv/bin/python" -c 'import PIL' 2>/dev/null; then
  echo "== pip install pillow"
  "$out/venv/bin/pip" install -q --disable-pip-version-check pillow
fi
cargo build --release --quiet --example avt_rows
outcome "$out/venv/bin/python" tests/e2e/pictures.py --director ./target/release/director \
  --avt-rows ./target/release/examples/avt_rows --modules "$out/npm/node_modules" --out "$out/pictures"

echo "== a cast recorded by hand (asciinema rec, tmux, the TCP demo as alice@pc42), fixed by director edit --scrub --trim"
outcome tests/e2e/handmade.sh

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
