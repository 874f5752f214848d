#!/bin/sh
# Fills the terminal with a frame and its size in the middle, and draws it
# again whenever the terminal changes size (SIGWINCH), until Ctrl-C.
draw() {
  set -- $(stty size)
  rows=$1 cols=$2
  line=$(printf '%*s' $((cols - 2)) '' | tr ' ' '-')
  printf '\033[H\033[2J+%s+' "$line"
  r=2
  while [ "$r" -lt "$rows" ]; do
    printf '\033[%d;1H|\033[%d;%dH|' "$r" "$r" "$cols"
    r=$((r + 1))
  done
  printf '\033[%d;1H+%s+' "$rows" "$line"
  text="${cols}x${rows}"
  printf '\033[%d;%dH%s' $(((rows + 1) / 2)) $(((cols - ${#text}) / 2 + 1)) "$text"
}
trap draw WINCH
trap 'printf "\033[H\033[2J"; exit 0' INT
printf '\033[?25l'
draw
# A trap runs as soon as `wait` is interrupted, not after a whole sleep.
while :; do
  sleep 1 &
  wait $!
done
