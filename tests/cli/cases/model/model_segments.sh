# --by segments: levels unique, each with the pooled model's targets in
# order, a fallback being "pooled".
train_small
"$vitals" train small.csv --churn churn --id id --by plan -o model.json --quiet 2>/dev/null || fail "training --by"
. "${case_file%/cases/*}/edit_json.sh"
set_field level '"a"' twice.json 2
refused twice.json 'segments\.levels\[1\]\.level' 'level "a" appears twice'
set_field fallback '"other"' fallback.json
refused fallback.json 'segments\.levels\[0\]\.targets\[0\]\.fallback' 'expected "pooled", found "other"'
set_field name '"expansion"' name.json 4
refused name.json 'segments\.levels\[0\]\.targets\[0\]\.name' 'expected "churn" \(the pooled model.s target at this place\), found "expansion"'
set_field rows -5 rows.json 2
refused rows.json 'segments\.levels\[0\]\.rows' 'expected a whole number from 0 to 9007199254740992, found -5'
set_field validation '[1]' validation.json
refused validation.json 'segments\.levels\[0\]\.validation\[0\]' 'expected an object or null, found 1'
awk '/"levels":/ && ++n == 2 { print "\t\t\"levels\": []"; skip = 1; next } skip && /^\t}$/ { skip = 0 } !skip { print }' model.json >none.json
refused none.json 'segments\.levels' 'expected at least 1 element, found 0'
