#!/usr/bin/env bash
# End-to-end: a cast recorded by hand, fixed by `director edit --scrub --trim`.
#
# Records, the way people do, `asciinema rec` (2.4, asciicast v2) of a bash
# with a fake identity: its own UTS namespace with the host name pc42,
# USER=alice, HOME=/home/alice (a tmpfs over /home in its own mount
# namespace; $TMP/home/alice where mount namespaces are refused), a prompt
# and window title carrying user@host:path and an OSC 7 working-directory
# report. The bash starts tmux split in two (window titles passed to the
# terminal); the left pane runs `director demo server`, the right one
# `director demo client`, then `exit` in each pane and in the outer bash.
# asciinema runs in a detached tmux of 100x36, typed into with send-keys.
# Then `director edit raw.cast clean.cast --scrub --trim`, and
# tests/e2e/handmade.py checks clean.cast's bytes and every frame (avt),
# tests/e2e/handmade.mjs plays it in asciinema-player in headless Chromium.
#
# Usage: tests/e2e/handmade.sh   (run.sh installs the venv and npm packages;
# it runs in about 40 s)
# Prints ok:/FAILED: lines; exits non-zero on failure. Keeps raw.cast,
# clean.cast and the screenshot under target/e2e/handmade/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/target/e2e/handmade
asciinema=$root/target/e2e/venv/bin/asciinema
modules=$root/target/e2e/npm/node_modules
[ -x "$asciinema" ] && [ -d "$modules/player-latest" ] || {
  echo "FAILED: handmade: run tests/e2e/run.sh once (it installs asciinema 2.4 and the npm packages)"
  exit 1
}
cargo build --release --quiet
cargo build --release --quiet --example avt_rows
rm -rf "$out"
mkdir -p "$out"

# The identity (HANDMADE_USER/HANDMADE_HOST try others) and the editor
# (DIRECTOR: another build of director to try).
user=${HANDMADE_USER:-alice}
host=${HANDMADE_HOST:-pc42}
director=${DIRECTOR:-$root/target/release/director}
tmp=$(mktemp -d /tmp/director-handmade.XXXXXX)
outer=$tmp/outer.sock
inner=$tmp/inner.sock
cleanup() {
  tmux -S "$inner" kill-server 2>/dev/null || true
  tmux -S "$outer" kill-server 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# /home/alice in a mount namespace of its own when the kernel allows it.
if unshare --uts --mount --propagation private sh -c 'mount -t tmpfs tmpfs /home' 2>/dev/null; then
  ns=(unshare --uts --mount --propagation private)
  home=/home/$user
  mount_home=1
else
  ns=(unshare --uts)
  home=$tmp/home/$user
  mount_home=0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# What runs inside the namespaces: the identity, then asciinema rec.
cat >"$tmp/session.sh" <<'EOF'
set -eu
hostname "$FAKE_HOST"
if [ "$MOUNT_HOME" = 1 ]; then mount -t tmpfs -o mode=755 tmpfs /home; fi
mkdir -p "$H/tcp"
cat >"$H/.bashrc" <<'RC'
PS1='\[\e]0;$USER@\h: \w\a\]$USER@\h:\w\$ '
PROMPT_COMMAND='printf "\e]7;file://%s%s\a" "$HOSTNAME" "$PWD"'
RC
# A login shell's /etc/profile sets PATH again: director's on it here.
printf 'PATH=%s:$PATH\n' "$BIN" >>"$H/.bashrc"
printf '. ~/.bashrc\n' >"$H/.bash_profile"
# The recorded bash starts tmux (unset TMUX: the outer tmux is the terminal).
cat >"$H/.outer_rc" <<RC
. ~/.bashrc
tmux -u -S '$INNER' -f /dev/null new-session -s tcp -c ~ \\; set -g set-titles on \\; split-window -h -c ~ \\; select-pane -L
RC
cd "$H"
exec env -i HOME="$H" USER="$FAKE_USER" LOGNAME="$FAKE_USER" SHELL=/bin/bash TERM=xterm-256color LANG=C.UTF-8 \
  PATH="$BIN:/usr/local/bin:/usr/bin:/bin" \
  "$ASCIINEMA" rec -q --env SHELL,TERM,USER,HOME,LOGNAME -c "bash --rcfile ~/.outer_rc -i" "$CAST"
EOF

screen() { tmux -S "$outer" capture-pane -p -t rec 2>/dev/null; }
fail() {
  echo "FAILED: handmade: $*"
  echo "--- the terminal:"
  screen || true
  exit 1
}
# wait_for TEXT [SECONDS]: until the terminal shows TEXT.
wait_for() {
  local deadline=$((SECONDS + ${2:-10}))
  until screen | grep -qF -- "$1"; do
    [ $SECONDS -lt $deadline ] || fail "the terminal never showed '$1'"
    sleep 0.05
  done
}
# type_line TEXT: key by key, as a person types, then Enter.
type_line() {
  local i
  for ((i = 0; i < ${#1}; i++)); do
    tmux -S "$outer" send-keys -t rec -l -- "${1:i:1}"
    sleep 0.07
  done
  sleep 0.2
  tmux -S "$outer" send-keys -t rec Enter
}

echo "== handmade: asciinema rec of tmux and the TCP demo, as $user@$host, home $home"
start=$SECONDS
tmux -S "$outer" -f /dev/null new-session -d -s rec -x 100 -y 36 \
  "env FAKE_HOST=$host FAKE_USER=$user MOUNT_HOME=$mount_home H=$home INNER=$inner BIN=$root/target/release \
     ASCIINEMA=$asciinema CAST=$out/raw.cast ${ns[*]} bash $tmp/session.sh; tmux -S $outer wait-for -S done; sleep 60"
tmux -S "$outer" set -g status off
# Both panes' prompts, then the seconds a person takes to start typing.
deadline=$((SECONDS + 15))
until [ "$(screen | grep -o "$user@$host:~#" | wc -l)" -ge 2 ]; do
  [ $SECONDS -lt $deadline ] || fail "tmux's two panes never showed their prompts"
  sleep 0.05
done
sleep 2
type_line "cd $home/tcp"
wait_for "$user@$host:~/tcp#"
sleep 0.5
type_line "director demo server --addr 127.0.0.1:$port"
wait_for "Server listening on 127.0.0.1:$port"
sleep 0.5
tmux -S "$outer" send-keys -t rec C-b
sleep 0.1
tmux -S "$outer" send-keys -t rec o
sleep 0.5
type_line "director demo client --addr 127.0.0.1:$port"
wait_for "Connection closed."
wait_for "Closing connection."
sleep 1.5
# The exits: the right pane, the left one (tmux ends), the outer bash.
type_line exit
deadline=$((SECONDS + 10))
until [ "$(tmux -S "$inner" list-panes -t tcp 2>/dev/null | wc -l)" -eq 1 ]; do
  [ $SECONDS -lt $deadline ] || fail "the right pane did not close"
  sleep 0.05
done
sleep 0.7
type_line exit
wait_for "[exited]"
sleep 0.7
type_line exit
timeout 15 tmux -S "$outer" wait-for done || fail "asciinema rec did not end"
tmux -S "$outer" kill-server 2>/dev/null || true
[ -s "$out/raw.cast" ] || fail "no raw.cast"
echo "recorded $out/raw.cast in $((SECONDS - start)) s"

echo "== handmade: director edit raw.cast clean.cast --scrub --trim"
if ! "$director" edit "$out/raw.cast" "$out/clean.cast" --scrub --trim; then
  echo "FAILED: handmade: director edit refused or failed on $out/raw.cast (kept)"
  exit 1
fi
status=0
python3 tests/e2e/handmade.py ./target/release/examples/avt_rows "$out/raw.cast" "$out/clean.cast" \
  "$user" "$host" "$home" "$port" || status=1
echo "== handmade: clean.cast played to the end by asciinema-player in headless Chromium"
node tests/e2e/handmade.mjs "$modules" ./target/release/examples/avt_rows "$out/clean.cast" "$out" \
  "$user" "$host" "$home" || status=1
exit $status
