#!/usr/bin/env bash
# CI's second leg: the unit and provider suites and the end-to-end suites that
# exercise the SDK and CLI surface, under Node.js 22, with the newest
# @pulumi/pulumi and a Pulumi CLI of the same version.
#
#   scripts/ci-node22.sh <pulumi version> <jest results file>
#
# The repository's lock file pins the @pulumi/pulumi that Node 20 needs, so
# the leg runs in a copy of the project (no node_modules, bin or .git), where
# that version is installed as the peer (the copy's package.json and lock
# change, the repository's do not). Node 22 comes from scripts/node22.sh and
# the CLI from `scripts/pulumi-cli.sh <version>`, both cached in
# ~/.cache/pulumi-cycle. The e2e harness installs the copy's @pulumi/pulumi
# into each fresh program, so programs and the dynamic provider run on it too.
set -euo pipefail

log() { printf 'node22 leg: %s\n' "$*" >&2; }

[ "$#" -eq 2 ] || {
  echo "usage: $0 <pulumi version> <jest results file>" >&2
  exit 2
}
version=${1#v}
results=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

node_dir=$(bash "$repo_root/scripts/node22.sh")
export PATH="$node_dir:$PATH"
log "node $(node --version) ($node_dir)"

copy=$(mktemp -d "${TMPDIR:-/tmp}/pulumi-cycle-node22.XXXXXX")
cleanup() { rm -rf "$copy"; }
trap cleanup EXIT
tar -C "$repo_root" --exclude=node_modules --exclude=./bin --exclude=./.cache --exclude=./.git --exclude=./.pulumi-cycle -cf - . | tar -C "$copy" -xf -
cd "$copy"
log "copy of the project in $copy"

npm ci --no-audit --no-fund --loglevel=error
npm install --no-audit --no-fund --loglevel=error --save-dev --save-exact "@pulumi/pulumi@$version"
installed=$(node -p 'require("@pulumi/pulumi/package.json").version')
[ "$installed" = "$version" ] || {
  log "@pulumi/pulumi $installed installed, $version expected"
  exit 1
}
log "@pulumi/pulumi $installed"

export PULUMI_CYCLE_CLI_VERSION="$version"
cli_dir=$(bash scripts/pulumi-cli.sh "$version")
log "pulumi CLI $("$cli_dir/pulumi" version) ($cli_dir)"

# The end-to-end suites whose outcome can depend on the SDK or CLI version:
# the resource's whole lifecycle, the packed package installed into a program,
# state written by older releases, the serialized provider, the quick start
# and what the CLI prints for failures; and the native plugin under this CLI
# and its YAML language host (a YAML program's life, two hubs and `pulumi
# import`, the release tarball installed with `pulumi plugin install`). The
# policy suites (fault campaign, two writers, recover, gitops, import, request
# counts, live) exercise the core, which is the same code in both legs; leg 1
# runs them (CI's time budget).
compat_e2e=(lifecycle package state stateProvider quickstart diagnostics yaml/lifecycle yaml/providersImport yaml/pluginInstall)
e2e_paths=()
for name in "${compat_e2e[@]}"; do e2e_paths+=("tests/e2e/$name.test.ts"); done

rm -f "$results"
node node_modules/jest/bin/jest.js tests/unit tests/provider "${e2e_paths[@]}" --json --outputFile="$results"
