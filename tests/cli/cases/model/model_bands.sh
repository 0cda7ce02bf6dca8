# Health bands lie in 0..100 with red_below <= yellow_below.  Regression:
# red_below above yellow_below was accepted (no account could be yellow).
train_small
set_field() { awk -v key="$1" -v value="$2" -v nth="${4:-1}" -f "${case_file%/cases/*}/set_field.awk" "${5:-model.json}" >"$3" || fail "no $1 to edit"; }
set_field red_below 80 order.json
expect_fail '^vitals: order\.json:[0-9]+:[0-9]+: not a valid vitals model: bands\.red_below: 80 is above yellow_below \(70\): red must not exceed yellow$' "$vitals" predict order.json small.csv -o s.csv
set_field yellow_below 120 high.json
expect_fail '^vitals: high\.json:[0-9]+:[0-9]+: not a valid vitals model: bands\.yellow_below: expected a number from 0 to 100, found 120$' "$vitals" predict high.json small.csv -o s.csv
set_field red_below null none.json
expect_fail '^vitals: none\.json:[0-9]+:[0-9]+: not a valid vitals model: bands\.red_below: expected a number from 0 to 100, found null$' "$vitals" predict none.json small.csv -o s.csv
no_file s.csv
set_field red_below 70 equal.json
"$vitals" predict equal.json small.csv -o s.csv --quiet || fail "red_below equal to yellow_below is allowed"
