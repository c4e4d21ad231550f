#!/usr/bin/env bash
# Install axe-core (the accessibility engine injected into pages by the browser tests) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.14.1
TARGET=.cache/axe
if [ -f "$TARGET/node_modules/axe-core/axe.min.js" ] && grep -q "\"version\": \"$VERSION\"" "$TARGET/node_modules/axe-core/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "ensure-axe: npm is missing; the accessibility checks will be skipped" >&2
  exit 0
fi
mkdir -p "$TARGET"
npm install --silent --no-audit --no-fund --prefix "$TARGET" "axe-core@$VERSION" >/dev/null
echo "ensure-axe: axe-core $VERSION installed in $TARGET"
