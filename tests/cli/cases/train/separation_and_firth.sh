# Every account with unpaid invoices churned: the plain fit is refused,
# naming the column; Firth's fit converges.
awk 'BEGIN { srand(3); print "x,unpaid,churn"; for (i = 0; i < 400; i++) { u = (i % 10 == 0); x = rand(); c = u ? 1 : (rand() < 0.3); print x "," u "," c } }' >s.csv
expect_fail "^vitals: s\.csv: churn model: separation \(every row with unpaid = 1 has churn 1\): no finite estimate.*--firth" "$vitals" train s.csv --churn churn -o m.json
no_file m.json
"$vitals" train s.csv --churn churn --firth -o f.json >f.txt 2>/dev/null || fail "--firth"
grep -q "Firth's penalised likelihood" f.txt || fail "the table should say Firth"
grep -q '"firth":[[:space:]]*true' f.json || fail "firth not stored"
"$vitals" predict f.json s.csv -o p.csv --quiet || fail "predict with a Firth model"
