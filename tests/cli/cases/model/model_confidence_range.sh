# Regression: "confidence": 2 was accepted and gave NaN intervals later.
# The error names the field at its line and column.
train_small
set_field() { awk -v key="$1" -v value="$2" -v nth="${4:-1}" -f "${case_file%/cases/*}/set_field.awk" "${5:-model.json}" >"$3" || fail "no $1 to edit"; }
set_field confidence 2 c2.json
line=$(grep -n '"confidence"' c2.json | cut -d: -f1)
expect_fail "^vitals: c2\.json:$line:17: not a valid vitals model: options\.confidence: expected a level strictly between 0 and 1 \(0\.95 for 95% intervals\), found 2$" "$vitals" summary c2.json
set_field confidence 0 c0.json
expect_fail '^vitals: c0\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.confidence: expected a level .*, found 0$' "$vitals" predict c0.json small.csv -o s.csv
set_field confidence '"high"' cs.json
expect_fail '^vitals: cs\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.confidence: expected a finite number, found "high"$' "$vitals" predict cs.json small.csv -o s.csv
no_file s.csv
set_field confidence 0.9 c9.json
"$vitals" summary c9.json | grep -q '90%' || fail "a valid confidence is used"
