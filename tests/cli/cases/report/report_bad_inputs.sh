# Bad inputs: one line naming the file, non-zero exit, no report left.
train_small
expect_fail "^vitals: report: -o is required" "$vitals" report model.json
no_file r.html
expect_fail "^vitals: nope\.json" "$vitals" report nope.json -o r.html
no_file r.html
cut -d, -f1-3 small.csv >nolabel.csv
expect_fail "^vitals: nolabel\.csv:1: no outcome column 'churn'" "$vitals" report model.json --data nolabel.csv -o r.html
no_file r.html
printf 'id,x,plan,churn\n1,0.5,a,maybe\n' >bad.csv
expect_fail "^vitals: bad\.csv:2:4: 'maybe' is not 0/1" "$vitals" report model.json --data bad.csv -o r.html
no_file r.html
printf 'id,x,plan,churn\n1,0.5,a,1\n2,0.7,b,1\n' >oneclass.csv
expect_fail "^vitals: .*" "$vitals" report model.json --data oneclass.csv -o r.html
no_file r.html
# A previous model whose target is another column.
sed '1s/churn$/left/' small.csv >other.csv
"$vitals" train other.csv --churn left --id id -o two.json --quiet 2>/dev/null || fail "train other"
expect_fail "^vitals: two\.json: --previous: its targets differ from model\.json's" "$vitals" report model.json --previous two.json -o r.html
no_file r.html
expect_fail "^vitals: .*nodir/r\.html" "$vitals" report model.json -o nodir/r.html
expect_fail "^vitals: --flag: '-1' is not a positive z" "$vitals" report model.json --flag -1 -o r.html
no_file r.html
# An existing report is left as it was when the new one fails.
echo old >r.html
expect_fail "^vitals: bad\.csv:2:4:" "$vitals" report model.json --data bad.csv -o r.html
[ "$(cat r.html)" = old ] || fail "old report overwritten"
