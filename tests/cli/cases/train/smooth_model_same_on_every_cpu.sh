# A smooth model (--smooth auto, churn and expansion, REML) is the same
# bytes whatever CPU trains it, as model_same_on_every_cpu checks for the
# linear fits: the REML search, its Newton steps and the eigen-rotations of
# the penalties (GSL, on gslcblas) must not depend on the CPU's features.
"$vitals" generate 3000 --shape curved --seed 31 -o g.csv 2>/dev/null || fail "generate"
# Eight smooth terms rather than thirteen: a quarter of the time.
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
for mask in $cpu_masks; do
    on_cpu $mask "$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" \
        --smooth auto --quiet -o "smooth-$mask.json" 2>/dev/null || fail "train ($mask)"
    grep -q '"smooth":' "smooth-$mask.json" || fail "no smooth term in the model ($mask)"
    grep -v '"created_at"' "smooth-$mask.json" >"smooth-$mask.txt"
done
for mask in $cpu_masks; do
    cmp -s smooth-all.txt "smooth-$mask.txt" ||
        fail "smooth model under $mask differs: $(diff smooth-all.txt "smooth-$mask.txt" | head -4)"
done
