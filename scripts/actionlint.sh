#!/usr/bin/env bash
# Lint GitHub Actions workflow files with actionlint (https://github.com/rhysd/actionlint).
#
#   scripts/actionlint.sh                 # the workflows of examples/gitops
#   scripts/actionlint.sh <file.yml>...   # the given files
#
# actionlint is a Go module: it is built once with `go install` through the
# Go module proxy into $PULUMI_CYCLE_CACHE/actionlint/<version>/ (default
# ~/.cache/pulumi-cycle, shared by every clone on the machine, like the Pulumi
# CLI of scripts/pulumi-cli.sh) and reused after that. An `actionlint` of the
# pinned version already on PATH is used as is. When shellcheck is on PATH,
# actionlint also checks the workflows' `run:` scripts with it.
set -euo pipefail

log() { printf 'actionlint: %s\n' "$*" >&2; }

ACTIONLINT_VERSION=v1.7.12

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cache_dir="${PULUMI_CYCLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cycle}/actionlint/$ACTIONLINT_VERSION"

works() { [ -x "$1" ] && [ "$("$1" -version 2>/dev/null | head -n 1)" = "$ACTIONLINT_VERSION" ]; }

bin=""
if existing=$(command -v actionlint 2>/dev/null) && works "$existing"; then
  bin=$existing
elif works "$cache_dir/actionlint"; then
  bin="$cache_dir/actionlint"
else
  go_bin=$(command -v go 2>/dev/null || true)
  if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go; fi
  if [ -z "$go_bin" ]; then
    log "actionlint $ACTIONLINT_VERSION is not installed and Go is not there to build it;"
    log "install it (https://github.com/rhysd/actionlint/blob/main/docs/install.md) or Go, then re-run"
    exit 1
  fi
  mkdir -p "$(dirname "$cache_dir")"
  tmp_dir=$(mktemp -d "$(dirname "$cache_dir")/.build.XXXXXX")
  trap 'rm -rf "$tmp_dir"' EXIT
  log "building actionlint $ACTIONLINT_VERSION with go install into $cache_dir"
  start=$(date +%s)
  (cd "$tmp_dir" && CGO_ENABLED=0 GOBIN="$tmp_dir" GOFLAGS=-mod=mod "$go_bin" install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION") >&2
  works "$tmp_dir/actionlint" || {
    log "the built actionlint does not report version $ACTIONLINT_VERSION"
    exit 1
  }
  mkdir -p "$cache_dir"
  mv -f "$tmp_dir/actionlint" "$cache_dir/actionlint"
  log "built actionlint $ACTIONLINT_VERSION in $(($(date +%s) - start))s"
  bin="$cache_dir/actionlint"
fi

if [ "$#" -eq 0 ]; then
  shopt -s nullglob
  set -- "$repo_root"/examples/gitops/workflows/*.yml
  [ "$#" -gt 0 ] || {
    log "no workflow files in examples/gitops/workflows"
    exit 1
  }
fi
log "linting $# file(s) with $bin"
"$bin" -no-color "$@"
log "no problems found"
