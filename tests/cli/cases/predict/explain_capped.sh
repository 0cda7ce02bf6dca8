# --explain asks for at most as many drivers as the model has: a model of
# 15 features (and a pair) writes 16 driver columns per target for --explain
# 1000, not 1000 mostly empty ones.  (On 500 of these rows segment, seats
# and mrr come out nearly collinear, one driver: 1000 rows have no group.)
"$vitals" generate 1000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --interact seats:nps -o m.json --quiet \
    2>/dev/null || fail "train"
"$vitals" predict m.json g.csv --explain 1000 -o s.csv --quiet || fail "predict"
[ "$(head -1 s.csv | tr ',' '\n' | grep -c '^churn_driver_[0-9]*$')" -eq 16 ] ||
    fail "driver columns: $(head -1 s.csv | tr ',' '\n' | grep -c '^churn_driver_[0-9]*$')"
"$CHECK_FIT" explain m.json s.csv || fail "effects do not sum to the log-odds"
