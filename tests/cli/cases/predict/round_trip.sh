# predict's probabilities equal training's fitted values to the bit: both
# come from the one row scorer on the same encoded rows (issue 9).
"$vitals" generate 20000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --fitted fitted.csv -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" predict m.json g.csv -o s.csv 2>/dev/null || fail "predict"
awk -F, 'NR == FNR { churn[$1] = $2; expansion[$1] = $4; next }
    FNR > 1 {
        n++
        if (!($1 in churn)) missing++
        else if ($2 != churn[$1] || $3 != expansion[$1]) { differ++; if (differ == 1) print "first difference:", $1, $2, churn[$1], $3, expansion[$1] }
    }
    END {
        printf "rows %d, missing %d, differing %d\n", n, missing, differ
        exit !(n == 20000 && missing == 0 && differ == 0)
    }' fitted.csv s.csv || fail "predict differs from the fitted values"
