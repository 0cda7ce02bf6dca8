# - reads standard input and writes standard output; the bytes are the file's.
train_small
printf 'd,id,x,plan\n2024-01-01,1,0.5,a\n2024-01-01,2,1.5,b\n2024-02-01,1,2.5,a\n2024-02-01,2,0.1,b\n2024-03-01,1,3.3,a\n' >snap.csv
"$vitals" history model.json snap.csv --date d -o file.csv --quiet || fail "history to a file"
"$vitals" history model.json - --date d --quiet <snap.csv >stdout.csv || fail "history from - to -"
cmp -s file.csv stdout.csv || fail "standard output differs from the file"
[ "$(wc -l <stdout.csv)" -eq 6 ] || fail "expected a header and 5 rows"
"$vitals" history model.json snap.csv --date d -o file2.csv --json >summary.json 2>/dev/null || fail "--json"
grep -q '"months"' summary.json || fail "no months in the JSON summary"
expect_fail '--json .*-o FILE' "$vitals" history model.json snap.csv --date d --json
