# Issue 22: compare and tune evaluate a scorecard whose rules name a column
# with spaces and compare text columns (tests/data/text_rules_fixture.sh):
# the same at 1 and 2 threads; tune re-weighs the measures and writes the
# rules back as they were, text comparisons and quoting included.
. "$fixtures/text_rules_fixture.sh"
text_rules_fixture 2000 22
"$vitals" train g.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
for t in 1 2; do
    "$vitals" compare m.json card.json g.csv --threads $t -o c$t.txt || fail "compare --threads $t"
    "$vitals" compare m.json card.json g.csv --threads $t --json -o c$t.json || fail "compare --json --threads $t"
done
cmp -s c1.txt c2.txt && cmp -s c1.json c2.json || fail "compare depends on the thread count"
grep -q "^Customer service calls  *50\.0%" c1.txt || fail "the spaced measure column is not in the report"
"$vitals" tune card.json g.csv --label churned -o t.json >tune.txt 2>/dev/null || fail "tune"
"$vitals" tune card.json g.csv --label churned -o t2.json --threads 2 >/dev/null 2>&1 || fail "tune --threads 2"
grep -v '"created_at"' t.json >t.txt; grep -v '"created_at"' t2.json >t2.txt
cmp -s t.txt t2.txt || fail "tune depends on the thread count"
grep '"when"' card.json | sed 's/.*"when": *//; s/", *".*/"/' >rules_in.txt
grep '"when"' t.json | sed 's/.*"when":[[:space:]]*//; s/,$//' >rules_out.txt
[ "$(wc -l <rules_in.txt)" -eq 6 ] || fail "the fixture card has 6 rules"
cmp -s rules_in.txt rules_out.txt || { diff rules_in.txt rules_out.txt; fail "tune changed the rules"; }
# The tuned card scores; its rules fire on the rows they fired on before.
"$vitals" score t.json g.csv --id account_id -o s.csv --quiet || fail "score the tuned card"
[ "$(tail -n +2 s.csv | cut -d, -f6 | cmp - want.txt && echo same)" = same ] || fail "the tuned card's rules fire elsewhere"
