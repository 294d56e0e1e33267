#!/usr/bin/env bash
# Install, with apt-get, the system packages the test suite needs when a command
# is missing. Each line: the command that must exist, then the Debian package.
set -euo pipefail

needed=(
  # command   package
  dot         graphviz
  latexmk     latexmk
  xelatex     texlive-xetex
  xindy       xindy
  biber       biber
  pdftotext   poppler-utils
  chromium    chromium
  chromedriver chromium-driver
  npm         npm
)

# Packages that install no command of their own: checked with `dpkg -s`.
needed_packages=(
  texlive-latex-recommended
  texlive-latex-extra
  texlive-fonts-recommended
  texlive-lang-french
  fonts-freefont-otf
  texlive-bibtex-extra   # biblatex (tests/test_cite_edge.py)
  lmodern                # Type 1 T1 fonts for pdflatex (tests/test_cite_edge.py)
)

missing=()
for ((i = 0; i < ${#needed[@]}; i += 2)); do
  command -v "${needed[i]}" >/dev/null 2>&1 || missing+=("${needed[i + 1]}")
done
for package in "${needed_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
