#!/bin/sh
# check_sql.sh ENGINE MODEL.json DATA.csv EXPECTED.csv [vitals sql options...]
#
# Score DATA.csv inside ENGINE with the SQL of `vitals sql MODEL.json --from
# accounts --view scores OPTIONS` and compare every row with EXPECTED.csv
# (predict's columns, plus vitals_note: empty scores and the note for a row
# the SQL must leave unscored).  ENGINE: postgres (the server of
# with_postgres.sh, through psql) or duckdb (node duckdb.mjs).  DATA.csv is
# loaded as a warehouse holds it (schema.mjs): numeric features as doubles,
# blanks as NULL, the rest as text.  Probabilities (churn_risk, expansion)
# must agree within 4 ulps (relative 8.9e-16: the engine's exp is its C
# library's, which rounds differently by CPU, vitals' its own, the same on
# every CPU, common/libm_fixed.c; the log-odds before it are the same
# doubles), health, bucket, drivers and note identical, the same ids, each
# once.  Prints
# "ENGINE: N rows, M differ" (and the first differing rows); exits 1 if any
# differ.  Needs $vitals (the binary); works in the current directory.
#   CHECK_KEY=COL: the view is keyed by COL (vitals sql --key COL), the
#     first column of EXPECTED.csv, instead of the model's id column.
#   CHECK_LOAD=FILE.sql: SQL for ENGINE that creates and fills `accounts`
#     its own way (DuckDB's read_csv with its defaults, say) instead of the
#     warehouse schema above.
set -eu
engine=$1 model=$2 data=$3 expected=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
: "${vitals:?check_sql.sh needs \$vitals}"
if [ -n "${CHECK_KEY:-}" ]; then
    "$vitals" sql "$model" --from accounts --view scores --dialect "$engine" --key "$CHECK_KEY" "$@" -o view-$engine.sql
    id=$CHECK_KEY
else
    "$vitals" sql "$model" --from accounts --view scores --dialect "$engine" "$@" -o view-$engine.sql
    id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id_column)' "$model")
fi
# The id comes first (it may hold spaces); then predict's own column names.
columns=$(head -1 "$expected" | cut -d, -f2-)
differs="g.\"$id\" IS NULL OR e.\"$id\" IS NULL"
pairs="g.\"$id\" AS view_id, e.\"$id\" AS expected_id"
for column in $(echo "$columns" | tr ',' ' '); do
    case $column in
    churn_risk | expansion)
        differs="$differs OR (g.$column IS NULL) <> (e.$column IS NULL)"
        # x 2^50 rather than x 2^-50: PostgreSQL raises on a product that underflows
        differs="$differs OR abs(g.$column - e.$column) * 1125899906842624.0 > abs(e.$column)" ;;
    *) differs="$differs OR g.$column IS DISTINCT FROM e.$column" ;;
    esac
    pairs="$pairs, g.$column AS view_$column, e.$column AS expected_$column"
done
{
    # PostgreSQL's database outlives one check: each starts in a schema of its own.
    [ "$engine" = postgres ] && echo "SET client_min_messages = warning; DROP SCHEMA IF EXISTS vt_check CASCADE; CREATE SCHEMA vt_check; SET search_path = vt_check;"
    if [ -n "${CHECK_LOAD:-}" ]; then
        cat "$CHECK_LOAD"
    else
        node "$here/schema.mjs" accounts "$data" "$model"
    fi
    node "$here/schema.mjs" expected "$expected"
    if [ "$engine" = postgres ]; then
        [ -n "${CHECK_LOAD:-}" ] || printf '%s\n' "\\copy accounts FROM '$data' CSV HEADER"
        printf '%s\n' "\\copy expected FROM '$expected' CSV HEADER"
    else
        [ -n "${CHECK_LOAD:-}" ] || echo "COPY accounts FROM '$data' (HEADER);"
        echo "COPY expected FROM '$expected' (HEADER);"
    fi
    cat view-$engine.sql
    echo "CREATE TABLE differ AS SELECT $pairs FROM scores g FULL JOIN expected e ON g.\"$id\" = e.\"$id\" WHERE $differs;"
    echo "SELECT 'rows', count(*) FROM scores UNION ALL SELECT 'differ', count(*) FROM differ"
    echo "UNION ALL SELECT 'ids', count(DISTINCT \"$id\") FROM scores UNION ALL SELECT 'expected', count(*) FROM expected;"
    echo "SELECT * FROM differ LIMIT 5;"
} >check-$engine.sql
if [ "$engine" = postgres ]; then
    psql -X -q -v ON_ERROR_STOP=1 -A -t -F '|' -f check-$engine.sql >result-$engine.txt
else
    # DuckDB prints the last statement's rows only: the counts, then the rows.
    sed '$d' check-$engine.sql >counts-$engine.sql
    node "$here/duckdb.mjs" counts-$engine.sql >result-$engine.txt
    echo "SELECT * FROM differ LIMIT 5;" >>counts-$engine.sql
    node "$here/duckdb.mjs" counts-$engine.sql >>result-$engine.txt
fi
rows=$(sed -n 's/^rows|//p' result-$engine.txt)
differ=$(sed -n 's/^differ|//p' result-$engine.txt)
ids=$(sed -n 's/^ids|//p' result-$engine.txt)
wanted=$(sed -n 's/^expected|//p' result-$engine.txt)
echo "$engine: $rows rows, $differ differ"
if [ "$differ" != 0 ] || [ "$rows" = 0 ] || [ "$rows" != "$wanted" ] || [ "$ids" != "$rows" ]; then
    echo "$engine: expected $wanted rows, distinct ids $ids; first differing rows (view | expected):"
    grep -v -E '^(rows|differ|ids|expected)\|' result-$engine.txt | head -5
    exit 1
fi
