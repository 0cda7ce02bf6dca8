# --interact auto on generated data with known interactions (generate
# --shape curved: usage_trend's slope by lifecycle stage, open_tickets x
# unpaid_invoices) finds both, and each true pair coefficient lies within 4
# standard errors of its estimate; with smooth terms the stage x trend pair
# becomes a curve per stage and tickets x unpaid a ti(); on plain data (no
# interaction) it keeps none,
# by held-out log-loss or by AIC.
"$vitals" generate 15000 --shape curved --seed 7 -o c.csv 2>/dev/null || fail "generate curved"
"$vitals" train c.csv --churn churned --expansion expanded --id account_id --interact auto --holdout 0.2 -o lin.json \
    >out.txt 2>err.txt || fail "train linear: $(cat err.txt)"
grep -q '^vitals: --interact auto: 3 of 105 pairs tried, [0-9] kept: .*lifecycle_stage x usage_trend' err.txt ||
    fail "stage x trend not kept: $(grep 'interact auto' err.txt)"
grep -q 'open_tickets x unpaid_invoices' err.txt || fail "tickets x unpaid not kept: $(grep 'interact auto' err.txt)"
grep -q '^Interactions (--interact auto): 105 pairs ranked' out.txt || fail "no ranking in the report"
"$vitals" summary lin.json >summary.txt || fail "summary"
# term (either order of the pair's names), truth: |estimate - truth| <= 4 SE
within() {
    awk -v a="$1" -v b="$2" -v truth="$3" '
        ($1 == a ":" b || $1 == b ":" a) && !seen++ {
            found = 1; gap = $2 - truth; if (gap < 0) gap = -gap
            if (gap > 4 * $3) { print "far: " $0; exit 1 }
        }
        END { if (!found) { print "no term " a ":" b; exit 1 } }' summary.txt
}
within usage_trend lifecycle_stagematurity 2 || fail "stage maturity x trend"
within usage_trend lifecycle_stageonboarding -4 || fail "stage onboarding x trend"
within open_tickets unpaid_invoices 0.4 || fail "tickets x unpaid"

# Smooth terms: the trend's curve per stage (s(usage_trend, by = lifecycle_stage)).
"$vitals" generate 6000 --shape curved --seed 9 -o c10.csv 2>/dev/null || fail "generate"
"$vitals" train c10.csv --churn churned --id account_id --drop expanded --smooth auto --interact auto \
    --holdout 0.2 -o smooth.json >out.txt 2>err.txt || fail "train smooth: $(cat err.txt)"
grep -q 'kept: .*lifecycle_stage x usage_trend' err.txt || fail "smooth: stage x trend not kept: $(grep 'interact' err.txt)"
grep -q '"s(usage_trend):lifecycle_stageonboarding.1"' smooth.json || fail "no curve per stage"
# and the two numeric columns acting together as a ti() of their two smooths
grep -q 'open_tickets x unpaid_invoices .* kept (as tensor ti())$' out.txt ||
    fail "smooth: tickets x unpaid not kept as a ti: $(grep 'open_tickets x unpaid' out.txt)"
grep -q '"ti(open_tickets,unpaid_invoices).1"' smooth.json || fail "no ti(open_tickets,unpaid_invoices) terms"

# No interaction in the truth: nothing kept.
"$vitals" generate 15000 --seed 8 -o plain.csv 2>/dev/null || fail "generate plain"
for validation in "--holdout 0.2" ""; do
    "$vitals" train plain.csv --churn churned --expansion expanded --id account_id --interact auto $validation \
        -o plain.json --quiet 2>err.txt || fail "train plain $validation"
    grep -q '^vitals: --interact auto: [0-9] of 105 pairs tried, 0 kept$' err.txt ||
        fail "plain data $validation: $(grep 'interact' err.txt)"
    grep -q '"interactions"' plain.json && fail "plain data $validation: the model has interactions"
done
