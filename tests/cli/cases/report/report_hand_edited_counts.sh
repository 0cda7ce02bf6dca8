# A hand-edited model whose stored validation counts are not whole numbers
# of rows (negative, huge, missing) is refused when loaded, naming the field
# at its line and column, by every command that reads the validation block
# (the model keeps it as typed numbers, checked once: issue 21).  Before,
# report cast such a value to a count (undefined behaviour) or read a
# missing "method" through a null pointer.
"$vitals" generate 2000 --seed 4 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id --holdout 0.2 -o h.json --quiet 2>/dev/null ||
    fail "train"
. "${case_file%/cases/*}/edit_json.sh"
set_field rows -5 a.json 3 h.json
expect_fail "^vitals: a\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.validation\.metrics\.calibration_deciles\[0\]\.rows: expected a whole number" \
    "$vitals" report a.json -o r.html
no_file r.html
set_field rows 1e300 b.json 2 h.json
expect_fail "^vitals: b\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.validation\.metrics\.rows" \
    "$vitals" summary b.json
set_field roc_auc 1.5 c.json 1 h.json
expect_fail "^vitals: c\.json:[0-9]+:[0-9]+: .*validation\.metrics\.roc_auc: 1\.5 is outside \[0, 1\]" \
    "$vitals" diff h.json c.json
grep -v '"method":' h.json >d.json
expect_fail "^vitals: d\.json:[0-9]+:[0-9]+: .*validation\.method" "$vitals" report d.json -o r.html
no_file r.html
# The untouched file still reports, with its held-out numbers.
"$vitals" report h.json -o r.html 2>err.txt || fail "report: $(cat err.txt)"
grep -q 'held-out rows stored in the model' r.html || fail "stored validation not shown"
