# A cubic regression spline is linear beyond its end knots (mgcv's cr
# basis): an account far outside the training range (3 times the largest
# value seen, negative values, 1e12) gets a finite score in
# [0, 1], finite --explain effects that add up to the log-odds, and the
# scores move linearly out there.
"$vitals" generate 3000 --shape curved --seed 47 -o g.csv 2>/dev/null || fail "generate"
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" --smooth auto \
    -o m.json --quiet 2>/dev/null || fail "train"
grep -q '"smooth":' m.json || fail "no smooth term"
# Every numeric column left (seats 4, logins_per_seat 7, active_user_ratio 8, feature_b_adoption 10,
# usage_trend 12, nps 14, unpaid_invoices 15, days_since_contact 16) moved far out, in 7 rows.
awk -F, 'BEGIN { OFS = "," }
    NR == 1 { print; next }
    NR == 2 { for (c = 4; c <= 16; c++) if (c != 5 && c != 6 && c != 9 && c != 11 && c != 13) row[c] = $c; base = $0 }
    NR > 1 { print; for (c = 4; c <= 16; c++) if ($c != "" && $c + 0 > max[c]) max[c] = $c + 0 }
    END {
        n = split(base, f, ",")
        for (k = 1; k <= 7; k++) {
            for (i = 1; i <= n; i++) g[i] = f[i]
            for (c = 4; c <= 16; c++) if (c in row) {
                if (k == 1) g[c] = 3 * max[c]
                if (k == 2) g[c] = -3 * max[c] - 1
                if (k == 3) g[c] = 1e12
                if (k == 4) g[c] = -1e12
                if (k >= 5) g[c] = (k - 4) * 10 * max[c]   # 10x, 20x, 30x: linear in the tails
            }
            g[1] = "X" k
            line = g[1]
            for (i = 2; i <= n; i++) line = line "," g[i]
            print line
        }
    }' g.csv >far.csv
[ "$(wc -l <far.csv)" -eq 3008 ] || fail "far.csv"
"$vitals" predict m.json far.csv --explain 10 -o s.csv 2>err.txt || { cat err.txt; fail "predict far outside the range"; }
grep '^X' s.csv >far_scores.csv
[ "$(wc -l <far_scores.csv)" -eq 7 ] || fail "far rows not scored"
# Finite: probabilities in [0, 1] (at log-odds of 1e12 a risk of exactly 0
# or 1 is right, as overflowing_score accepts for a linear model), health
# 0..100, every effect a finite number.
awk -F, '{
        for (i = 2; i <= 3; i++) if ($i !~ /^[0-9.e+-]+$/ || !($i >= 0 && $i <= 1)) { print "bad probability:", $i, "in", $1; bad = 1 }
        if ($4 !~ /^[0-9]+$/ || $4 > 100) { print "bad health:", $4, "in", $1; bad = 1 }
        for (i = 7; i <= NF; i += 2) if ($i !~ /^-?[0-9.]+(e[+-]?[0-9]+)?$/) { print "bad effect:", $i, "in", $1; bad = 1 }
    } END { exit bad }' far_scores.csv || fail "non-finite scores outside the range"
# At 3x the largest value seen and at 10x..30x: strictly inside (0, 1), and
# the effects still add up to the log-odds.
{ head -1 s.csv; grep -E '^X[1567],' s.csv; } >mid.csv
awk -F, 'NR > 1 && !($2 > 0 && $2 < 1) { print "degenerate:", $1, $2; bad = 1 } END { exit bad }' mid.csv ||
    fail "a degenerate risk at moderate extrapolation"
"$CHECK_FIT" explain m.json mid.csv || fail "effects do not add up outside the range"
# Linear in the tails: at 10x, 20x, 30x the churn log-odds are evenly spaced.
awk -F, '$1 ~ /^X[567]$/ { p = $2; lo[++n] = log(p / (1 - p)) }
    END {
        d1 = lo[2] - lo[1]; d2 = lo[3] - lo[2]
        printf "log-odds steps %.17g %.17g\n", d1, d2
        gap = d1 - d2; if (gap < 0) gap = -gap
        scale = (d1 < 0 ? -d1 : d1) + 1
        exit !(gap <= 1e-6 * scale)
    }' far_scores.csv || fail "scores are not linear beyond the end knots"
