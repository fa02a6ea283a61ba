#!/usr/bin/env bash
# Installs the npm package n8n (1.x: it runs on Node 22; 2.x needs 24) once into node_modules/.cache/real-n8n
# for the integration test against a real n8n, and prints the path of its binary. Its SheetJS dependency
# points at a CDN outside the registry, so the registry's xlsx stands in (n8n's spreadsheet node only).
set -euo pipefail
version=1.123.81
root="$(cd "$(dirname "$0")/../../.." && pwd)"
dir="$root/node_modules/.cache/real-n8n"
bin="$dir/node_modules/.bin/n8n"
if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "$version" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '{"name":"real-n8n","private":true,"overrides":{"xlsx":"0.18.5"}}\n' >"$dir/package.json"
  started=$(date +%s)
  (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$version" >&2)
  echo "installed n8n $version in $(($(date +%s) - started)) s" >&2
fi
echo "$bin"
