# A propensity model (--expansion alone) trained from PostgreSQL rows is
# the model trained on psql's export of them; predict scores it from the
# table as from the export (id and probability only), on 1 or 2 threads,
# and --to-table writes those two columns.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 20000 47
uri=$VITALS_PG_URI
"$vitals" train export.csv --expansion expanded --drop churned --id account_id --by lifecycle_stage --holdout 0.2 \
    --quiet -o want.json >want.txt 2>/dev/null || fail "train on the export"
"$vitals" train "$uri" --table accounts --expansion expanded --drop churned --id account_id --by lifecycle_stage \
    --holdout 0.2 --quiet -o got.json >got.txt 2>/dev/null || fail "train --table"
cmp -s want.txt got.txt || fail "the report differs from the export's"
grep -v -e created_at -e '"path":' -e '"query":' want.json >a.json
grep -v -e created_at -e '"path":' -e '"query":' got.json >b.json
cmp -s a.json b.json || fail "the model differs from the export's"
"$vitals" predict got.json export.csv -o want.csv --quiet || fail "predict the export"
[ "$(head -1 want.csv)" = "account_id,expansion" ] || fail "predict columns"
for t in 1 2; do
    "$vitals" predict got.json "$uri" --table accounts --threads $t -o got$t.csv --quiet || fail "predict --threads $t"
    cmp -s want.csv got$t.csv || fail "predict --table --threads $t differs from the export"
done
"$vitals" predict got.json "$uri" --table accounts --to-table propensity --quiet || fail "--to-table"
[ "$(psql -tA -c 'SELECT count(*) FROM propensity')" = 20000 ] || fail "rows in the table"
[ "$(psql -tA -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'propensity'")" = "account_id,expansion" ] ||
    fail "the table's columns"
