# One rule for text that is not UTF-8: train refuses it where it would go
# into a model (a level, a column name), naming the file, line and column,
# in one line; a Latin-1 level used to train and score, then made the SQL
# view one statement PostgreSQL refused as a whole.  The in-memory and the
# streamed (--memory-limit) readers say the same.
printf 'id,x,plan,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,caf\351,0\n4,0.1,b,1\n5,3.3,a,1\n6,0.7,b,0\n' >latin1.csv
for limit in "" "--memory-limit 1K"; do
    expect_fail "^vitals: latin1\.csv:4:3: column 'plan': 'caf\\\\xE9' is not UTF-8" \
        "$vitals" train latin1.csv --churn churn --id id $limit -o m.json
    no_file m.json
done
printf 'id,x,pl\351n,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,a,0\n4,0.1,b,1\n' >header.csv
expect_fail "^vitals: header\.csv:1:3: column name 'pl\\\\xE9n' is not UTF-8" \
    "$vitals" train header.csv --churn churn --id id -o m.json
no_file m.json
# Valid UTF-8 trains as before.
printf 'id,x,plan,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,caf\303\251,0\n4,0.1,b,1\n5,3.3,a,1\n6,0.7,b,0\n7,1.2,caf\303\251,1\n8,0.2,a,1\n' >utf8.csv
"$vitals" train utf8.csv --churn churn --id id -o m.json --quiet 2>/dev/null || fail "train on UTF-8"
# A model or scorecard file is JSON, which is UTF-8: a Latin-1 byte in a
# hand-edited level is refused at its line:col by every command loading it.
sed "s/\"caf\\xc3\\xa9\"/\"caf\\xe9\"/" m.json >latin1.json
cmp -s m.json latin1.json && fail "the edit did not happen"
expect_fail '^vitals: latin1\.json:[0-9]+:[0-9]+: a byte that is not UTF-8 \(\\xE9\): JSON is UTF-8$' \
    "$vitals" predict latin1.json utf8.csv -o s.csv
no_file s.csv
expect_fail 'latin1\.json:[0-9]+:[0-9]+: a byte that is not UTF-8' "$vitals" sql latin1.json --from t -o v.sql
no_file v.sql
