# A numeric column that numbers the rows (1, 2, 3, ... in file order) is an
# index exported with the data, not a feature of the accounts: train names it
# in a note and says how to leave it out (issue 22); the fit goes on.
"$vitals" generate 2000 --seed 9 -o g.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," } { print (NR == 1 ? "row_number" : NR - 2), $0 }' g.csv >counted.csv
"$vitals" train counted.csv --churn churned --drop expanded --id account_id --quiet -o m.json 2>err.txt >/dev/null ||
    fail "train: $(cat err.txt)"
grep -qx "vitals: 'row_number' numbers the rows (1, 2, 3, ... in file order): a row index, not a feature of the accounts; leave it out with --drop" err.txt ||
    { cat err.txt; fail "the row counter is not named"; }
"$vitals" train counted.csv --churn churned --drop expanded,row_number --id account_id --quiet -o m2.json \
    2>err2.txt >/dev/null || fail "train --drop row_number"
grep -q 'numbers the rows' err2.txt && fail "named after --drop"
"$vitals" train g.csv --churn churned --drop expanded --id account_id --quiet -o m3.json 2>err3.txt >/dev/null ||
    fail "train"
grep -q 'numbers the rows' err3.txt && fail "a column of the generated data was named a row counter"
true
