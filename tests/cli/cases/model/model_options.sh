# The header and options: format version, delimiter (one byte), missing
# policy, flags, missing-value tokens.
train_small
set_field() { awk -v key="$1" -v value="$2" -v nth="${4:-1}" -f "${case_file%/cases/*}/set_field.awk" "${5:-model.json}" >"$3" || fail "no $1 to edit"; }
set_field format_version 0 v0.json
expect_fail '^vitals: v0\.json:[0-9]+:[0-9]+: not a valid vitals model: format_version: expected a whole number from 1 to 1, found 0$' "$vitals" predict v0.json small.csv -o s.csv
set_field tool_version 1 tool.json
expect_fail '^vitals: tool\.json:[0-9]+:[0-9]+: not a valid vitals model: tool_version: expected a string, found 1$' "$vitals" predict tool.json small.csv -o s.csv
set_field delimiter '";;"' two.json
expect_fail '^vitals: two\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.delimiter: expected one byte other than a quote or a line break, found ";;"$' "$vitals" predict two.json small.csv -o s.csv
set_field delimiter '"\n"' newline.json
expect_fail '^vitals: newline\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.delimiter: expected one byte other than a quote or a line break, found "\?"$' "$vitals" predict newline.json small.csv -o s.csv
set_field missing '"sometimes"' missing.json
expect_fail '^vitals: missing\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.missing: expected "impute", "drop" or "error", found "sometimes"$' "$vitals" predict missing.json small.csv -o s.csv
set_field firth '"yes"' firth.json
expect_fail '^vitals: firth\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.firth: expected true or false, found "yes"$' "$vitals" predict firth.json small.csv -o s.csv
set_field na '["NA", 0]' na.json
expect_fail '^vitals: na\.json:[0-9]+:[0-9]+: not a valid vitals model: options\.na\[1\]: expected a string, found 0$' "$vitals" predict na.json small.csv -o s.csv
no_file s.csv
