# vitals sql scores a table typed the engine's own way as predict scores the
# file it came from (issue 22): a model without an id column, keyed with
# --key; yes/no columns DuckDB's read_csv types BOOLEAN (and PostgreSQL
# holds as boolean); a numeric column holding the --na token \ , so a text
# column in both engines; one holding the --na token -999 among decimals,
# which DuckDB types DOUBLE and writes back as -999.0.  Then cells predict refuses (words, inf, 1e999 in
# a numeric column): the view leaves those rows unscored with a note and
# scores the rest, or (PostgreSQL, a number beyond a double's range) stops.
# uses: postgres duckdb
export vitals
awk 'BEGIN {
    srand(11)
    print "account,paperless,partner,mrr,seats,score,plan,churn"
    split("basic|pro|team", plans, "|")
    for (i = 1; i <= 5000; i++) {
        paperless = rand() < 0.6 ? "yes" : "no"; partner = rand() < 0.4 ? "yes" : "no"
        mrr = int(rand() * 50000) / 100; seats = 1 + int(rand() * 40)
        score = i % 31 == 0 ? -999 : int(rand() * 1000) / 100
        plan = plans[1 + int(rand() * 3)]
        z = (score < 0 ? 5 : score) / 10 - 1 + (paperless == "yes" ? 0.8 : 0) - (partner == "yes" ? 0.6 : 0) - mrr / 300 + (plan == "pro" ? 0.5 : 0) + (rand() - 0.5) * 3
        printf "a%05d,%s,%s,%s,%d,%s,%s,%d\n", i, paperless, partner, (i % 23 == 0 ? "\\" : mrr), seats, score, plan, (z > 0)
    }
}' >acc.csv
"$vitals" train acc.csv --churn churn --drop account --na '\,-999' --quiet -o model.json 2>/dev/null || fail "train"
grep -Eq '"id_column":[[:space:]]*null' model.json || fail "the model has an id column"
grep -q '"mrr_missing"' model.json || fail "no mrr_missing term: the \\ cells were not missing"
grep -q '"score_missing"' model.json || fail "no score_missing term: the -999 cells were not missing"
"$vitals" predict model.json acc.csv -o scores.csv --quiet || fail "predict"
# predict numbers the rows by line; the view keys them by account.
awk -F, 'NR == FNR { account[FNR] = $1; next }
    FNR == 1 { sub(/^line/, "account"); print $0 ",vitals_note"; next }
    { $1 = account[$1]; print $0 "," }' OFS=, acc.csv scores.csv >expected.csv

# DuckDB with read_csv's defaults: BOOLEAN yes/no, VARCHAR mrr, BIGINT seats,
# DOUBLE score.
echo "CREATE TABLE accounts AS SELECT * FROM read_csv('$PWD/acc.csv');" >load-duckdb.sql
{
    cat load-duckdb.sql
    echo "SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'accounts';"
} >types.sql
types=$(node "$VITALS_DB_SCRIPTS/duckdb.mjs" types.sql) || fail "DuckDB read_csv"
[ "$types" = "account VARCHAR,paperless BOOLEAN,partner BOOLEAN,mrr VARCHAR,seats BIGINT,score DOUBLE,plan VARCHAR,churn BIGINT" ] ||
    fail "DuckDB typed the columns $types"
# PostgreSQL as a user would type it: boolean yes/no, the \ column text.
cat >load-postgres.sql <<EOF
CREATE TABLE accounts (account TEXT, paperless BOOLEAN, partner BOOLEAN, mrr TEXT, seats INTEGER, score DOUBLE PRECISION, plan TEXT, churn INTEGER);
\\copy accounts FROM '$PWD/acc.csv' CSV HEADER
EOF
for engine in postgres duckdb; do
    CHECK_KEY=account CHECK_LOAD=$PWD/load-$engine.sql \
        sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/acc.csv" "$PWD/expected.csv" || fail "$engine"
done

# Cells predict refuses: it stops at the first; the view notes each row.
awk -F, 'BEGIN { OFS = "," }
    FNR == 101 { $4 = "n/a" } FNR == 202 { $4 = "inf" } FNR == 303 { $4 = "1_000" } FNR == 404 { $4 = "0x10" }
    FNR == 505 { $4 = "12 5" } { print }' acc.csv >words.csv
expect_fail "words.csv:101:4: column 'mrr': 'n/a' is not a number" "$vitals" predict model.json words.csv -o words-scores.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
    NR == 101 || NR == 202 || NR == 303 || NR == 404 || NR == 505 { print $1, "", "", "", "not a number in mrr"; next }
    { print }' expected.csv >words-expected.csv
sed "s|acc.csv|words.csv|" load-duckdb.sql >words-duckdb.sql
sed "s|acc.csv|words.csv|" load-postgres.sql >words-postgres.sql
for engine in postgres duckdb; do
    CHECK_KEY=account CHECK_LOAD=$PWD/words-$engine.sql \
        sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/words.csv" "$PWD/words-expected.csv" ||
        fail "$engine: words"
done
# Beyond a double: DuckDB casts 1e999 to inf, which the view notes;
# PostgreSQL's cast raises, which stops the query (never a silent score).
awk -F, 'BEGIN { OFS = "," } FNR == 606 { $4 = "1e999" } { print }' acc.csv >range.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } NR == 606 { print $1, "", "", "", "not a number in mrr"; next }
    { print }' expected.csv >range-expected.csv
sed "s|acc.csv|range.csv|" load-duckdb.sql >range-duckdb.sql
CHECK_KEY=account CHECK_LOAD=$PWD/range-duckdb.sql \
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" duckdb model.json "$PWD/range.csv" "$PWD/range-expected.csv" || fail "duckdb: 1e999"
sed "s|acc.csv|range.csv|" load-postgres.sql >range-postgres.sql
if CHECK_KEY=account CHECK_LOAD=$PWD/range-postgres.sql \
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" postgres model.json "$PWD/range.csv" "$PWD/range-expected.csv" >range.out 2>&1; then
    fail "PostgreSQL scored a table with 1e999"
fi
grep -q "out of range" range.out || { cat range.out; fail "PostgreSQL did not stop on 1e999"; }
