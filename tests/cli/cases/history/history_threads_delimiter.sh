# history reads DATA through row_stream: workers score the rows, the
# accounts run in file order on one thread.  The history, the summary and
# the first error are the same bytes with --threads 1 and 2 (the file is
# about 2 MiB, several blocks), and --delimiter ';' reads the same rows.
"$vitals" generate 3000 --months 8 --seed 11 -o train.csv 2>/dev/null || fail "generate"
"$vitals" generate 3000 --months 8 --seed 12 -o snapshots.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --drop expanded --drop snapshot_date --id account_id \
    --red-share 0.05 --yellow-share 0.15 --quiet -o model.json 2>/dev/null || fail "train"
[ "$(wc -c <snapshots.csv)" -gt 2000000 ] || fail "the snapshots are smaller than two blocks"
for t in 1 2; do
    "$vitals" history model.json snapshots.csv --date snapshot_date --threads $t -o h$t.csv --json \
        >h$t.json 2>h$t.txt || fail "history --threads $t"
done
cmp -s h1.csv h2.csv || fail "--threads 1 and 2 wrote different histories"
cmp -s h1.json h2.json || fail "--threads 1 and 2 gave different JSON summaries"
cmp -s h1.txt h2.txt || fail "--threads 1 and 2 gave different summaries"
[ "$(wc -l <h1.csv)" -eq "$(wc -l <snapshots.csv)" ] || fail "a history row per snapshot"
# The same rows with ';' between the fields.
tr , ';' <snapshots.csv >semicolon.csv
"$vitals" history model.json semicolon.csv --date snapshot_date --delimiter ';' --threads 2 -o semi.csv --json \
    >semi.json 2>/dev/null || fail "history --delimiter ';'"
cmp -s h1.csv semi.csv || fail "--delimiter ';' wrote a different history"
cmp -s h1.json semi.json || fail "--delimiter ';' gave a different summary"
expect_fail "^vitals: semicolon\.csv:1: the header is one field, .*give --delimiter ';'$" \
    "$vitals" history model.json semicolon.csv --date snapshot_date -o x.csv
no_file x.csv
# The first error in file order whatever the threads: a date out of order
# at line 5000 comes before a bad cell ten lines later (another worker's
# block or the same), and a bad cell before a later date out of order.
awk -F, 'BEGIN { OFS = "," } NR == 5000 { $2 = "2024-01-01" } NR == 5010 { $7 = "lots" } { print }' \
    snapshots.csv >order_first.csv
awk -F, 'BEGIN { OFS = "," } NR == 5000 { $7 = "lots" } NR == 15000 { $2 = "2024-01-01" } { print }' \
    snapshots.csv >cell_first.csv
for t in 1 2; do
    expect_fail "^vitals: order_first\.csv:5000:2: snapshot_date '2024-01-01' is before 2024-02-01 on an earlier line" \
        "$vitals" history model.json order_first.csv --date snapshot_date --threads $t -o x.csv
    expect_fail "^vitals: cell_first\.csv:5000:7: column 'tenure_months': 'lots' is not a number$" \
        "$vitals" history model.json cell_first.csv --date snapshot_date --threads $t -o x.csv
    no_file x.csv
done
# Standard input streams the same way.
"$vitals" history model.json - --date snapshot_date --threads 2 <snapshots.csv >stdin.csv 2>/dev/null ||
    fail "history from standard input"
cmp -s h1.csv stdin.csv || fail "standard input gave a different history"
# Options that need a database, refused without one.
expect_fail "^vitals: --query reads from PostgreSQL: DATA must be a postgresql:// URI$" \
    "$vitals" history model.json snapshots.csv --date snapshot_date --query "SELECT 1" -o x.csv
no_file x.csv
