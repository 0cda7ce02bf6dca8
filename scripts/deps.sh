#!/bin/sh
# Install the Debian packages vitals needs, if any are missing.
# Usage: scripts/deps.sh [build|test|bench|fuzz]   (test adds xmllint and the
# headless Chromium the report's tests use; bench adds the peers it measures
# against, R mgcv and xgboost for the smooth terms; fuzz adds clang and its libFuzzer/sanitizer runtimes)
set -e
packages="cmake make gcc pkg-config libgsl-dev libsleef-dev libcsv-dev libcjson-dev libcmocka-dev libpq-dev"
if [ "${1:-build}" = test ]; then
  packages="$packages libxml2-utils chromium"
fi
# The db tests and bench: a throwaway PostgreSQL server, libpq, and node + npm
# for DuckDB (tests/db/).  A node from elsewhere (NodeSource) brings its own npm.
if [ "${1:-build}" = test ] || [ "${1:-build}" = bench ]; then
  packages="$packages postgresql nodejs"
  command -v npm >/dev/null 2>&1 || packages="$packages npm"
fi
if [ "${1:-build}" = bench ]; then
  packages="$packages r-base-core r-cran-mgcv python3-sklearn python3-xgboost python3-pandas python3-statsmodels liblinear-tools time"
fi
if [ "${1:-build}" = fuzz ]; then
  packages="$packages clang libclang-rt-14-dev"
fi
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
  echo "vitals needs these Debian packages:$missing" >&2
  echo "install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi
