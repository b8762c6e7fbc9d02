#!/usr/bin/env bash
# Refresh the vendored browser assets in src/flgraph/web/static/vendor/.
#
# Installs the exact versions pinned in package-lock.json (npm ci, no install
# scripts run) and copies only the built files that flgraph's pages load, plus
# their licence files, into the package's static folder. Re-running it with an
# unchanged lock file produces byte-identical output.
#
# Usage: tools/vendor/update.sh          (needs node >= 18 and npm, and the npm registry)
#        tools/vendor/update.sh --check  (also fails if the result differs from the
#                                         files already in the work tree)
#
# To upgrade a package: edit the exact version in package.json, run
# `npm install --package-lock-only --ignore-scripts` in tools/vendor/, run this
# script, re-check yasgui-offline.md against the new build and update README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dest="$repo/src/flgraph/web/static/vendor"
check=0
[[ "${1:-}" == "--check" ]] && check=1

cd "$here"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
nm="$here/node_modules"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

copy() { # copy SRC (relative to node_modules) to DEST (relative to vendor dir)
  install -D -m 0644 "$nm/$1" "$out/$2"
}

# --- YASGUI (@zazuko/yasgui): SPARQL editor + result viewer -----------------
copy @zazuko/yasgui/build/yasgui.min.js  yasgui/yasgui.min.js
copy @zazuko/yasgui/build/yasgui.min.css yasgui/yasgui.min.css
# The npm package ships no LICENSE file; its package.json declares MIT.
node "$here/licenses.js" yasgui-license "$nm" > "$out/yasgui/LICENSE"
# yasgui.min.js bundles many packages with their licence comments stripped:
# collect their licence texts (package list read from the bundle's source map).
node "$here/licenses.js" yasgui-third-party "$nm" > "$out/yasgui/THIRD-PARTY-LICENSES.txt"

# --- Apache ECharts ---------------------------------------------------------
copy echarts/dist/echarts.min.js  echarts/echarts.min.js
copy echarts/LICENSE              echarts/LICENSE
copy echarts/NOTICE               echarts/NOTICE
copy echarts/licenses/LICENSE-d3  echarts/LICENSE-d3
copy zrender/LICENSE              echarts/LICENSE-zrender
copy tslib/LICENSE.txt            echarts/LICENSE-tslib

# --- topojson-client (TopoJSON -> GeoJSON in the browser) -------------------
copy topojson-client/dist/topojson-client.min.js topojson-client/topojson-client.min.js
copy topojson-client/LICENSE                     topojson-client/LICENSE

# --- world-atlas (Natural Earth 1:110m countries, TopoJSON) -----------------
copy world-atlas/countries-110m.json world-atlas/countries-110m.json
copy world-atlas/LICENSE             world-atlas/LICENSE

# Checksums of everything generated (sorted, stable).
(cd "$out" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort \
  | xargs sha256sum > SHA256SUMS)

subdirs=(yasgui echarts topojson-client world-atlas)
if [[ $check == 1 ]]; then
  status=0
  for d in "${subdirs[@]}"; do
    diff -r "$out/$d" "$dest/$d" >/dev/null || { echo "differs: $d" >&2; status=1; }
  done
  cmp -s "$out/SHA256SUMS" "$dest/SHA256SUMS" || { echo "differs: SHA256SUMS" >&2; status=1; }
  [[ $status == 0 ]] && echo "vendor files are up to date"
  exit $status
fi

# Replace only the generated parts; README.md, yasgui-offline.md and
# yasgui-offline-example.js in $dest are hand-written and left alone.
mkdir -p "$dest"
for d in "${subdirs[@]}"; do
  rm -rf "${dest:?}/$d"
  cp -r "$out/$d" "$dest/$d"
done
cp "$out/SHA256SUMS" "$dest/SHA256SUMS"
find "$dest" -type d -exec chmod 0755 {} +
echo "vendored files written to $dest:"
(cd "$dest" && du -b --apparent-size -c "${subdirs[@]}" | tail -n 1)
