#!/usr/bin/env bash
# Install, with apt-get, the system packages the test suite needs when a command
# is missing. Each line: the command that must exist, then the Debian package.
set -euo pipefail

needed=(
  # command   package
  dot         graphviz
)

missing=()
for ((i = 0; i < ${#needed[@]}; i += 2)); do
  command -v "${needed[i]}" >/dev/null 2>&1 || missing+=("${needed[i + 1]}")
done

if ((${#missing[@]})); then
  echo "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
