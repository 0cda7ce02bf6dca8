# The REML search must not depend on the thread count: --smooth auto
# (churn and expansion) with --threads 1, 2, 3 and 8 writes the same model
# bytes (but created_at), as threads_identical checks for the linear fit.
"$vitals" generate 3000 --shape curved --seed 32 -o g.csv 2>/dev/null || fail "generate"
# Eight smooth terms rather than thirteen: a quarter of the time.
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
for t in 1 2 3 8; do
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" --smooth auto --threads $t \
        --quiet -o m$t.json 2>/dev/null || fail "train --threads $t"
    grep -q '"smooth":' m$t.json || fail "no smooth term in the model (--threads $t)"
    grep -v '"created_at"' m$t.json >m$t.txt
done
for t in 2 3 8; do
    cmp -s m1.txt m$t.txt || fail "the smooth model differs between 1 and $t threads: $(diff m1.txt m$t.txt | head -4)"
done
