#!/usr/bin/env bash
# Fails when the committed schema.json or sdk/ is not what `npm run sdk` would
# write now: the schema is rendered from the model and the SDKs generated from
# it into a temporary directory (tools/sdkgen, through the Go build and module
# caches: seconds once they are warm), then both are compared with the
# committed files. Run by CI; fix a failure with `npm run sdk` and commit.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

npx ts-node --transpile-only scripts/schema.ts "$tmp/schema.json" >/dev/null
(cd tools/sdkgen && go run . "$tmp/schema.json" "$tmp/sdk") >/dev/null

stale=0
if ! diff -u schema.json "$tmp/schema.json"; then
  echo "sdk-check: schema.json is stale" >&2
  stale=1
fi
# What building or installing an SDK leaves in its tree (the generated
# .gitignore files name these) is not compared.
if ! diff -r -x node_modules -x bin -x __pycache__ -x '*.pyc' -x '*.egg-info' -x build -x dist -x .mypy_cache sdk "$tmp/sdk"; then
  echo "sdk-check: sdk/ is stale" >&2
  stale=1
fi
if [ "$stale" -ne 0 ]; then
  echo "sdk-check: run \`npm run sdk\` and commit schema.json and sdk/" >&2
  exit 1
fi
echo "sdk-check: schema.json and sdk/ are current"
