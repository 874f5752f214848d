#!/bin/sh
# Colours a terminal can show: the 16 named ones, bold, a 256-colour ramp
# and a 24-bit gradient.
for i in 0 1 2 3 4 5 6 7; do printf '\033[3%sm colour %s \033[0m' "$i" "$i"; done; echo
for i in 0 1 2 3 4 5 6 7; do printf '\033[1;9%sm bright %s \033[0m' "$i" "$i"; done; echo
i=16; while [ $i -lt 52 ]; do printf '\033[48;5;%sm  ' "$i"; i=$((i + 1)); done; printf '\033[0m\n'
i=0; while [ $i -lt 36 ]; do printf '\033[48;2;%s;%s;200m  ' $((i * 7)) $((255 - i * 7)); i=$((i + 1)); done; printf '\033[0m\n'
printf '\033[1mbold\033[0m \033[2mdim\033[0m \033[3mitalic\033[0m \033[4munderline\033[0m \033[7minverse\033[0m\n'
