#!/usr/bin/env bash
# Build the release artifact of the native provider plugin,
#
#   pulumi-resource-cycle-v<version>-linux-amd64.tar.gz
#
# holding, at its root, the plugin as `npm run build` bundles it into
# bin/native/ (the entry pulumi-resource-cycle.mjs and the chunks it loads
# on its first call; every dependency inside, nothing else needed) and
# `pulumi-resource-cycle`, a launcher that runs the entry with the `node` on
# PATH (Node.js 20 or newer). Users install it with
#
#   pulumi plugin install resource cycle <version> --file <tarball>
#
# after which every Pulumi program (YAML, Python, Go, TypeScript SDK) finds
# the plugin without `packages:` in Pulumi.yaml.
#
#   scripts/release-plugin.sh [--no-build] [out dir]
#
# The version is package.json's. The out dir defaults to .cache/release.
# --no-build uses bin/ as it is (after `npm run build`). Stdout carries only
# the tarball's path; progress goes to stderr. The archive is reproducible:
# fixed order, owner and times.
set -euo pipefail

log() { printf 'release-plugin: %s\n' "$*" >&2; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=1
out=""
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -*)
      log "unknown option $arg (usage: $0 [--no-build] [out dir])"
      exit 2
      ;;
    *) out=$arg ;;
  esac
done
out=${out:-$repo_root/.cache/release}

version=$(node -p 'require(process.argv[1]).version' "$repo_root/package.json")
if [ "$build" = 1 ]; then
  log "npm run build"
  (cd "$repo_root" && npm run build --silent) >&2
fi
bundle_dir="$repo_root/bin/native"
entry=pulumi-resource-cycle.mjs
[ -f "$bundle_dir/$entry" ] || {
  log "$bundle_dir/$entry is missing: npm run build makes it"
  exit 1
}

stage=$(mktemp -d "${TMPDIR:-/tmp}/pulumi-resource-cycle.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp -R "$bundle_dir/." "$stage/"
find "$stage" -name '*.map' -delete
cat >"$stage/pulumi-resource-cycle" <<LAUNCHER
#!/bin/sh
# pulumi-resource-cycle $version: the Cycle.io provider plugin for Pulumi.
# Runs the bundled plugin beside this file with the node on PATH (Node.js 20+).
dir=\$(dirname "\$(readlink -f "\$0")")
exec node "\$dir/$entry" "\$@"
LAUNCHER
find "$stage" -type d -exec chmod 755 {} +
find "$stage" -type f -exec chmod 644 {} +
chmod 755 "$stage/pulumi-resource-cycle"

mkdir -p "$out"
tarball="$(cd "$out" && pwd -P)/pulumi-resource-cycle-v$version-linux-amd64.tar.gz"
# shellcheck disable=SC2046 # the stage's top-level names, none with spaces
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - $(ls -A "$stage") | gzip -n -9 >"$tarball"
log "pulumi-resource-cycle $version: $tarball ($(wc -c <"$tarball") bytes)"
printf '%s\n' "$tarball"
