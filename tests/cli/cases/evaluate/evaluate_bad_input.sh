# evaluate's bad input: one line each, nothing written.
"$vitals" generate 800 --seed 5 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --quiet -o m.json 2>/dev/null || fail "train"
expect_fail "^vitals: m\.json: --target: the model has no 'expansion' target" \
    "$vitals" evaluate m.json g.csv --target expansion -o out.txt
no_file out.txt
cut -d, -f1-16 g.csv >nolabel.csv
expect_fail "^vitals: nolabel\.csv:1: no outcome column 'churned'" "$vitals" evaluate m.json nolabel.csv -o out.txt
no_file out.txt
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "churned") c = i } NR > 1 { $c = "" } { print }' \
    g.csv >blank.csv
expect_fail "^vitals: blank\.csv: no row has an outcome in column 'churned'" "$vitals" evaluate m.json blank.csv -o out.txt
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "churned") c = i } NR == 300 { $c = "maybe" } { print }' \
    g.csv >bad.csv
expect_fail "^vitals: bad\.csv:300:[0-9]+: 'maybe' is not 0/1" "$vitals" evaluate m.json bad.csv -o out.txt
no_file out.txt
expect_fail "^vitals: .*--query" "$vitals" evaluate m.json g.csv --query "select 1"
