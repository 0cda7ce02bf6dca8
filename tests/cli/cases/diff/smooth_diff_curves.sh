# diff compares a smooth column as a curve (edf old and new, the largest
# change against its band over a grid spanning both models' knots), never
# by its basis coefficients, which mean nothing across retrains.
"$vitals" generate 5000 --shape curved --seed 5 -o c.csv 2>/dev/null || fail "generate curved"
"$vitals" generate 5000 --shape linear --seed 5 -o l.csv 2>/dev/null || fail "generate linear"
smooth=active_user_ratio,days_since_contact
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth $smooth -o curved.json --quiet \
    2>/dev/null || fail "train curved"
"$vitals" train l.csv --churn churned --drop expanded --id account_id --smooth $smooth -o straight.json --quiet \
    2>/dev/null || fail "train straight"
# Against itself: no basis term listed, both curves there, nothing moves.
"$vitals" diff curved.json curved.json --data c.csv --json -o self.json || fail "diff with itself"
grep -q '"term":[[:space:]]*"s(' self.json && fail "basis terms listed as terms"
[ "$(grep -c '"column":[[:space:]]*"\(active_user_ratio\|days_since_contact\)"' self.json)" -eq 2 ] || fail "two curves"
grep -q '"curves_flagged":[[:space:]]*0' self.json && grep -q '"flagged":[[:space:]]*0' self.json || fail "self flags"
[ "$(grep -c '"largest_change":[[:space:]]*0,' self.json)" -eq 2 ] || fail "self: curves moved"
# The truth's ramp and U against the straight lines of the linear file:
# both curves flagged, as smooth in both models.
"$vitals" diff straight.json curved.json >d.txt || fail "diff"
grep -q '^smooth columns: 2 curves changed by more than 3 standard errors' d.txt || { cat d.txt; fail "two curves flagged"; }
grep -q '^active_user_ratio  .*<-- changed$' d.txt && grep -q '^days_since_contact  .*<-- changed$' d.txt ||
    fail "the curves not flagged"
grep -q '^s(' d.txt && fail "basis terms in the text"
"$vitals" diff straight.json curved.json --json -o d.json || fail "diff --json"
z=$(awk '/"column":[ \t]*"active_user_ratio"/ { on = 1 } on && /"z":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' d.json)
awk -v z="$z" 'BEGIN { exit !(z > 4 || z < -4) }' || fail "active_user_ratio z $z"
# A column linear in the old model and smooth in the new: said, and the
# curves compared anyway.  With a smoothing parameter that forces a
# straight line, the smooth model is the linear model: no change anywhere.
"$vitals" train c.csv --churn churned --drop expanded --id account_id -o linear.json --quiet 2>/dev/null ||
    fail "train linear"
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth active_user_ratio \
    --sp active_user_ratio=1e9 -o stiff.json --quiet 2>/dev/null || fail "train stiff"
"$vitals" diff linear.json stiff.json >s.txt || fail "diff linear stiff"
grep -q '^  active_user_ratio: was linear, now a smooth term (k = 10)$' s.txt || fail "encoding change not said"
grep -q 'active_user_ratio: linear in the old model, smooth in the new' s.txt || fail "switch not said"
grep -q '(Intercept): a line.s level' s.txt || fail "intercept note"
grep -q '^active_user_ratio  .* removed$' s.txt && fail "the linear term listed as removed"
"$vitals" diff linear.json stiff.json --json -o s.json || fail "diff --json linear stiff"
awk '/"column":[ \t]*"active_user_ratio"/ { on = 1 } !on { next }
     /"old":/ { old = $2 } /"new_edf":/ { edf = $2 + 0 } /"z":/ { z = $2 + 0 } /"largest_change":/ { c = $2 + 0; exit }
     END { if (z < 0) z = -z; if (c < 0) c = -c
           exit !(old ~ /"linear"/ && edf > 0.999 && edf < 1.001 && z < 0.05 && c < 1e-4) }' s.json ||
    fail "a stiff smooth should equal the line"
true
