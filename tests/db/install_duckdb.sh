#!/bin/sh
# install_duckdb.sh DIR: DuckDB for the db tests, npm's @duckdb/node-api
# (a prebuilt engine inside the package), installed under DIR/node_modules
# unless it is there already.  The version is pinned: the tests compare an
# engine's doubles bit for bit, and a new engine is a change to review.
set -eu
dir=$1
version=1.5.6-r.1
[ -f "$dir/node_modules/@duckdb/node-api/package.json" ] &&
    grep -q "\"version\": \"$version\"" "$dir/node_modules/@duckdb/node-api/package.json" && exit 0
command -v npm >/dev/null 2>&1 || { echo "install_duckdb: npm not found (scripts/deps.sh build installs it)" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
npm install --no-audit --no-fund --no-save --prefix . "@duckdb/node-api@$version" >install.log 2>&1 || {
    cat install.log >&2
    exit 1
}
