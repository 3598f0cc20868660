#!/usr/bin/env bash
# Installs what sqlt needs from Debian's packages when it is missing: the PostgreSQL 15 server
# (for the embedded database and the tests), libpq-dev, libpg-query-dev, libyaml-dev and pkg-config,
# git (`sqlt deps` clones git packages with it), python3-jsonschema (the tests check the artifacts
# against dbt's JSON schemas) and prometheus-pushgateway (the metrics tests push to a real one on a
# loopback port).
# As root it runs apt-get; otherwise it prints the command to run.
set -euo pipefail

packages=(postgresql postgresql-contrib libpq-dev libpg-query-dev libyaml-dev pkg-config git python3-jsonschema prometheus-pushgateway)
if [ "${SQLT_WITH_BROWSER:-0}" = "1" ]; then packages+=(chromium); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" = "0" ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "sqlt needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
