#!/usr/bin/env bash
# Install, with apt-get, the system packages the test suite needs when a command
# is missing. Each line: the command that must exist, then the Debian package.
#   bash scripts/system-deps.sh        everything `make test` and `make pdf` need
#   bash scripts/system-deps.sh html   only what `make html` needs (venv, Graphviz)
set -euo pipefail

# `make html`: Python's venv module (Debian ships it apart) and Graphviz's dot,
# which draws the relations graphs of docs/.
html_needed=(
  dot         graphviz
)

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
  texlive-luatex   # LuaLaTeX's fonts (the lualatex command alone comes with texlive-latex-base)
  tex-gyre         # the fonts of Sphinx's pdfLaTeX setup (tgtermes, tgheros)
  texlive-lang-chinese  # xeCJK (with texlive-lang-cjk): names in Chinese, Japanese, Korean
  texlive-lang-cjk
  fonts-wqy-microhei    # a CJK font (the PDF of a `talkbase new` project)
  fonts-freefont-otf
  texlive-bibtex-extra   # biblatex (tests/test_cite_edge.py)
  lmodern                # Type 1 T1 fonts for pdflatex (tests/test_cite_edge.py)
)

if [ "${1:-}" = html ]; then
  needed=("${html_needed[@]}")
  needed_packages=()
fi

missing=()
# Creating .venv (`$PYTHON -m venv`) needs ensurepip, which Debian ships in python3-venv.
if [ ! -x .venv/bin/python ] && ! "${PYTHON:-python3}" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
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
