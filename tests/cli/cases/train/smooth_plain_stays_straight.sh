# Plain generated data (every true effect a straight line): every smooth's
# edf stays below 2.5 (check_gam straight) and the held-out ROC AUC equals
# the linear fit's within noise (|difference| < 0.01).
CHECK_GAM=$(dirname "$vitals")/tests/check_gam
"$vitals" generate 12000 --seed 11 -o plain.csv 2>/dev/null || fail "generate"
"$vitals" train plain.csv --churn churned --id account_id --smooth auto --holdout 0.3 \
    -o model.json >train.txt 2>train.err || { cat train.err; fail "train"; }
"$CHECK_GAM" straight model.json >straight.txt 2>&1 || { cat straight.txt; fail "a smooth is not near a line"; }
gain=$(awk '/what the smooth terms bought/ { print $8 }' train.txt)
[ -n "$gain" ] || { cat train.txt; fail "no comparison with the linear fit"; }
awk -v g="$gain" 'BEGIN { exit !(g + 0 < 0.01 && g + 0 > -0.01) }' || fail "held-out ROC AUC differs by $gain"
