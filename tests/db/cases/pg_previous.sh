# predict --previous and --previous-data read from PostgreSQL through the
# one row stream: the last run as the table an earlier predict --to-table
# wrote (--previous-table, --previous-query), the earlier snapshot as a
# table (--previous-data-table, --previous-data-query), each giving the
# bytes the same rows give from files, with --threads 1 or 2 (30,000 rows:
# three blocks of 1 MiB).  The summary names the URI without its password.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 30000 53
uri=$VITALS_PG_URI
"$vitals" train export.csv --churn churned --drop expanded --id account_id --quiet -o m.json 2>/dev/null ||
    fail "train"
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 3 == 0 { $12 = $12 - 0.2; $13 = $13 + 2 } { print }' export.csv >now.csv
load_csv accounts_now accounts now.csv
"$vitals" predict m.json export.csv -o then_scores.csv --quiet || fail "predict then"
"$vitals" predict m.json "$uri" --table accounts --to-table scores_then --quiet || fail "predict then --to-table"
# The last run, from its file and from its table.
"$vitals" predict m.json now.csv --previous then_scores.csv -o want.csv 2>want.txt || fail "--previous file"
grep -q '0 new ids, 0 ids no longer present' want.txt || { cat want.txt; fail "--previous did not join every id"; }
for t in 1 2; do
    "$vitals" predict m.json now.csv --previous "$uri&password=hunter2" --previous-table scores_then --threads $t \
        -o table$t.csv 2>table$t.txt || fail "--previous-table --threads $t"
    cmp -s want.csv table$t.csv || fail "--previous-table --threads $t differs from the file"
    sed 's#against [^:]*:#against X:#' want.txt >a.txt
    sed 's#against .*hunter2[^:]*:#PASSWORD#; s#against postgresql:///vitals?[^:]*:#against X:#' table$t.txt >b.txt
    cmp -s a.txt b.txt || { cat table$t.txt; fail "--previous-table --threads $t: the summary differs"; }
    "$vitals" predict m.json "$uri" --table accounts_now --previous "$uri" \
        --previous-query "SELECT * FROM scores_then ORDER BY health, account_id" --threads $t -o query$t.csv --quiet ||
        fail "--previous-query --threads $t"
    cmp -s want.csv query$t.csv || fail "--previous-query --threads $t differs from the file"
done
# The earlier snapshot, from its file and from its table.
"$vitals" predict m.json now.csv --previous-data export.csv -o then_want.csv --quiet || fail "--previous-data file"
for t in 1 2; do
    "$vitals" predict m.json now.csv --previous-data "$uri" --previous-data-table accounts --threads $t \
        -o then_table$t.csv --quiet || fail "--previous-data-table --threads $t"
    cmp -s then_want.csv then_table$t.csv || fail "--previous-data-table --threads $t differs from the file"
    "$vitals" predict m.json "$uri" --table accounts_now --previous-data "$uri" \
        --previous-data-query "SELECT * FROM accounts ORDER BY account_id DESC" --threads $t -o then_query$t.csv \
        --quiet || fail "--previous-data-query --threads $t"
    cmp -s then_want.csv then_query$t.csv || fail "--previous-data-query --threads $t differs from the file"
done
expect_fail "^vitals: postgresql:///vitals\?[^ ]*: .*relation \"nowhere\" does not exist" \
    "$vitals" predict m.json now.csv --previous "$uri" --previous-table nowhere -o x.csv
expect_fail "^vitals: postgresql:///vitals\?[^ ]*:1: previous scores need columns 'account_id', 'health' and 'bucket'$" \
    "$vitals" predict m.json now.csv --previous "$uri" --previous-table accounts -o x.csv
no_file x.csv
