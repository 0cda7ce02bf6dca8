# A hand-edited model whose stored validation counts are not whole numbers
# of rows (negative, huge) still gives a report: the counts read as 0,
# with no undefined cast (the ASan + UBSan build runs this case too).
"$vitals" generate 2000 --seed 4 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id --holdout 0.2 -o h.json --quiet 2>/dev/null ||
    fail "train"
. "${case_file%/cases/*}/edit_json.sh"
set_field rows -5 a.json 3 h.json
set_field rows 1e300 b.json 4 a.json
"$vitals" report b.json -o r.html 2>err.txt || fail "report: $(cat err.txt)"
grep -q '<svg' r.html || fail "no charts"
