# Issue 22: a scorecard whose rules name a column with spaces and compare
# text columns scores the rows of a PostgreSQL table (every column text,
# "Customer service calls" quoted in the DDL) exactly as it scores the CSV
# they were loaded from, with --table (in the server's row order) and an
# ordered --query (byte for byte), at 1 and 2 threads.
# uses: postgres
. "$fixtures/text_rules_fixture.sh"
text_rules_fixture 3000 23
uri=$VITALS_PG_URI
ddl=$(head -1 g.csv | awk -F, '{ for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); printf "%s\"%s\" text", (i > 1 ? ", " : ""), $i } }')
psql -q -c "DROP TABLE IF EXISTS text_accounts; CREATE TABLE text_accounts ($ddl)" || fail "create the table"
psql -q -c "\\copy text_accounts FROM 'g.csv' (FORMAT csv, HEADER)" || fail "load the table"
"$vitals" score card.json g.csv --id account_id -o want.csv --quiet || fail "score the CSV"
for t in 1 2; do
    "$vitals" score card.json "$uri" --table text_accounts --id account_id --threads $t -o table$t.csv --quiet ||
        fail "score --table --threads $t"
    # A table's rows come in the server's order: the same rows, the same scores.
    sort want.csv >want_sorted.csv
    sort table$t.csv | cmp -s want_sorted.csv - || fail "score --table --threads $t differs from the CSV's"
    "$vitals" score card.json "$uri" --query "SELECT * FROM text_accounts ORDER BY account_id" --id account_id \
        --threads $t -o query$t.csv --quiet || fail "score --query --threads $t"
    cmp -s want.csv query$t.csv || fail "score --query --threads $t differs from the CSV's"
done
[ "$(tail -n +2 want.csv | cut -d, -f6 | cmp - want.txt && echo same)" = same ] || fail "rules fired on the wrong rows"
