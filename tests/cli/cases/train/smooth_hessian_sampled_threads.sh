# Over train/gam.c's HESSIAN_ROWS the REML Hessian's trace terms are
# estimated on every stride-th row (a fixed choice): with 12,500 rows that
# path runs, and the model must still not depend on the thread count.
"$vitals" generate 12500 --shape curved --seed 33 -o g.csv 2>/dev/null || fail "generate"
# Eight smooth terms rather than thirteen: a quarter of the time.
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
for t in 1 2; do
    "$vitals" train g.csv --churn churned --id account_id --drop "expanded,$few" --smooth auto --threads $t \
        --quiet -o m$t.json 2>/dev/null || fail "train --threads $t"
    grep -v '"created_at"' m$t.json >m$t.txt
done
grep -q '"smooth":' m1.json || fail "no smooth term in the model"
grep -q '"outer_converged":[[:space:]]*true' m1.json || fail "the REML search did not converge"
cmp -s m1.txt m2.txt || fail "the smooth model differs between 1 and 2 threads: $(diff m1.txt m2.txt | head -4)"
