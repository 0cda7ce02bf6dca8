cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 3000 --seed 16 -o g.csv 2>/dev/null || fail "generate"
"$vitals" score "$cards/equal-weights.json" g.csv --id account_id -o e.csv 2>err.txt || { cat err.txt; fail "score equal weights"; }
head -1 e.csv | grep -q '^account_id,health,bucket,points_active_user_ratio,.*,rules_fired$' || fail "header: $(head -1 e.csv)"
[ "$(wc -l <e.csv)" -eq 3001 ] || fail "3000 rows expected"
grep -q "scored 3000 rows with scorecard 'equal weights'" err.txt || fail "summary"
"$vitals" score "$cards/key-feature-rule.json" g.csv --id account_id -o k.csv --quiet || fail "score key-feature rule"
awk -F, 'NR > 1 && $NF ~ /(^|;)1(;|$)/ && $3 != "green" { bad++ } END { exit bad > 0 }' k.csv || fail "rule 1 fired without forcing green"
grep -q ',1$\|,1;' k.csv || fail "the key-feature rule never fired"
"$vitals" score "$cards/equal-weights.json" - --id account_id <g.csv >stdin.csv 2>/dev/null || fail "score from stdin"
cmp -s e.csv stdin.csv || fail "stdin differs"
for t in 1 3; do
    "$vitals" score "$cards/key-feature-rule.json" g.csv --id account_id --threads $t -o k$t.csv --quiet || fail "--threads $t"
done
cmp -s k.csv k1.csv && cmp -s k.csv k3.csv || fail "scores depend on the thread count"
# Bad scorecards: one line each, no output.
sed 's/"feature_b_adoption"/"feature_z"/' "$cards/equal-weights.json" >unknown.json
expect_fail "^vitals: g\.csv:1: the scorecard uses column 'feature_z', which the header lacks" "$vitals" score unknown.json g.csv -o s.csv
sed 's/{"at": 0.8, "points": 100}, {"at": 0.5, "points": 50}/{"at": 0.5, "points": 50}, {"at": 0.8, "points": 100}/' "$cards/equal-weights.json" >order.json
expect_fail "^vitals: order\.json:7:[0-9]+: not a valid scorecard: measures\[0\]\.points\[1\]\.at: thresholds of 'active_user_ratio' out of order" "$vitals" score order.json g.csv -o s.csv
sed 's/"weight": 1/"weight": 0/g' "$cards/equal-weights.json" >zero.json
expect_fail "^vitals: zero\.json:[0-9]+:[0-9]+: not a valid scorecard: measures: the weights sum to zero" "$vitals" score zero.json g.csv -o s.csv
sed 's/"unpaid_invoices >= 2"/"unpaid_invoices >= two"/' "$cards/key-feature-rule.json" >rule.json
expect_fail "^vitals: rule\.json:[0-9]+:[0-9]+: not a valid scorecard: rules\[1\]\.when: expected a number or a text value in single quotes at character 20" "$vitals" score rule.json g.csv -o s.csv
head -c 200 "$cards/equal-weights.json" >cut.json
expect_fail "^vitals: cut\.json:[0-9]+:[0-9]+: the JSON ends early" "$vitals" score cut.json g.csv -o s.csv
no_file s.csv
