# predict's probabilities equal the fitted values of training (<= 1e-12).
"$vitals" generate 20000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --fitted fitted.csv -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" predict m.json g.csv -o s.csv 2>/dev/null || fail "predict"
awk -F, 'NR == FNR { churn[$1] = $2; expansion[$1] = $3; next }
    FNR > 1 {
        n++
        d1 = $2 - churn[$1]; if (d1 < 0) d1 = -d1
        d2 = $3 - expansion[$1]; if (d2 < 0) d2 = -d2
        if (d1 > worst) worst = d1
        if (d2 > worst) worst = d2
        if (!($1 in churn)) missing++
    }
    END {
        printf "rows %d, largest difference %.3g\n", n, worst
        exit !(n == 20000 && missing == 0 && worst <= 1e-12)
    }' fitted.csv s.csv || fail "predict differs from the fitted values"
