# tune with DATA from PostgreSQL: the accounts of a typed table (churned a
# boolean: t/f), read with --table and with --query, tune the card the
# export of the same rows tunes, to the same report and fingerprint, with
# --threads 1 and 2.
# uses: postgres
. "$VITALS_DB_SCRIPTS/pg_accounts.sh"
make_accounts 6000 23
uri=$VITALS_PG_URI
cards=$(dirname "$fixtures")/../models/scorecards
card_numbers() { grep -Ev '"(created_at|path)":' "$1"; }

"$vitals" tune "$cards/equal-weights.json" export.csv --label churned --red-share 0.1 --yellow-share 0.2 --json \
    --report want.json -o want_card.json || fail "tune on the export"
card_numbers want_card.json >want.card
for t in 1 2; do
    "$vitals" tune "$cards/equal-weights.json" "$uri" --table accounts --label churned --red-share 0.1 \
        --yellow-share 0.2 --threads $t --json --report table$t.json -o table_card$t.json || fail "tune --table"
    cmp -s want.json table$t.json || fail "tune --table --threads $t: the report differs from the export's"
    card_numbers table_card$t.json >table$t.card
    cmp -s want.card table$t.card || { diff want.card table$t.card | head; fail "tune --table: a different card"; }
done
grep -q '"fnv1a64"' want.card || fail "no fingerprint"
grep -q '"path":.*postgresql:' table_card1.json || fail "the card does not record its database"

query="SELECT * FROM accounts WHERE segment <> 'enterprise' ORDER BY account_id"
psql -q -v ON_ERROR_STOP=1 -c "\\copy ($query) TO 'subset.csv' (FORMAT csv, HEADER)" || fail "exporting the query"
"$vitals" tune "$cards/equal-weights.json" subset.csv --label churned --json --report subset_want.json \
    -o subset_want_card.json || fail "tune on the query's export"
"$vitals" tune "$cards/equal-weights.json" "$uri" --query "$query" --label churned --threads 2 --json \
    --report subset_got.json -o subset_got_card.json || fail "tune --query"
cmp -s subset_want.json subset_got.json || fail "tune --query: the report differs from the export's"
card_numbers subset_want_card.json >a.card
card_numbers subset_got_card.json >b.card
cmp -s a.card b.card || fail "tune --query: a different card"

# A bad label is located on the COPY's line (the header is line 1).
expect_fail "^vitals: postgresql:///vitals\?[^ ]*:31:[0-9]+: 'maybe' is not 0/1" \
    "$vitals" tune "$cards/equal-weights.json" "$uri" --label churned -o bad.json --query \
    "SELECT account_id, segment, lifecycle_stage, seats, mrr, tenure_months, logins_per_seat, active_user_ratio,
            feature_a_adoption, feature_b_adoption, feature_c_adoption, usage_trend, open_tickets, nps,
            unpaid_invoices, days_since_contact, CASE WHEN row_number() OVER (ORDER BY account_id) = 30
            THEN 'maybe' ELSE churned::text END AS churned FROM accounts ORDER BY account_id"
no_file bad.json
expect_fail "^vitals: DATA is a PostgreSQL URI: say which rows with --query or --table$" \
    "$vitals" tune "$cards/equal-weights.json" "$uri" --label churned -o bad.json
no_file bad.json
