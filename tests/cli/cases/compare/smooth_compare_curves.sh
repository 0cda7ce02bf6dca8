# A smooth column's share of the model's weight is the standard deviation
# of its curve over the labelled rows, and its sign the slope of the
# least-squares line of the curve on the column: both read back from
# predict --explain's contributions (each a curve minus a constant), not
# from the basis coefficients.  A linear model's report has no curve keys.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 5000 --shape curved --seed 5 -o c.csv 2>/dev/null || fail "generate"
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth active_user_ratio,days_since_contact \
    -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" compare m.json "$cards/equal-weights.json" c.csv --json -o c.json || fail "compare --json"
# One weight per column, the curves marked: no s(COL).j anywhere.
grep -q '"s(' c.json && fail "a basis term listed"
[ "$(grep -c '"curve":[[:space:]]*true' c.json)" -eq 2 ] || fail "two curves expected"
weight() { # weight COLUMN KEY
    awk -v col="\"$1\"" -v key="\"$2\":" '$1 == "\"column\":" { on = ($2 == col "," || $2 == col) }
        on && $1 == key { gsub(/,/, "", $2); print $2; exit }' c.json
}
"$vitals" predict m.json c.csv --explain 15 -o p.csv 2>/dev/null || fail "predict --explain"
# Per column: sd (n - 1) of its contribution, and the slope on its value.
shape() { # shape COLUMN -> "sd slope"
    awk -F, -v col="$1" '
        NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) if ($i == col) c = i; next } x[FNR] = $c; next }
        FNR == 1 { next }
        { for (i = 5; i < NF; i += 2) if ($i == col) { f = $(i + 1); n++; xs[n] = x[FNR]; fs[n] = f; mx += x[FNR]; mf += f } }
        END { mx /= n; mf /= n
              for (i = 1; i <= n; i++) { sff += (fs[i] - mf)^2; sxf += (xs[i] - mx) * (fs[i] - mf); sxx += (xs[i] - mx)^2 }
              printf "%.17g %.17g\n", sqrt(sff / (n - 1)), sxf / sxx }' c.csv p.csv
}
close() { awk -v a="$2" -v b="$3" -v tol="$4" -v what="$1" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b
    if (a == "" || b == "" || d > tol * s) { print what ": " a " vs " b; exit 1 } }' || fail "$1"; }
set -- $(shape active_user_ratio); aur_sd=$1 aur_slope=$2
set -- $(shape days_since_contact); dsc_sd=$1 dsc_slope=$2
close "share ratio" "$(awk -v a="$(weight active_user_ratio model_share)" -v b="$(weight days_since_contact model_share)" \
    'BEGIN { printf "%.17g", a / b }')" "$(awk -v a="$aur_sd" -v b="$dsc_sd" 'BEGIN { printf "%.17g", a / b }')" 1e-9
close "active_user_ratio trend" "$(weight active_user_ratio trend)" "$aur_slope" 1e-9
close "days_since_contact trend" "$(weight days_since_contact trend)" "$dsc_slope" 1e-9
# A linear column keeps |standardised coefficient| (estimate x training sd)
# over the same total: its ratio to a curve's share is that over sd(curve).
std=$(awk '/"term":[ \t]*"usage_trend"/ { on = 1 } on && /"standardised":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' m.json)
close "linear share ratio" "$(awk -v a="$(weight usage_trend model_share)" -v b="$(weight active_user_ratio model_share)" \
    'BEGIN { printf "%.17g", a / b }')" "$(awk -v a="$std" -v b="$aur_sd" 'BEGIN { if (a < 0) a = -a; printf "%.17g", a / b }')" 1e-9
total=$(awk '/"model_share":/ { gsub(/,/, "", $2); t += $2 } END { printf "%.12f", t }' c.json)
close "shares add up to 1" "$total" 1 1e-9
# The ramp falls (risk climbs as activity drops): agrees with "higher is
# better"; the U of days since contact trends down over these rows, which
# contradicts "lower is better", and the text says it is the curve's trend.
[ "$(weight active_user_ratio signs_disagree)" = false ] || fail "active_user_ratio's trend"
[ "$(weight days_since_contact signs_disagree)" = true ] || fail "days_since_contact's trend"
"$vitals" compare m.json "$cards/equal-weights.json" c.csv >text.txt || fail "compare"
grep -q '^s(days_since_contact) .*signs disagree (the curve.s trend)$' text.txt || fail "text: curve's sign"
grep -q '^s(active_user_ratio) ' text.txt && ! grep -q '^s(active_user_ratio) .*disagree' text.txt || fail "text: ramp"
grep -q '^usage_trend ' text.txt || fail "text: linear columns by name"
grep -q "^s(COL): a smooth column; its share is the standard deviation" text.txt || fail "text: what s(COL) means"
# A linear model: no curve keys, no note.
"$vitals" train c.csv --churn churned --drop expanded --id account_id -o lin.json --quiet 2>/dev/null || fail "train linear"
"$vitals" compare lin.json "$cards/equal-weights.json" c.csv --json -o l.json || fail "compare linear"
grep -q '"curve"\|"trend"' l.json && fail "linear model with curve keys"
"$vitals" compare lin.json "$cards/equal-weights.json" c.csv | grep -q 's(COL)' && fail "linear model with the note"
# One model per stage: the weights are the pooled model's curves.
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth active_user_ratio,days_since_contact \
    --by lifecycle_stage -o by.json --quiet 2>/dev/null || fail "train --by"
"$vitals" compare by.json "$cards/equal-weights.json" c.csv --json -o b.json || fail "compare --by"
[ "$(grep -c '"curve":[[:space:]]*true' b.json)" -eq 2 ] || fail "--by: two curves expected"
true
