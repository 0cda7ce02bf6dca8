# Regression: "confidence": 2 was accepted and gave NaN intervals later.
# The error names the field at its line and column.
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field confidence 2 c2.json
line=$(grep -n '"confidence"' c2.json | cut -d: -f1)
expect_fail "^vitals: c2\.json:$line:17: not a valid vitals model: options\.confidence: expected a level strictly between 0 and 1 \(0\.95 for 95% intervals\), found 2$" "$vitals" summary c2.json
set_field confidence 0 c0.json
refused c0.json 'options\.confidence' 'expected a level .*, found 0'
set_field confidence '"high"' cs.json
refused cs.json 'options\.confidence' 'expected a finite number, found "high"'
set_field confidence 0.9 c9.json
"$vitals" summary c9.json | grep -q '90%' || fail "a valid confidence is used"
