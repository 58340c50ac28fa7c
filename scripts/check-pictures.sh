#!/bin/bash
# Checks the pictures as browsers show them: renders each SVG (and the HTML report, whose
# pictures are inline SVG) in headless Chromium, checks that every node and cluster label lies
# inside its shape (scripts/check-pictures.js), and takes a screenshot of each page to look at.
# usage: check-pictures.sh BINARY OUT_DIR SVG...
# Exit 1 when a label sticks out of its shape.
set -euo pipefail
bin=$1; out=$2; shift 2
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
chromium=$(command -v chromium || command -v chromium-browser)
flags=(--headless --disable-gpu --no-sandbox --hide-scrollbars --virtual-time-budget=4000)
pages=()

# An SVG file, inlined in a page (as the README and the HTML report show them).
for svg in "$@"; do
  page="$out/$(basename "$svg" .svg).html"
  { echo '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:white">'
    sed -e '/^<?xml/d' -e '/^<!DOCTYPE/,/>$/d' "$svg"
    echo '</body></html>'; } > "$page"
  pages+=("$page")
done

# The HTML report of samples/ with the audit log of the tests: its pictures are inline SVG.
"$bin" report -f samples/ --audit-log Tests/RBACLoadingTests/Fixtures/audit.jsonl -q -o html --output-file "$out/report.html" 2>/dev/null || true
pages+=("$out/report.html")

failed=0
for page in "${pages[@]}"; do
  checked="${page%.html}.checked.html"
  sed 's|</body>|<script src="check-pictures.js"></script></body>|' "$page" > "$checked"
  cp "$here/check-pictures.js" "$out/check-pictures.js"
  result=$("$chromium" "${flags[@]}" --dump-dom "file://$(realpath "$checked")" 2>/dev/null \
    | sed -n '/<pre id="check-pictures-result">/,/<\/pre>/p' | sed -e 's/<[^>]*>//g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g')
  if [ -z "$result" ]; then echo "$page: the check did not run"; failed=1; continue; fi
  echo "$(basename "$page"): $(echo "$result" | tail -1)"
  if ! echo "$result" | tail -1 | grep -q ', 0 outside'; then echo "$result" | head -n -1 | sed 's/^/  /'; failed=1; fi
  # A screenshot to look at, as tall as the page.
  "$chromium" "${flags[@]}" --window-size=1400,2400 --screenshot="${page%.html}.png" "file://$(realpath "$page")" >/dev/null 2>&1 || true
done
echo "screenshots: $out/*.png"
exit $failed
