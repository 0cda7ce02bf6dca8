# report --data reads through the one row stream (once per target, once
# more for --previous): --delimiter, and --threads that do not change a
# byte (30,000 rows: three blocks of the stream's 1 MiB).  - is read once,
# so it serves a model of one target without --previous and is refused
# before any work otherwise.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 30000 --seed 31 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o old.json --quiet 2>/dev/null ||
    fail "train old"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --l2 0.05 -o new.json --quiet 2>/dev/null ||
    fail "train new"
"$vitals" train g.csv --churn churned --drop expanded --id account_id -o one.json --quiet 2>/dev/null || fail "train one"
tr , ';' <g.csv >semi.csv
for t in 1 2; do
    "$vitals" report new.json --data g.csv --scorecard "$cards/equal-weights.json" --previous old.json --threads $t \
        -o r$t.html || fail "report --threads $t"
done
cmp -s r1.html r2.html || fail "the page depends on the thread count"
grep -q '30,000 labelled rows of <code>g.csv</code>' r1.html || fail "the page does not name its data"
"$vitals" report new.json --data semi.csv --delimiter ';' --scorecard "$cards/equal-weights.json" --previous old.json \
    -o semi.html || fail "report --delimiter ';'"
sed 's#<code>semi\.csv</code>#<code>g.csv</code>#g' semi.html >semi_named.html
cmp -s r1.html semi_named.html || fail "--delimiter ';' differs from the comma-separated file (but for its name)"
"$vitals" report one.json --data g.csv --scorecard "$cards/equal-weights.json" -o one_file.html || fail "report one"
"$vitals" report one.json --data - --scorecard "$cards/equal-weights.json" -o one_stdin.html <g.csv ||
    fail "report --data -"
# standard input is read once (for the charts): the riskiest accounts,
# a second pass, are the file's alone, and the page says so
grep -q 'Left out: standard input is read once, for the charts' one_stdin.html || fail "stdin: no line for the accounts"
sed 's#<code>-</code>#<code>g.csv</code>#g; /<h2 id="accounts">/,/<h2 id="segments">/d' one_stdin.html >one_named.html
sed '/<h2 id="accounts">/,/<h2 id="segments">/d' one_file.html >one_file_cut.html
cmp -s one_file_cut.html one_named.html || fail "standard input differs from the file"
expect_fail "^vitals: --data -: the rows are read once per target and once more for --previous" \
    "$vitals" report new.json --data - -o x.html
expect_fail "^vitals: --data -: the rows are read once per target and once more for --previous" \
    "$vitals" report one.json --data - --previous one.json -o x.html
expect_fail "^vitals: semi\.csv:1: the header is one field, .*give --delimiter ';'$" "$vitals" report new.json --data semi.csv -o x.html
expect_fail "^vitals: --threads reads --data: give --data$" "$vitals" report new.json --threads 2 -o x.html
expect_fail "^vitals: --table reads from PostgreSQL: DATA must be a postgresql:// URI$" \
    "$vitals" report new.json --data g.csv --table accounts -o x.html
no_file x.html
"$vitals" report --help | grep -q -- '--query SQL' || fail "--help does not name --query"
