# generate --shape curved: --smooth auto recovers the true curves (each
# within the fitted 95% band at 80% of its grid or more: check_gam truth)
# and beats the linear fit on held-out rows by a clear margin (ROC AUC
# +0.02 or more; measured +0.04 on 12,000 rows).  days_since_contact's
# true curve falls steeply over its first 10 days, sharper than 10 knots
# spaced 20 days apart can follow: it gets K = 20.
CHECK_GAM=$(dirname "$vitals")/tests/check_gam
"$vitals" generate 12000 --shape curved --seed 11 -o curved.csv 2>/dev/null || fail "generate"
"$vitals" train curved.csv --churn churned --id account_id --smooth auto,days_since_contact:20 --holdout 0.3 \
    -o model.json >train.txt 2>train.err || { cat train.err; fail "train"; }
"$CHECK_GAM" truth model.json curved.csv.truth.json >truth.txt 2>&1 || { cat truth.txt; fail "a true curve outside its band"; }
gain=$(awk '/what the smooth terms bought/ { print $8 }' train.txt)
[ -n "$gain" ] || { cat train.txt; fail "no comparison with the linear fit"; }
awk -v g="$gain" 'BEGIN { exit !(g + 0 >= 0.02) }' || fail "held-out ROC AUC gain $gain, below 0.02"
