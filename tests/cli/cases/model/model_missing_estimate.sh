train_small
. "${case_file%/cases/*}/edit_json.sh"
awk '/"estimate"/ && !done { done = 1; next } { print }' model.json >noest.json
refused noest.json 'targets\[0\]\.terms\[0\]\.estimate' 'missing \(expected a finite number\)'
