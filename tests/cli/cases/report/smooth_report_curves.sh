# A smooth model's report: no basis term drawn as an odds ratio; a row per
# smooth with the numbers the model stores (edf, Ref.df, Chi.sq, p, sp) and
# its range of effect on the odds, exp(max f - min f) between the end
# knots, read back through predict --explain on rows spanning that range;
# curves in the learned-vs-hand-set chart (needing --data) and in what
# changed (diff --json's numbers).
command -v xmllint >/dev/null || fail "xmllint missing (scripts/deps.sh test installs libxml2-utils)"
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 5000 --shape curved --seed 5 -o c.csv 2>/dev/null || fail "generate"
"$vitals" generate 5000 --shape curved --seed 6 -o d.csv 2>/dev/null || fail "generate previous"
smooth=active_user_ratio,days_since_contact
"$vitals" train c.csv --churn churned --expansion expanded --id account_id --smooth $smooth -o m.json --quiet \
    2>/dev/null || fail "train"
"$vitals" train d.csv --churn churned --expansion expanded --id account_id --smooth $smooth -o old.json --quiet \
    2>/dev/null || fail "train previous"
"$vitals" report m.json --data c.csv --scorecard "$cards/equal-weights.json" --previous old.json -o r.html ||
    fail "report"
xmllint --noout r.html || fail "not well-formed"
count() { xmllint --xpath "count($1)" r.html; }
# The odds-ratio charts: every term but the intercept and the 2 x 9 basis
# terms, and no s(COL).j anywhere in a chart.
terms=$(awk '/"term":/' m.json | sort -u | grep -vc '"(Intercept)"\|"s(')
[ "$(count "//*[local-name()='svg'][@id='odds-churn']//*[local-name()='circle']")" -eq "$terms" ] ||
    fail "odds-churn should have $terms terms"
grep -q '<title>s(' r.html && fail "a basis term drawn"
grep -q '<text[^>]*>s(' r.html && fail "a basis term labelled"
# The smooth table: one row per smooth per target, the stored numbers.
for target in churn expansion; do
    [ "$(count "//*[local-name()='table'][@id='smooth-$target']/*[local-name()='tr']")" -eq 3 ] ||
        fail "smooth-$target: a header and 2 rows expected"
done
cell() { # cell TABLE COLUMN N: the Nth cell of COLUMN's row
    xmllint --xpath "string(//*[local-name()='table'][@id='$1']/*[local-name()='tr'][*[1]='$2']/*[$3])" r.html
}
stored() { # stored COLUMN KEY: the churn target's smooth term (the first listed)
    awk -v col="\"$1\"" -v key="\"$2\":" '$1 == "\"column\":" && ($2 == col || $2 == col ",") { on = 1 }
        on && $1 == key { gsub(/,/, "", $2); print $2; exit }' m.json
}
# near WHAT REPORTED WANT TOL [rel]: |a - b| <= TOL (relative with rel)
near() { awk -v a="$2" -v b="$3" -v tol="$4" -v rel="${5:-}" -v what="$1" 'BEGIN { d = a - b; if (d < 0) d = -d
    s = b < 0 ? -b : b; if (rel == "") s = 1
    if (a == "" || b == "" || d > tol * s) { print what ": report " a " vs " b; exit 1 } }' || fail "$1"; }
for col in active_user_ratio days_since_contact; do
    near "$col edf" "$(cell smooth-churn $col 2)" "$(stored $col edf)" 6e-4
    near "$col Ref.df" "$(cell smooth-churn $col 3)" "$(stored $col ref_df)" 6e-4
    near "$col Chi.sq" "$(cell smooth-churn $col 4)" "$(stored $col chi_sq)" 6e-3
    near "$col sp" "$(cell smooth-churn $col 6)" "$(stored $col sp)" 6e-4 rel
done
[ "$(cell smooth-churn active_user_ratio 5)" = '< 2e-16' ] || fail "a p-value of 0 shows as < 2e-16"
# The range of effect: predict --explain on 201 rows, the first data row with
# active_user_ratio from its first to its last knot.
knots=$(awk '/"name":[ \t]*"active_user_ratio"/ { on = 1 } on && /"knots":/ { print; exit }' m.json |
    sed 's/.*\[//; s/\].*//; s/,/ /g')
set -- $knots; lo=$1; shift $(($# - 1)); hi=$1
awk -F, -v OFS=, -v lo="$lo" -v hi="$hi" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "active_user_ratio") c = i; print; next }
    NR == 2 { for (k = 0; k <= 200; k++) { $c = k == 200 ? hi : lo + (hi - lo) * k / 200; $1 = "R" k; print } exit }' c.csv >grid.csv
"$vitals" predict m.json grid.csv --explain 15 -o grid_scores.csv 2>/dev/null || fail "predict the grid"
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^churn_driver_[0-9]+$/) driver[++d] = i; next }
    { for (j = 1; j <= d; j++) if ($driver[j] == "active_user_ratio") { f = $(driver[j] + 1)
        if (n++ == 0 || f < lo) lo = f; if (n == 1 || f > hi) hi = f } }
    END { if (n != 201) exit 1; printf "%.17g", exp(hi - lo) }' grid_scores.csv) || fail "explain: the curve on 201 rows"
got=$(cell smooth-churn active_user_ratio 7 | sed 's/×$//')
near "range of effect" "$got" "$want" 6e-4 rel
# Learned vs hand-set: the curves' hover text says what their share is.
grep -q '<title>active_user_ratio: [0-9.]*% of the model&#39;s weight (a curve' r.html || fail "weights: curve text"
# What changed: diff --json's z per curve, no basis term in the changes.
"$vitals" diff old.json m.json --json -o d.json || fail "diff"
z=$(awk '/"column":[ \t]*"days_since_contact"/ { on = 1 } on && /"z":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' d.json)
near "curve z" "$(cell curve-changes-churn days_since_contact 6)" "$z" 6e-3
[ "$(count "//*[local-name()='table'][@id='curve-changes-expansion']/*[local-name()='tr']")" -eq 3 ] ||
    fail "curve-changes-expansion"
grep -q '<td>s(' r.html && fail "a basis term in a table"
# Without --data: a smooth column's share needs rows, and the section says so.
"$vitals" report m.json --scorecard "$cards/equal-weights.json" -o alone.html || fail "report alone"
xmllint --noout alone.html || fail "alone: not well-formed"
grep -q "Left out: a smooth column weighs by its curve&#39;s spread over labelled rows" alone.html || fail "alone: weights"
grep -q 'id="smooth-churn"' alone.html || fail "alone: the smooth table needs no data"
# A linear model: no smooth table.
"$vitals" train c.csv --churn churned --id account_id --drop expanded -o lin.json --quiet 2>/dev/null || fail "train linear"
"$vitals" report lin.json -o lin.html || fail "report linear"
grep -q 'id="smooth-\|Smooth' lin.html && fail "linear: smooth text"
true
