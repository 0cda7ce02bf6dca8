printf 'id,x,w,churn\n1,0.5,1,0\n2,1.5,2,1\n3,2.5,1,0\n4,0.1,3,1\n5,3.3,1,1\n6,0.7,0,0\n7,1.1,1,0\n8,2.2,2,1\n9,1.9,1,0\n10,0.3,1,1\n' >w.csv
"$vitals" train w.csv --churn churn --id id --weight w -o m.json >t.txt 2>/dev/null || fail "--weight"
grep -q 'weights from w' t.txt || fail "the table should name the weights"
grep -q '(9 rows, ' t.txt || fail "a row of weight 0 does not count: $(grep 'churn model' t.txt)"
! grep -q '"name":[[:space:]]*"w"' m.json || fail "the weight column must not be a feature"
"$vitals" train w.csv --churn churn --id id --drop w --balance -o b.json >b.txt 2>/dev/null || fail "--balance"
grep -q 'classes balanced' b.txt && grep -q '"balance":[[:space:]]*true' b.json || fail "--balance not stated"
sed 's/^3,2.5,1,0$/3,2.5,-1,0/' w.csv >neg.csv
expect_fail "^vitals: neg\.csv:4:3: --weight: -1 is negative" "$vitals" train neg.csv --churn churn --id id --weight w -o n.json
awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = 0 } { print }' w.csv >zero.csv
expect_fail "^vitals: zero\.csv: --weight: every weight is 0" "$vitals" train zero.csv --churn churn --id id --weight w -o n.json
expect_fail "^vitals: w\.csv: --weight: no column 'nope'" "$vitals" train w.csv --churn churn --weight nope -o n.json
no_file n.json
