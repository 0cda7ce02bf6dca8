# Helpers for the cases that edit a model file as vitals writes it (one
# member a line).  A case sources it: . "${case_file%/cases/*}/edit_json.sh"

# set_field KEY VALUE OUT [NTH [IN]]: copy IN (model.json) to OUT with the
# value of the NTH (first) "KEY": set to VALUE, keeping the line's comma.
# The case fails if there is no such field, so none passes on an edit that
# did not happen.
set_field() {
    awk -v key="$1" -v value="$2" -v nth="${4:-1}" '
        BEGIN { pattern = "\"" key "\":" }
        { at = index($0, pattern) }
        at && ++seen == nth {
            comma = $0 ~ /,[ \t]*$/ ? "," : ""
            $0 = substr($0, 1, at + length(pattern) - 1) "\t" value comma
            found = 1
        }
        { print }
        END { exit !found }' "${5:-model.json}" >"$3" || fail "no field $1 (number ${4:-1}) to edit"
}

# refused FILE FIELD MESSAGE: predict refuses the model FILE on small.csv
# with one line naming the field at a line:col; FIELD and MESSAGE are
# regular expressions matching the field's path and the whole message.
refused() {
    expect_fail "^vitals: $1:[0-9]+:[0-9]+: not a valid vitals model: $2: $3\$" "$vitals" predict "$1" small.csv -o s.csv
    no_file s.csv
}
