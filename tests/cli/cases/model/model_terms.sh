# Each target has one term per encoded term, in order, with an aliased flag
# and finite estimates for the terms that are not aliased.
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field estimate '"x"' estimate.json 2
refused estimate.json 'targets\[0\]\.terms\[1\]\.estimate' 'expected a finite number, found "x"'
set_field estimate null null.json 3
refused null.json 'targets\[0\]\.terms\[2\]\.estimate' 'expected a finite number, found null'
set_field aliased '"no"' aliased.json
refused aliased.json 'targets\[0\]\.terms\[0\]\.aliased' 'expected true or false, found "no"'
set_field term '"y"' term.json 2
refused term.json 'targets\[0\]\.terms\[1\]\.term' 'expected "x" \(the encoding.s term at this place\), found "y"'
set_field std_error -1 se.json
refused se.json 'targets\[0\]\.terms\[0\]\.std_error' 'expected a number >= 0, found -1'
set_field p 1.5 p.json
refused p.json 'targets\[0\]\.terms\[0\]\.p' 'expected a number from 0 to 1, found 1\.5'
set_field levels '["a", "b", "c"]' more1.json
set_field term_means '[1, 1, 0.5, 0.5]' more2.json 1 more1.json
set_field term_sds '[0, 1, 0.5, 0.5]' short.json 1 more2.json
refused short.json 'targets\[0\]\.terms' 'expected 4 elements, found 3'
# An aliased term needs no estimate: the flag is what counts.
set_field aliased true alias.json 3
"$vitals" summary alias.json | grep -q '^planb .* NA ' || fail "an aliased term is shown as NA"
