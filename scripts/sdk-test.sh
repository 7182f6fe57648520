#!/usr/bin/env bash
# The generated Python and Go SDKs install and build from this checkout, and a
# mocks test of each (Pulumi's own mocks: no engine, no language host)
# registers an Integration and calls getIntegration, asserting the type tokens,
# the inputs and that `auth` is a secret:
#
# - Python: a virtualenv with `pulumi` from PyPI at the version the project
#   pins (tools/sdkgen/go.mod), cached in $PULUMI_CYCLE_CACHE/sdk-python
#   (default ~/.cache/pulumi-cycle); sdk/python is installed into it from a
#   copy (so no build output lands in sdk/), then tests/sdk/python runs.
# - Go: `go test` in tests/sdk/go, a module that takes sdk/go by `replace` and
#   the Pulumi Go SDK from the module cache; builds reuse the Go build cache.
#
# Run by CI after scripts/sdk-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

step() { echo "sdk-test: $*" >&2; }

version=$(sed -n 's|.*github.com/pulumi/pulumi/pkg/v3 v\([0-9][0-9.]*\).*|\1|p' tools/sdkgen/go.mod | head -n 1)
if [ -z "$version" ]; then
  step "cannot read the pulumi version from tools/sdkgen/go.mod"
  exit 1
fi
python=$(command -v python3)
pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv="${PULUMI_CYCLE_CACHE:-$HOME/.cache/pulumi-cycle}/sdk-python/pulumi-$version-py$pyver"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

started=$(date +%s)
if [ ! -f "$venv/.complete" ]; then
  step "creating $venv (pulumi==$version from PyPI)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pulumi==$version" wheel
  touch "$venv/.complete"
fi
cp -R sdk/python "$tmp/python"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps "$tmp/python"
# The SDK's own requirements (parver, semver, ...): already there after the first run.
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation "$tmp/python"
(cd tests/sdk/python && PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -m unittest -v test_mocks)
step "python: passed in $(( $(date +%s) - started )) s"

started=$(date +%s)
(cd tests/sdk/go && go vet ./... && go test -count=1 -v ./...)
step "go: passed in $(( $(date +%s) - started )) s"

# Nothing the runs did may land in the generated tree.
left=$(git -C "$root" ls-files --others -- sdk)
if [ -n "$left" ] || ! git -C "$root" diff --quiet -- sdk; then
  echo "$left" >&2
  step "the runs left or changed files in sdk/"
  exit 1
fi
