# vitals sql gives predict's numbers, every row, on PostgreSQL and DuckDB for
# a model with interactions (--interact): a product of two numeric columns
# (one with blanks, imputed), slopes per level with the categorical column
# written first and second, and cells of two categorical columns (aliased
# cells among them), on the Telco data; and on generated accounts, churn and
# expansion with --by (the pair terms in every segment's model).
# uses: postgres duckdb
export vitals
pairs='tenure:TotalCharges,tenure:Contract,PaymentMethod:MonthlyCharges,InternetService:OnlineSecurity'
"$vitals" train "$TELCO_CSV" --churn Churn --id customerID --firth --interact "$pairs" --quiet -o telco.json \
    2>/dev/null || fail "train telco"
grep -q '"tenure:TotalCharges"' telco.json || fail "the model has no product term"
grep -q '"PaymentMethodMailed check:MonthlyCharges"' telco.json || fail "the model has no slope term"
"$vitals" predict telco.json "$TELCO_CSV" -o scores-telco.csv --quiet || fail "predict telco"
sed 's/, ,/,,/g' "$TELCO_CSV" >telco.csv
"$vitals" generate 6000 --seed 12 -o train.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --expansion expanded --id account_id --by segment --quiet \
    --interact 'usage_trend:lifecycle_stage,seats:nps,lifecycle_stage:open_tickets' -o by.json 2>/dev/null || fail "train --by"
"$vitals" generate 2000 --seed 13 -o fresh.csv 2>/dev/null || fail "generate fresh"
"$vitals" predict by.json fresh.csv -o scores-by.csv --quiet || fail "predict by"
for model in telco by; do
    data=$PWD/telco.csv
    [ $model = by ] && data=$PWD/fresh.csv
    awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores-$model.csv >expected-$model.csv
    for engine in postgres duckdb; do
        sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine $model.json "$data" "$PWD/expected-$model.csv" ||
            fail "$model: $engine"
    done
done
# Curves per level (s(x, by = lifecycle_stage)) beside plain smooths: every
# knot, the doubles either side, far beyond the range, blank cells, blank
# and unseen levels (sent to the baseline's curve), on both engines.
"$vitals" generate 4000 --shape curved --seed 15 -o curved.csv 2>/dev/null || fail "generate curved"
"$vitals" train curved.csv --churn churned --expansion expanded --id account_id --smooth auto --quiet \
    --interact active_user_ratio:lifecycle_stage,usage_trend:segment -o bysmooth.json 2>/dev/null ||
    fail "train by smooths"
grep -q '"s(active_user_ratio):lifecycle_stagematurity.3"' bysmooth.json || fail "no curve per level"
"$vitals" generate 1500 --shape curved --seed 16 -o fresh-curved.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," }
    NR > 1 && NR % 50 == 3 { $8 = "" }
    NR > 1 && NR % 40 == 7 { $3 = "" }
    NR > 1 && NR % 97 == 4 { $3 = "renewal" }
    { print }' fresh-curved.csv >blanked.csv
node "$VITALS_DB_SCRIPTS/smooth_edges.mjs" bysmooth.json blanked.csv 60 >score-bysmooth.csv || fail "edge values"
"$vitals" predict bysmooth.json score-bysmooth.csv --unseen baseline -o scores-bysmooth.csv --quiet ||
    fail "predict by smooths"
awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores-bysmooth.csv >expected-bysmooth.csv
for engine in postgres duckdb; do
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine bysmooth.json "$PWD/score-bysmooth.csv" \
        "$PWD/expected-bysmooth.csv" --unseen baseline || fail "by smooths: $engine"
done
