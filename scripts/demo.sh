#!/usr/bin/env bash
# The demo from a fresh clone: installs what it needs where it can, then runs `ocidex demo`
# (a throwaway registry on loopback, sample models pushed, crawled into ./ocidex.db, queried).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "ocidex needs Node.js >= 20.18 (https://nodejs.org or your distribution's nodejs package)." >&2
  exit 1
fi
if [ ! -d node_modules ] || [ ! -f dist/src/cli.js ]; then
  npm ci
fi
if ! command -v docker-registry >/dev/null 2>&1 && [ ! -x /usr/bin/docker-registry ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update && apt-get install -y docker-registry
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update && sudo apt-get install -y docker-registry
  else
    echo "The demo needs a local OCI registry binary. On Debian or Ubuntu: sudo apt-get install docker-registry" >&2
    echo "(elsewhere: CNCF distribution's 'registry' binary, linked or installed as docker-registry on PATH)" >&2
    exit 1
  fi
fi
exec node dist/src/cli.js demo "$@"
