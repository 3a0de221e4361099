#!/usr/bin/env bash
# Refresh the third-party front-end code under static/vendor/ from the npm
# registry, at the pinned versions below. Needs `npm` (for `npm pack`) and tar.
#
#   scripts/vendor.sh            # fetch the pinned versions
#
# To upgrade: change a version here, run the script, read the diff, run
# `make test`, and update static/vendor/VENDORS.md.
set -euo pipefail

DAGRE_VERSION="3.1.3"     # @dagrejs/dagre: layered graph layout (MIT)
GRAPHLIB_VERSION="4.0.6"  # @dagrejs/graphlib: bundled inside dagre's ESM build (MIT)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch NAME VERSION -> unpacks into $WORK/<name>/package
  local name="$1" version="$2" dir
  dir="$WORK/$(echo "$name" | tr '/@' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null && tar xzf ./*.tgz)
  echo "$dir/package"
}

dagre="$(fetch @dagrejs/dagre "$DAGRE_VERSION")"
graphlib="$(fetch @dagrejs/graphlib "$GRAPHLIB_VERSION")"

grep -q "\"version\": \"$DAGRE_VERSION\"" "$dagre/package.json"
grep -q "\"@dagrejs/graphlib\": \"$GRAPHLIB_VERSION\"" "$dagre/package.json" || {
  echo "dagre $DAGRE_VERSION no longer pins graphlib $GRAPHLIB_VERSION: update GRAPHLIB_VERSION" >&2
  exit 1
}

mkdir -p "$DEST/dagre"
# The ESM build is self-contained (graphlib is bundled in). Drop the
# sourceMappingURL comment: the map is not vendored, and a missing map makes
# browser dev tools log a 404.
sed '/^\/\/# sourceMappingURL=/d' "$dagre/dist/dagre.esm.js" > "$DEST/dagre/dagre.esm.js"
cp "$dagre/LICENSE" "$DEST/dagre/LICENSE"
cp "$graphlib/LICENSE" "$DEST/dagre/LICENSE.graphlib"
cp "$dagre/dist/dagre.esm.js.LEGAL.txt" "$DEST/dagre/dagre.esm.js.LEGAL.txt"

echo "vendored @dagrejs/dagre $DAGRE_VERSION (with @dagrejs/graphlib $GRAPHLIB_VERSION) into $DEST/dagre"
