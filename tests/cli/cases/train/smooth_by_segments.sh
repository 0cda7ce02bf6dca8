# --by lifecycle_stage with smooth terms: each level gets its own smooth
# fit (its own REML) or falls back to the pooled model with the reason;
# predict scores every row by its level's model (check_fit segments), the
# same bytes on any thread count.
"$vitals" generate 3000 --shape curved --seed 45 -o g.csv 2>/dev/null || fail "generate"
# --smooth auto: 100+ terms, too many for any level of 3,000 rows: all pooled, each with the reason.
"$vitals" train g.csv --churn churned --id account_id --drop expanded --smooth auto --by lifecycle_stage \
    -o auto.json >auto.txt 2>auto.err || { cat auto.err; fail "--smooth auto --by"; }
[ "$(grep -c '^== lifecycle_stage = ' auto.txt)" -eq 3 ] || fail "three levels expected"
[ "$(grep -c 'the pooled model serves this level (.*fewer than 10 per term' auto.txt)" -eq 3 ] ||
    fail "each level should fall back, with the reason"
grep -q '^s(days_since_contact)' auto.txt || fail "no smooth table for the pooled model"
"$vitals" predict auto.json g.csv -o auto.csv --quiet || fail "predict the --smooth auto --by model"
"$vitals" predict auto.json g.csv --explain 3 -o auto3.csv --quiet || fail "predict --explain 3"
[ "$(wc -l <auto.csv)" -eq 3001 ] || fail "rows scored"
# Two smooth columns (K = 5) on a few features: levels with their own fit.
few=segment,seats,mrr,tenure_months,feature_a_adoption,feature_b_adoption,feature_c_adoption,open_tickets,nps,unpaid_invoices
"$vitals" train g.csv --churn churned --id account_id --drop "expanded,$few" --by lifecycle_stage \
    --smooth days_since_contact:5,active_user_ratio:5 -o m.json >t.txt 2>t.err || { cat t.err; fail "--smooth --by"; }
[ "$(grep -c '^== lifecycle_stage = ' t.txt)" -eq 3 ] || fail "three levels expected"
own=$(grep -c '^s(days_since_contact)' t.txt)
[ "$own" -ge 2 ] || fail "no level got its own smooth fit ($own smooth tables)"
grep -q '"outer_converged":[[:space:]]*true' m.json || fail "no converged REML search stored"
# Rows of an unseen level go to the pooled model.
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 10 == 0 { $3 = "trial" } { print }' g.csv >mixed.csv
"$vitals" predict m.json mixed.csv --unseen baseline -o s.csv 2>err.txt || { cat err.txt; fail "predict"; }
"$CHECK_FIT" segments m.json mixed.csv s.csv || fail "rows not scored by their level's model"
"$vitals" predict m.json mixed.csv --unseen baseline --threads 3 --explain 2 -o s3.csv --quiet || fail "predict 3 threads"
"$vitals" predict m.json mixed.csv --unseen baseline --threads 1 --explain 2 -o s1.csv --quiet || fail "predict 1 thread"
cmp -s s1.csv s3.csv || fail "segment scores depend on threads"
"$vitals" summary m.json >summary.txt || fail "summary"
grep -q '^== lifecycle_stage = maturity' summary.txt || fail "summary per level"
