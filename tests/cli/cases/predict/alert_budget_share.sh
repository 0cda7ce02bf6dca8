"$vitals" generate 10000 --seed 10 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --id account_id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" predict m.json g.csv --alert-budget 0.1 -o s.csv 2>err.txt || fail "predict --alert-budget"
n=$(awk -F, 'NR > 1 && $NF == 1' s.csv | wc -l)
[ "$n" -ge 999 ] && [ "$n" -le 1001 ] || fail "alerted $n accounts, wanted 1000"
grep -q 'cut-off churn_risk >= 0\.' err.txt || fail "cut-off not reported"
expect_fail "alert-budget reads the data three times" "$vitals" predict m.json - --alert-budget 0.1 -o t.csv
no_file t.csv
