# compare reads LABELLED through the one row stream: --delimiter for a file
# that is not comma-separated (compare took none before), - for standard
# input, and --threads that do not change a byte.  30,000 rows make three
# blocks of the stream's 1 MiB, so the threads really share the rows.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 30000 --seed 23 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
tr , ';' <g.csv >semi.csv
for t in 1 2; do
    "$vitals" compare m.json "$cards/equal-weights.json" g.csv --threads $t --json -o c$t.json --scores s$t.csv ||
        fail "compare --threads $t"
    "$vitals" compare m.json "$cards/equal-weights.json" g.csv --threads $t -o t$t.txt || fail "compare text --threads $t"
done
cmp -s c1.json c2.json || fail "the report depends on the thread count"
cmp -s s1.csv s2.csv || fail "--scores depends on the thread count"
cmp -s t1.txt t2.txt || fail "the text depends on the thread count"
[ "$(wc -l <s1.csv)" -eq 30001 ] || fail "expected 30000 scored rows"
"$vitals" compare m.json "$cards/equal-weights.json" semi.csv --delimiter ';' --threads 2 --json -o semi.json \
    --scores semi.csv.scores || fail "compare --delimiter ';'"
cmp -s c1.json semi.json || fail "--delimiter ';' differs from the comma-separated file"
cmp -s s1.csv semi.csv.scores || fail "--delimiter ';': --scores differs"
"$vitals" compare m.json "$cards/equal-weights.json" - --json -o stdin.json <g.csv || fail "compare -"
cmp -s c1.json stdin.json || fail "standard input differs from the file"
expect_fail "^vitals: semi\.csv:1: the header is one field, .*give --delimiter ';'$" \
    "$vitals" compare m.json "$cards/equal-weights.json" semi.csv --json -o x.json
expect_fail "^vitals: --table reads from PostgreSQL: DATA must be a postgresql:// URI$" \
    "$vitals" compare m.json "$cards/equal-weights.json" g.csv --table accounts
expect_fail "^vitals: --threads: " "$vitals" compare m.json "$cards/equal-weights.json" g.csv --threads 0
no_file x.json
# A bad outcome in the last block is found, at its line, whatever the threads.
awk -F, 'BEGIN { OFS = "," } NR == 29000 { $17 = "maybe" } { print }' g.csv >bad.csv
for t in 1 2; do
    expect_fail "^vitals: bad\.csv:29000:17: 'maybe' is not 0/1" \
        "$vitals" compare m.json "$cards/equal-weights.json" bad.csv --threads $t --json -o x.json
done
no_file x.json
"$vitals" compare --help | grep -q -- '--delimiter D' || fail "--help does not name --delimiter"
