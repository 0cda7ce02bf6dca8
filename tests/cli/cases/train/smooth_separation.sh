# Separation with smooth terms is refused as in a linear fit: a 0/1 column
# equal to the label has no finite estimate, smooth terms or not.
"$vitals" generate 2000 --shape curved --seed 41 -o g.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "flag"; next } { print $0, $17 }' g.csv >sep.csv
expect_fail "^vitals: sep\.csv: churn model: separation \(every row with flag = 1 has churn 1\)" \
    "$vitals" train sep.csv --churn churned --id account_id --drop expanded --smooth active_user_ratio -o m.json
no_file m.json
