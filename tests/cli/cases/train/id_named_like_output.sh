# An id column named like an output column (health, bucket, churn_risk,
# ...) would write two columns of one name (predict's CSV, JSONL and
# --to-table; the SQL view PostgreSQL then refuses): train refuses such an
# --id, and predict, sql and score refuse a model or a card run that has
# one, each in one line, writing nothing.
printf 'health,x,plan,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,a,0\n4,0.1,b,1\n5,3.3,a,1\n6,0.7,b,0\n7,1.1,a,0\n8,2.2,b,1\n' >h.csv
expect_fail "^vitals: --id: 'health' is the name of a column vitals writes beside the id" \
    "$vitals" train h.csv --churn churn --id health -o m.json
no_file m.json
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field id_column '"health"' h.json 1 model.json
for format in csv jsonl; do
    expect_fail "^vitals: the id column 'health' has the name of an output column" \
        "$vitals" predict h.json h.csv --format $format -o s.$format
    no_file s.$format
done
expect_fail "^vitals: h\.json: the id column 'health' has the name of an output column" \
    "$vitals" sql h.json --from accounts -o v.sql
no_file v.sql
printf '{"format": "vitals-scorecard", "format_version": 1, "measures": [{"column": "x", "better": "lower", "points": [{"at": 1, "points": 100}]}]}\n' >card.json
expect_fail "^vitals: the id column 'bucket' has the name of an output column" \
    "$vitals" score card.json h.csv --id bucket -o s.csv
no_file s.csv
