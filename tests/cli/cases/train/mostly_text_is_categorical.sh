# A text column with some numeric-looking levels is categorical, not an error.
printf 'plan,x,churn\n1,0.5,0\nbasic,1.5,1\npro,2.5,0\nbasic,0.1,1\npro,3.3,1\nbasic,0.7,0\npro,1.1,0\n' >p.csv
"$vitals" train p.csv --churn churn -o m.json --quiet 2>/dev/null || fail "train"
grep -q '"planbasic"' m.json && grep -q '"planpro"' m.json || fail "levels basic and pro against baseline 1"
