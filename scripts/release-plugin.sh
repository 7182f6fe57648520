#!/usr/bin/env bash
# Build the release artifact of the native provider plugin,
#
#   pulumi-resource-cycle-v<version>-linux-amd64.tar.gz
#
# holding, at its root, the plugin bundled into one file by `npm run build`
# (bin/native/pulumi-resource-cycle.js, copied as pulumi-resource-cycle.js)
# and `pulumi-resource-cycle`, a launcher that runs it with the `node` on
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
bundle="$repo_root/bin/native/pulumi-resource-cycle.js"
[ -f "$bundle" ] || {
  log "$bundle is missing: npm run build makes it"
  exit 1
}

stage=$(mktemp -d "${TMPDIR:-/tmp}/pulumi-resource-cycle.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$bundle" "$stage/pulumi-resource-cycle.js"
cat >"$stage/pulumi-resource-cycle" <<LAUNCHER
#!/bin/sh
# pulumi-resource-cycle $version: the Cycle.io provider plugin for Pulumi.
# Runs the bundled plugin beside this file with the node on PATH (Node.js 20+).
dir=\$(dirname "\$(readlink -f "\$0")")
exec node "\$dir/pulumi-resource-cycle.js" "\$@"
LAUNCHER
chmod 755 "$stage/pulumi-resource-cycle"
chmod 644 "$stage/pulumi-resource-cycle.js"

mkdir -p "$out"
tarball="$(cd "$out" && pwd -P)/pulumi-resource-cycle-v$version-linux-amd64.tar.gz"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - pulumi-resource-cycle pulumi-resource-cycle.js | gzip -n -9 >"$tarball"
log "pulumi-resource-cycle $version: $tarball ($(wc -c <"$tarball") bytes)"
printf '%s\n' "$tarball"
