# predict's probabilities equal training's fitted values to the bit for a
# smooth model (both targets), as round_trip checks for a linear one; with
# --missing impute rows (nps has missing cells) included.
"$vitals" generate 3000 --shape curved --seed 43 -o g.csv 2>/dev/null || fail "generate"
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" --smooth auto \
    --fitted fitted.csv -o m.json --quiet 2>/dev/null || fail "train"
grep -q '"smooth":' m.json || fail "no smooth term"
"$vitals" predict m.json g.csv -o s.csv 2>/dev/null || fail "predict"
awk -F, 'NR == FNR { churn[$1] = $2; expansion[$1] = $4; next }
    FNR > 1 {
        n++
        if (!($1 in churn)) missing++
        else if ($2 != churn[$1] || $3 != expansion[$1]) { differ++; if (differ == 1) print "first difference:", $1, $2, churn[$1], $3, expansion[$1] }
    }
    END {
        printf "rows %d, missing %d, differing %d\n", n, missing, differ
        exit !(n == 3000 && missing == 0 && differ == 0)
    }' fitted.csv s.csv || fail "predict differs from the fitted values"
# Fixed smoothing parameters (--sp) too.
"$vitals" train g.csv --churn churned --id account_id --drop "expanded,$few" --smooth days_since_contact,seats:6 \
    --sp days_since_contact=3,seats=100 --fitted f2.csv -o m2.json --quiet 2>/dev/null || fail "train --sp"
"$vitals" predict m2.json g.csv -o s2.csv 2>/dev/null || fail "predict --sp model"
awk -F, 'NR == FNR { churn[$1] = $2; next }
    FNR > 1 { n++; if (!($1 in churn) || $2 != churn[$1]) differ++ }
    END { exit !(n == 3000 && differ == 0) }' f2.csv s2.csv || fail "--sp model: predict differs from the fitted values"
