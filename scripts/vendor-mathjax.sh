#!/usr/bin/env bash
# Refresh the copy of MathJax that talkbase ships (extensions/talkbase/vendor/mathjax/),
# from the npm registry, pinned by version and integrity. Only this script downloads it:
# builds and readers never do (docs/reference/config.md, `talkbase_offline_math`).
#   bash scripts/vendor-mathjax.sh
# What is kept: the component Sphinx 8 loads from its CDN (tex-mml-chtml.js), the fonts it
# asks for relative to itself, the TeX extensions it loads on demand, and the licence.
set -euo pipefail

VERSION=3.2.2
INTEGRITY="sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
DEST="$(cd "$(dirname "$0")/.." && pwd)/extensions/talkbase/vendor/mathjax"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" "mathjax@$VERSION" >/dev/null
tarball="$work/mathjax-$VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "mathjax-$VERSION.tgz: integrity $actual, expected $INTEGRITY" >&2
  exit 1
fi
tar xzf "$tarball" -C "$work"
es5="$work/package/es5"

rm -rf "$DEST"
mkdir -p "$DEST/output/chtml/fonts" "$DEST/input/tex"
cp "$work/package/LICENSE" "$es5/tex-mml-chtml.js" "$DEST/"
cp -r "$es5/output/chtml/fonts/woff-v2" "$DEST/output/chtml/fonts/"
cp -r "$es5/input/tex/extensions" "$DEST/input/tex/"
echo "$VERSION" >"$DEST/VERSION"
du -sh "$DEST"
