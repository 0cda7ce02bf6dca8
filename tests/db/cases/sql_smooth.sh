# vitals sql exports smooth terms (mgcv's cr basis, models/smooth.h) with
# predict's numbers on PostgreSQL and DuckDB, every row, for three models of
# generated curved accounts, every numeric feature smooth (--smooth auto:
# K from 4 to 10): churn (beside a linear 0/1 feature, expanded), churn and
# expansion, and a --by lifecycle_stage model with three smooths (levels with
# models of their own, one falling back, an unseen level sent to the pooled
# model).  The rows scored: blank cells (nps has blanks, so an nps_missing
# term; tenure_months and active_user_ratio are blanked here, imputed
# without one), and on rows of its own each smooth column at every knot
# exactly, the doubles either side, and far beyond the end knots, out to
# +-1e100 (tests/db/smooth_edges.mjs).
# uses: postgres duckdb
export vitals
"$vitals" generate 3000 --shape curved --seed 5 -o train.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --id account_id --smooth auto --quiet -o auto.json 2>/dev/null ||
    fail "train --smooth auto"
"$vitals" train train.csv --churn churned --expansion expanded --id account_id --smooth auto --quiet -o both.json \
    2>/dev/null || fail "train churn and expansion"
"$vitals" generate 12000 --shape curved --seed 21 -o train-by.csv 2>/dev/null || fail "generate"
"$vitals" train train-by.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage --quiet \
    --smooth active_user_ratio:6,usage_trend:5,nps:5 -o by.json 2>/dev/null || fail "train --by"
grep -q '"s(nps).4"' by.json || fail "the --by model has no smooth of nps"
grep -q '"fallback' by.json || fail "no level falls back to the pooled model: the case needs one"
[ "$(grep -c '"fallback' by.json)" -lt 6 ] || fail "every level falls back: the case needs models of their own"

"$vitals" generate 2000 --shape curved --seed 6 -o fresh.csv 2>/dev/null || fail "generate"
# Rows 3, 53, ...: no tenure_months; 7, 52, ...: no active_user_ratio; every
# 97th: a lifecycle stage training never saw (scored as the baseline, and by
# the pooled model).
awk -F, 'BEGIN { OFS = "," }
    NR > 1 && NR % 50 == 3 { $6 = "" }
    NR > 1 && NR % 45 == 7 { $8 = "" }
    NR > 1 && NR % 97 == 4 { $3 = "renewal" }
    { print }' fresh.csv >blanked.csv
[ "$(awk -F, 'NR > 1 && $14 == ""' blanked.csv | wc -l)" -gt 50 ] || fail "too few blank nps"
for model in auto both by; do
    node "$VITALS_DB_SCRIPTS/smooth_edges.mjs" $model.json blanked.csv 100 >score-$model.csv || fail "$model: edge values"
    grep -q ',1e+100,' score-$model.csv || fail "$model: no value of 1e100"
    "$vitals" predict $model.json score-$model.csv --unseen baseline -o scores-$model.csv --quiet ||
        fail "$model: predict"
    awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores-$model.csv >expected-$model.csv
    for engine in postgres duckdb; do
        sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine $model.json "$PWD/score-$model.csv" "$PWD/expected-$model.csv" \
            --unseen baseline || fail "$model: $engine"
        grep -q ' AS vt_s[0-9]*_1,$' view-$engine.sql || fail "$model: $engine: no basis column in the SQL"
    done
    # The extremes reached the logistic's ends.
    grep -Eq ',0,([^,]*,)?100,green$' scores-$model.csv || fail "$model: no row with churn_risk 0"
    grep -Eq ',1,([^,]*,)?0,red$' scores-$model.csv || fail "$model: no row with churn_risk 1"
done
