#!/bin/sh
# A progress bar redrawn in place with a carriage return.
i=0
while [ $i -le 40 ]; do
  bar=$(printf '%*s' "$i" '' | tr ' ' '#')
  printf '\rdownloading [%-40s] %3d%%' "$bar" $((i * 100 / 40))
  sleep 0.05
  i=$((i + 1))
done
printf '\n\033[32mdone\033[0m\n'
