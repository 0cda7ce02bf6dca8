# A NUL character escaped into a model's strings (\u0000) would be cut there
# by the JSON reader: "smb\u0000x" read as the level "b", a column
# "seats\u0000x" as "x".  The loader refuses it in one line naming the
# place; an escaped backslash before u0000 is an ordinary string.
train_small
sed 's/"b"/"b\\u0000x"/' model.json >level.json
grep -q 'b\\u0000x' level.json || fail "the level edit did not happen"
expect_fail '^vitals: level\.json:[0-9]+:[0-9]+: a NUL character \(\\u0000\) in a string: not allowed$' \
    "$vitals" predict level.json small.csv -o s.csv
no_file s.csv
sed 's/"x"/"x\\u0000y"/' model.json >column.json
expect_fail '^vitals: column\.json:[0-9]+:[0-9]+: a NUL character' "$vitals" sql column.json --from t -o v.sql
no_file v.sql
expect_fail '^vitals: column\.json:[0-9]+:[0-9]+: a NUL character' "$vitals" summary column.json
# "\\u0000" is a backslash and the text u0000: not a NUL (refused here only as a changed level).
sed 's/"b"/"b\\\\u0000x"/' model.json >escaped.json
"$vitals" summary escaped.json >/dev/null 2>err.txt
grep -q 'NUL' err.txt && fail "an escaped backslash read as a NUL: $(cat err.txt)"
true
