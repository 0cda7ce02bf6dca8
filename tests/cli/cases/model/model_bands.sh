# Health bands lie in 0..100 with red_below <= yellow_below.  Regression:
# red_below above yellow_below was accepted (no account could be yellow).
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field red_below 80 order.json
refused order.json 'bands\.red_below' '80 is above yellow_below \(70\): red must not exceed yellow'
set_field yellow_below 120 high.json
refused high.json 'bands\.yellow_below' 'expected a number from 0 to 100, found 120'
set_field red_below null none.json
refused none.json 'bands\.red_below' 'expected a number from 0 to 100, found null'
set_field red_below 70 equal.json
"$vitals" predict equal.json small.csv -o s.csv --quiet || fail "red_below equal to yellow_below is allowed"
