# diff --data reads through the one row stream: --delimiter, - for standard
# input, and --threads that do not change a byte (30,000 rows: three blocks
# of the stream's 1 MiB).  The stream's options without --data are refused.
"$vitals" generate 30000 --seed 29 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o old.json --quiet 2>/dev/null ||
    fail "train old"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --l2 0.05 -o new.json --quiet 2>/dev/null ||
    fail "train new"
tr , '|' <g.csv >pipe.csv
for t in 1 2; do
    "$vitals" diff old.json new.json --data g.csv --threads $t --json -o d$t.json || fail "diff --threads $t"
    "$vitals" diff old.json new.json --data g.csv --threads $t -o d$t.txt || fail "diff text --threads $t"
done
cmp -s d1.json d2.json || fail "diff --json depends on the thread count"
cmp -s d1.txt d2.txt || fail "diff's text depends on the thread count"
grep -q '"rows":[[:space:]]*30000' d1.json || fail "not every row scored"
"$vitals" diff old.json new.json --data pipe.csv --delimiter '|' --threads 2 --json -o pipe.json ||
    fail "diff --delimiter '|'"
cmp -s d1.json pipe.json || fail "--delimiter '|' differs from the comma-separated file"
"$vitals" diff old.json new.json --data - --json -o stdin.json <g.csv || fail "diff --data -"
cmp -s d1.json stdin.json || fail "standard input differs from the file"
expect_fail "^vitals: pipe\.csv:1: " "$vitals" diff old.json new.json --data pipe.csv -o x.txt
expect_fail "^vitals: --delimiter reads --data: give --data$" "$vitals" diff old.json new.json --delimiter ';' -o x.txt
expect_fail "^vitals: --query reads --data: give --data$" "$vitals" diff old.json new.json --query "SELECT 1" -o x.txt
expect_fail "^vitals: --table reads from PostgreSQL: DATA must be a postgresql:// URI$" \
    "$vitals" diff old.json new.json --data g.csv --table accounts -o x.txt
expect_fail "^vitals: DATA is a PostgreSQL URI: say which rows with --query or --table$" \
    "$vitals" diff old.json new.json --data postgresql:///nowhere -o x.txt
awk -F, 'BEGIN { OFS = "," } NR == 25000 { $5 = "lots" } { print }' g.csv >bad.csv
for t in 1 2; do
    expect_fail "^vitals: bad\.csv:25000:5: .*'lots'" "$vitals" diff old.json new.json --data bad.csv --threads $t -o x.txt
done
no_file x.txt
"$vitals" diff --help | grep -q -- '--threads N' || fail "--help does not name --threads"
