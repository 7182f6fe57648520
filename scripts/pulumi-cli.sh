#!/usr/bin/env bash
# Provide the Pulumi CLI and print the directory that holds the `pulumi` binary
# (and, when this script built it, the YAML language host beside it).
#
#   PATH="$(scripts/pulumi-cli.sh):$PATH"            # the pinned version
#   PATH="$(scripts/pulumi-cli.sh 3.276.0):$PATH"    # another version
#
# The version: the first argument, else $PULUMI_CYCLE_CLI_VERSION, else the one
# pinned by tools/pulumi-cli/go.mod (in step with the @pulumi/pulumi npm pin).
# A version other than the pinned one is built from its own wrapper module,
# tools/pulumi-cli/v<version>/go.mod (see tools/pulumi-cli/README.md).
#
# 1. A working `pulumi` already on PATH is used as is (when a version was
#    asked for, only if it is that version).
# 2. Otherwise the CLI is built from Go modules (tools/pulumi-cli) into
#    $PULUMI_CYCLE_CACHE/pulumi-cli/<version>/bin (default
#    ~/.cache/pulumi-cycle, shared by every clone on the machine, so CI's fresh
#    clones reuse it), which is reused on later runs. The first
#    build takes several minutes; later ones reuse the Go build cache.
#    The Node.js language host (pulumi-language-nodejs) is a separate Go
#    module that the module proxy does not serve, so it is not built: the
#    scripts and tests run programs through the test language host of
#    tests/langhost instead (see docs/programs.md).
#    The YAML language host (pulumi-language-yaml, pinned below) is its own
#    module, which the proxy does serve: it is built into the same bin
#    directory, so Pulumi YAML programs run with that PATH. It is built only
#    when missing (about 1-2 minutes the first time), also for a CLI already
#    in the cache.
# 3. Otherwise it explains how to install Pulumi the official way and exits 1.
#
# Stdout carries only the directory (one line); progress goes to stderr.
#
# Environment:
#   PULUMI_CLI_IGNORE_PATH=1  skip step 1 (always use/build the pinned version)
#
# For offline use with a local backend, callers also want:
#   PULUMI_BACKEND_URL=file://<dir> PULUMI_CONFIG_PASSPHRASE=<anything>
#   PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
set -euo pipefail

log() { printf 'pulumi-cli: %s\n' "$*" >&2; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
tools_dir="$repo_root/tools/pulumi-cli"

# The version a wrapper module pins (empty when it pins none).
module_version() {
  awk '$1 == "github.com/pulumi/pulumi/pkg/v3" && $2 ~ /^v[0-9]/ { print $2; exit }' "$1/go.mod" 2>/dev/null || true
}

pinned=$(module_version "$tools_dir")
if [ -z "$pinned" ]; then
  log "cannot read the pulumi version from $tools_dir/go.mod"
  exit 1
fi
requested="${1:-${PULUMI_CYCLE_CLI_VERSION:-}}"
if [ -n "$requested" ]; then
  case "$requested" in v*) ;; *) requested="v$requested" ;; esac
  if ! [[ "$requested" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    log "not a version: '$requested' (expected e.g. 3.276.0)"
    exit 2
  fi
fi
version="${requested:-$pinned}"
if [ "$version" = "$pinned" ]; then
  mod_dir="$tools_dir"
else
  mod_dir="$tools_dir/$version"
  if [ "$(module_version "$mod_dir")" != "$version" ]; then
    log "no wrapper module pins pulumi $version: create tools/pulumi-cli/$version/go.mod"
    log "(see tools/pulumi-cli/README.md, 'To build another version')"
    exit 1
  fi
fi
cache_root="${PULUMI_CYCLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cycle}/pulumi-cli"
bin_dir="$cache_root/$version/bin"

# The YAML language host, the same for every CLI version. Its version string
# comes from -ldflags: `go install` does not stamp it.
yaml_module=github.com/pulumi/pulumi-yaml
yaml_version=v1.25.0

# Prints the version reported by the given pulumi binary (empty on failure).
pulumi_version() {
  local out
  out=$(PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null </dev/null) || return 0
  printf '%s\n' "$out" | head -n 1 | tr -d '[:space:]'
}

install_help() {
  cat >&2 <<EOF
pulumi-cli: could not provide the Pulumi CLI: $1

Install it the official way (needs internet), then re-run:
    curl -fsSL https://get.pulumi.com | sh -s -- --version ${version#v}
    export PATH="\$HOME/.pulumi/bin:\$PATH"
or, on macOS/Linux with Homebrew:
    brew install pulumi/tap/pulumi
See https://www.pulumi.com/docs/iac/download-install/ for other options.
Building it from source instead needs Go (1.25 or newer) and access to the
Go module proxy: this script does that automatically when 'go' is on PATH.
EOF
  exit 1
}

# --- 1. pulumi already on PATH ------------------------------------------------
if [ "${PULUMI_CLI_IGNORE_PATH:-}" != "1" ] && existing=$(command -v pulumi 2>/dev/null); then
  v=$(pulumi_version "$existing")
  if [ -n "$v" ] && [ -n "$requested" ] && [ "$v" != "$version" ]; then
    log "ignoring pulumi $v on PATH: $version was asked for"
  elif [ -n "$v" ]; then
    dir=$(cd "$(dirname "$existing")" && pwd)
    log "using pulumi $v already on PATH ($dir)"
    command -v pulumi-language-yaml >/dev/null 2>&1 ||
      log "note: no pulumi-language-yaml on PATH, so Pulumi YAML programs will not run (an official install has one)"
    printf '%s\n' "$dir"
    exit 0
  fi
  log "ignoring $existing: 'pulumi version' printed nothing"
fi

# --- 2. project-local cache, built from Go modules ----------------------------
cli_ok() {
  [ -x "$bin_dir/pulumi-resource-pulumi-nodejs" ] &&
    [ -x "$bin_dir/pulumi" ] &&
    [ "$(pulumi_version "$bin_dir/pulumi")" = "$version" ]
}

# The module version Go recorded in the binary, when Go is there to read it;
# without Go, an executable file is taken as the pinned version.
yaml_ok() {
  [ -x "$bin_dir/pulumi-language-yaml" ] || return 1
  [ -n "${go_bin:-}" ] || return 0
  [ "$("$go_bin" version -m "$bin_dir/pulumi-language-yaml" 2>/dev/null |
    awk -v m="$yaml_module" '$1 == "mod" && $2 == m { print $3; exit }')" = "$yaml_version" ]
}

go_bin=$(command -v go 2>/dev/null || true)
if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then
  go_bin=/usr/local/go/bin/go
fi

if cli_ok && yaml_ok; then
  log "using cached pulumi $version ($bin_dir)"
  printf '%s\n' "$bin_dir"
  exit 0
fi

[ -n "$go_bin" ] || install_help "pulumi is not on PATH and Go is not installed"

mkdir -p "$cache_root"
# Serialize concurrent builds where flock(1) exists; the install below is
# atomic per file anyway, so without flock concurrent runs only waste CPU.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache_root/.lock"
  if ! flock -n 9; then
    log "another build is running; waiting for it"
    flock 9
  fi
  if cli_ok && yaml_ok; then
    log "using cached pulumi $version ($bin_dir)"
    printf '%s\n' "$bin_dir"
    exit 0
  fi
fi

tmp_dir=$(mktemp -d "$cache_root/.build.XXXXXX")
trap 'rm -rf "$tmp_dir"' EXIT

if ! cli_ok; then
  log "building pulumi $version from Go modules into $bin_dir"
  log "(first build: several minutes; go: $("$go_bin" version 2>/dev/null || echo '?'))"
  start=$(date +%s)
  if ! (
    cd "$mod_dir" &&
      CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" "$go_bin" build \
        -trimpath -buildvcs=false \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
        -o "$tmp_dir/" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  ) >&2; then
    install_help "building pulumi $version with $go_bin failed (see the errors above)"
  fi

  # Plugin launched for pulumi.dynamic.Resource providers: a small script that
  # ships at the root of the @pulumi/pulumi npm package.
  provider_script="$repo_root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$provider_script" ] || install_help "$provider_script is missing: run 'npm ci' first"
  cp "$provider_script" "$tmp_dir/pulumi-resource-pulumi-nodejs"
  chmod 755 "$tmp_dir/pulumi-resource-pulumi-nodejs" "$tmp_dir/pulumi"

  built=$(pulumi_version "$tmp_dir/pulumi")
  [ "$built" = "$version" ] ||
    install_help "the freshly built pulumi reports version '$built', expected $version"

  # Install: each mv is a rename(2) within one file system, so a concurrent
  # reader never sees a partial file. `pulumi` goes last because it marks the
  # cache as usable.
  mkdir -p "$bin_dir"
  for f in pulumi-resource-pulumi-nodejs pulumi; do
    mv -f "$tmp_dir/$f" "$bin_dir/$f"
  done
  log "built pulumi $version in $(($(date +%s) - start))s"
fi

# The YAML language host, built with `go install` outside any module (so no
# go.mod or go.work around it applies) into the same bin directory.
if ! yaml_ok; then
  log "building pulumi-language-yaml $yaml_version from Go modules into $bin_dir"
  start=$(date +%s)
  if ! (
    cd "$tmp_dir" &&
      GOWORK=off GOBIN="$tmp_dir" CGO_ENABLED=0 "$go_bin" install \
        -trimpath -buildvcs=false \
        -ldflags "-s -w -X $yaml_module/pkg/version.Version=$yaml_version" \
        "$yaml_module/cmd/pulumi-language-yaml@$yaml_version"
  ) >&2; then
    install_help "building pulumi-language-yaml $yaml_version with $go_bin failed (see the errors above)"
  fi
  mkdir -p "$bin_dir"
  mv -f "$tmp_dir/pulumi-language-yaml" "$bin_dir/pulumi-language-yaml"
  log "built pulumi-language-yaml $yaml_version in $(($(date +%s) - start))s"
fi
cli_ok || install_help "the installed pulumi in $bin_dir does not work"
yaml_ok || install_help "the installed pulumi-language-yaml in $bin_dir is not $yaml_version"
printf '%s\n' "$bin_dir"
