# The score test that ranks the pairs (train/pair_search.h) is R's Rao test
# of the pair term added to the additive glm: Telco, --missing drop, the
# statistics printed by tests/data/make_rao_telco.R (R 4.2.2):
#   tenure:Contract 2 28.3722799, InternetService:tenure 2 10.39131635
# (train prints 4 significant digits).
"$vitals" train "$fixtures/../../datasets/telco-customer-churn.csv" --churn Churn --id customerID --missing drop --interact auto:1 -o m.json >out.txt \
    2>/dev/null || fail "train"
stat() { awk -v pair="$1" -v df="$2" '$1 " " $2 " " $3 == pair && $4 == df { print $5 }' out.txt; }
[ "$(stat 'tenure x Contract' 2)" = 28.37 ] || fail "tenure x Contract: $(grep 'tenure x Contract' out.txt)"
[ "$(stat 'tenure x InternetService' 2)" = 10.39 ] || fail "tenure x InternetService: $(grep 'x InternetService' out.txt)"
# The strongest pair is tried first and kept by AIC (5874.27 additive).
grep -q '^  tenure x TotalCharges  *1  *26.97 .* kept (as product)$' out.txt || fail "$(grep -A3 '^Interactions' out.txt)"
