#!/bin/sh
# sql_engines.sh VITALS MODEL.json DATA.csv RESULTS: time `vitals sql`'s view
# scoring DATA.csv inside PostgreSQL and inside DuckDB, for bench/run.sh.
# Run inside tests/db/with_postgres.sh (a throwaway server, PG* set); DuckDB
# from bench/node.  The rows are loaded first, untimed, as a warehouse holds
# them (numeric features as doubles, the rest text); the time is the query
# that materialises the view's scores in a table (CREATE TABLE AS SELECT),
# best of three, in the engine (psql's round trip included for PostgreSQL;
# DuckDB's own timing inside node).  Peak memory is not measured (written 0).
# Appends "predict postgres-view SECONDS 0" and "predict duckdb-view ..." to
# RESULTS.  Beside them, vitals predict reading the same loaded rows from
# PostgreSQL by COPY (--table accounts, scores to a file) and writing its
# scores back (--to-table, --replace): "predict vitals-from-postgres SECONDS
# MiB" and "predict vitals-postgres-to-table ...", best of three, whole
# process, peak RSS from GNU time.
set -eu
vitals=$1 model=$2 data=$3 results=$4
here=$(cd "$(dirname "$0")" && pwd)
db=$here/../tests/db
dir=$(dirname "$results")

if command -v psql >/dev/null 2>&1 && [ -n "${PGHOST:-}" ]; then
    "$vitals" sql "$model" --from accounts --view scores --dialect postgres -o "$dir/view-postgres.sql"
    {
        node "$db/schema.mjs" accounts "$data" "$model"
        printf '%s\n' "\\copy accounts FROM '$data' CSV HEADER"
        echo "ANALYZE accounts;"
        cat "$dir/view-postgres.sql"
    } | psql -X -q -v ON_ERROR_STOP=1 >/dev/null
    best=""
    for attempt in 1 2 3; do
        start=$(date +%s.%N)
        psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning; DROP TABLE IF EXISTS scored; CREATE TABLE scored AS SELECT * FROM scores;"
        seconds=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
        if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$seconds; fi
    done
    rows=$(psql -X -A -t -c "SELECT count(*) FROM scored")
    echo "  postgres view: $rows rows scored" >&2
    echo "predict postgres-view $best 0" >>"$results"
    time_vitals() { # TOOL ARGS...: best of three
        tool=$1
        shift
        best="" peak=0
        for attempt in 1 2 3; do
            /usr/bin/time -f "%e %M" -o "$dir/time-pg.txt" "$vitals" predict "$model" "$VITALS_PG_URI" --table accounts \
                --quiet "$@" >/dev/null || { echo "  $tool failed" >&2; return 0; }
            read -r seconds kib <"$dir/time-pg.txt"
            if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$seconds; fi
            [ "$kib" -gt "$peak" ] && peak=$kib
        done
        echo "predict $tool $best $((peak / 1024))" >>"$results"
    }
    sort "$dir/scores-vitals.csv" >"$dir/scores-vitals-sorted.csv"
    time_vitals vitals-from-postgres -o "$dir/scores-postgres.csv"
    # A large table's scan may start mid-table (synchronize_seqscans): compare sorted.
    sort "$dir/scores-postgres.csv" | cmp -s - "$dir/scores-vitals-sorted.csv" || echo "  scores from PostgreSQL differ from the CSV's" >&2
    time_vitals vitals-postgres-to-table --to-table scored_by_vitals --replace
fi

if [ -d "$here/node/node_modules/@duckdb/node-api" ]; then
    "$vitals" sql "$model" --from accounts --view scores --dialect duckdb -o "$dir/view-duckdb.sql"
    schema=$(node "$db/schema.mjs" accounts "$data" "$model")
    VITALS_DUCKDB_MODULES=$here/node/node_modules node --input-type=module - "$dir/view-duckdb.sql" "$data" "$schema" <<'JS' >>"$results"
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(process.env.VITALS_DUCKDB_MODULES + '/');
const { DuckDBInstance } = require('@duckdb/node-api');
const [viewPath, dataPath, schema] = process.argv.slice(2);
const connection = await (await DuckDBInstance.create(':memory:')).connect();
await connection.run(schema);
await connection.run(`COPY accounts FROM '${dataPath.replaceAll("'", "''")}' (HEADER)`);
await connection.run(readFileSync(viewPath, 'utf8'));
let best = Infinity;
for (let attempt = 0; attempt < 3; attempt++) {
  const start = process.hrtime.bigint();
  await connection.run('CREATE OR REPLACE TABLE scored AS SELECT * FROM scores');
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(`predict duckdb-view ${best.toFixed(2)} 0`);
JS
fi
