# A NaN cell of a numeric column is missing on every path: predict reads it
# from a file ("NaN", "nan") or from PostgreSQL (a double precision 'NaN',
# which COPY writes as NaN) and imputes it, COL_missing and all; the vitals
# sql view does the same on PostgreSQL and DuckDB, equal to predict to the
# bit (both engines hold NaN = NaN true, so the view cannot test x <> x
# alone).  Every row.
# uses: postgres duckdb
export vitals
"$vitals" generate 3000 --seed 21 -o generated.csv 2>/dev/null || fail "generate"
# Training blanks mrr on every 40th row: mrr gets a COL_missing term;
# logins_per_seat and seats never miss in training (imputed, no term).
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 40 == 0 { $5 = "" } { print }' generated.csv >train.csv
"$vitals" train train.csv --churn churned --expansion expanded --id account_id --quiet -o model.json 2>/dev/null ||
    fail "train"
grep -q '"mrr_missing"' model.json || fail "no mrr_missing term"
"$vitals" generate 1200 --seed 22 -o fresh.csv 2>/dev/null || fail "generate"
# NaN (and nan) in mrr, logins_per_seat and seats; blanks beside them; one
# row NaN in all three.
awk -F, 'BEGIN { OFS = "," }
    NR > 1 && NR % 7 == 0 { $5 = "NaN" }
    NR > 1 && NR % 11 == 0 { $5 = "nan" }
    NR > 1 && NR % 13 == 0 { $7 = "NaN" }
    NR > 1 && NR % 17 == 0 { $4 = "NaN" }
    NR > 1 && NR % 19 == 0 { $5 = "" }
    NR == 500 { $4 = "NaN"; $5 = "NaN"; $7 = "NaN" }
    { print }' fresh.csv >score.csv
cells=$(awk -F, 'NR > 1 { for (i = 4; i <= 7; i++) n += ($i == "NaN" || $i == "nan") } END { print n }' score.csv)
[ "$cells" -gt 300 ] || fail "only $cells NaN cells"

"$vitals" predict model.json score.csv -o scores.csv 2>summary.txt || fail "predict"
imputed=$(sed -n 's/.*; \([0-9]*\) missing cells imputed.*/\1/p' summary.txt)
blanks=$(awk -F, 'NR > 1 { for (i = 1; i <= NF; i++) n += ($i == "") } END { print n }' score.csv) # nps has its own
[ "$imputed" = $((cells + blanks)) ] || { cat summary.txt; fail "imputed $imputed, not $cells NaN + $blanks blank"; }
# A NaN scores as a blank does.
sed 's/,NaN,/,,/g; s/,nan,/,,/g; s/,NaN,/,,/g; s/,nan,/,,/g' score.csv >blank.csv
"$vitals" predict model.json blank.csv -o blank-scores.csv --quiet || fail "predict blanks"
cmp -s scores.csv blank-scores.csv || fail "a NaN does not score as a blank"

# From PostgreSQL: the cells are double precision NaN, and predict reads them
# as it reads the file.
{
    echo "SET client_min_messages = warning;"
    node "$VITALS_DB_SCRIPTS/schema.mjs" nan_accounts score.csv model.json
    printf '%s\n' "\\copy nan_accounts FROM 'score.csv' CSV HEADER"
} | psql -X -q -v ON_ERROR_STOP=1 || fail "loading score.csv"
[ "$(psql -tAc "SELECT count(*) FROM nan_accounts WHERE mrr = 'NaN' OR logins_per_seat = 'NaN' OR seats = 'NaN'")" -gt 200 ] ||
    fail "PostgreSQL holds no NaN"
"$vitals" predict model.json "$VITALS_PG_URI" --table nan_accounts -o from-pg.csv 2>pg-summary.txt || fail "predict from PostgreSQL"
cmp -s scores.csv from-pg.csv || fail "predict from PostgreSQL differs from predict on the file"
grep -q "; $imputed missing cells imputed" pg-summary.txt || { cat pg-summary.txt; fail "imputed count from PostgreSQL"; }

# DuckDB reads the same cells as NaN too (else the comparison below proves nothing).
{
    node "$VITALS_DB_SCRIPTS/schema.mjs" accounts score.csv model.json
    echo "COPY accounts FROM '$PWD/score.csv' (HEADER);"
    echo "SELECT count(*) FROM accounts WHERE isnan(mrr) OR isnan(logins_per_seat) OR isnan(seats);"
} >nan-duckdb.sql
[ "$(node "$VITALS_DB_SCRIPTS/duckdb.mjs" nan-duckdb.sql)" -gt 200 ] || fail "DuckDB holds no NaN"

# The view: predict's scores, no note (an imputed cell leaves a row scored).
awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores.csv >expected.csv
for engine in postgres duckdb; do
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/score.csv" "$PWD/expected.csv" || fail "$engine"
done
