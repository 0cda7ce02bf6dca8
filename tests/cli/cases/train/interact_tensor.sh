# --interact A:B of two smooth columns is mgcv's ti(A, B, bs = "cr"):
# terms ti(A,B).j beside s(A) and s(B), a margin's k cut to its column's
# distinct values; the same bytes at any thread count; drivers name the
# pair and sum with the baseline to the log-odds; --explain-change sums to
# the change; summary prints one ti row with both smoothing parameters;
# diff names the form; a model whose tensor is damaged is refused naming
# the field; a smooth column paired with a linear numeric one is refused.
"$vitals" generate 6000 --shape curved --seed 5 -o c.csv 2>/dev/null || fail "generate"
pairs='open_tickets:unpaid_invoices,usage_trend:days_since_contact'
smooth='open_tickets,unpaid_invoices,usage_trend,days_since_contact'
for threads in 1 2; do
    "$vitals" train c.csv --churn churned --expansion expanded --id account_id --smooth "$smooth" --interact "$pairs" \
        --threads $threads -o m$threads.json --quiet 2>err.txt || fail "train: $(cat err.txt)"
    grep -v created_at m$threads.json >m$threads.txt
done
cmp -s m1.txt m2.txt || fail "1 and 2 threads differ: $(diff m1.txt m2.txt | head -4)"
# unpaid_invoices has 4 distinct values: its margin has k = 4, (5 - 1)(4 - 1) = 12 columns
grep -q '"ti(open_tickets,unpaid_invoices).12"' m1.json || fail "no term ti(open_tickets,unpaid_invoices).12"
grep -q '"ti(open_tickets,unpaid_invoices).13"' m1.json && fail "ti(open_tickets,unpaid_invoices) has 13 columns"
grep -q '"ti(usage_trend,days_since_contact).16"' m1.json || fail "no term ti(usage_trend,days_since_contact).16"

"$vitals" summary m1.json >summary.txt || fail "summary"
[ "$(grep -c '^ti(open_tickets,unpaid_invoices) ' summary.txt)" = 2 ] ||
    fail "summary: not one ti row per target: $(grep -n '^ti(' summary.txt)"
grep -Eq '^ti\(open_tickets,unpaid_invoices\) +[0-9.]+ +[0-9.]+ +[0-9.]+ +[^ ]+ +[*. ]* +[0-9.e+-]+,[0-9.e+-]+ +5,4$' \
    summary.txt || fail "summary: the ti row lacks its two sp or k = 5,4: $(grep '^ti(open' summary.txt | head -1)"
"$vitals" summary m1.json --json >summary.json || fail "summary --json"
grep -Eq '"term":[[:space:]]*"ti\(usage_trend,days_since_contact\)"' summary.json || fail "summary --json: no ti term"

"$vitals" predict m1.json c.csv --explain 40 -o drivers.csv --quiet || fail "predict --explain"
grep -q ',open_tickets x unpaid_invoices,' drivers.csv || fail "no driver named 'open_tickets x unpaid_invoices'"
"$CHECK_FIT" explain m1.json drivers.csv || fail "effects do not sum to the log-odds"

# An earlier snapshot: every account's tickets and usage moved.
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
    { $col["open_tickets"] = ($col["open_tickets"] + NR) % 7; $col["usage_trend"] = -$col["usage_trend"]; print }' \
    c.csv >then.csv
"$vitals" predict m1.json c.csv --previous-data then.csv --explain-change 40 -o ch.csv --quiet 2>err.txt ||
    fail "predict --previous-data: $(cat err.txt)"
grep -q 'open_tickets x unpaid_invoices' ch.csv || fail "--explain-change does not name the ti pair"

"$vitals" train c.csv --churn churned --expansion expanded --id account_id --smooth "$smooth" -o add.json --quiet \
    2>/dev/null || fail "train additive"
"$vitals" diff add.json m1.json >diff.txt || true
grep -q '^  open_tickets x unpaid_invoices: interaction added (as a tensor ti())$' diff.txt ||
    fail "diff: $(grep -A3 '^encoding' diff.txt)"
grep -q 'ti(open_tickets' diff.txt && fail "diff lists the ti's basis terms: $(grep -m2 'ti(' diff.txt)"

# A damaged tensor: a margin with more than 20 knots, a margin's knots out of order.
. "${case_file%/cases/*}/edit_json.sh"
head -50 c.csv >small.csv
n=$(grep -c '"k":' m1.json)
set_field k 21 big.json "$((n - 3))" m1.json
refused big.json 'encoding\.interactions\[0\]\.tensor\.margins\[0\]\.k' '.*'
awk '/"margins":/ { inside = 1 } inside && /"knots":/ { mark = NR + 2 } NR == mark { sub(/[-0-9.e+]+/, "1e300"); mark = 0; inside = 0 } { print }' \
    m1.json >knots.json
cmp -s knots.json m1.json && fail "the knot edit did not happen"
expect_fail '^vitals: knots\.json:[0-9]+:[0-9]+: not a valid vitals model: encoding\.interactions\[0\]\.tensor' \
    "$vitals" predict knots.json small.csv -o s.csv
no_file s.csv

# A smooth column and a linear numeric one have no pair form.
expect_fail "^vitals: --interact: 'open_tickets' is a smooth term and 'seats' is not" \
    "$vitals" train c.csv --churn churned --id account_id --drop expanded --smooth open_tickets \
    --interact open_tickets:seats -o bad.json
no_file bad.json

# diff compares a curve per level with the one curve of the model without
# the pair, level by level: onboarding's true slope (-4 from the others)
# is flagged.
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth usage_trend -o one.json --quiet \
    2>/dev/null || fail "train one curve"
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth usage_trend \
    --interact usage_trend:lifecycle_stage -o per.json --quiet 2>/dev/null || fail "train a curve per stage"
"$vitals" diff one.json per.json >diff.txt || true
grep -q '^usage_trend (onboarding) .*<-- changed$' diff.txt || fail "diff: onboarding's curve: $(grep usage_trend diff.txt)"
[ "$(grep -c '^usage_trend (' diff.txt)" = 3 ] || fail "diff: not a row per stage: $(grep usage_trend diff.txt)"

# diff compares two models' ti surfaces on a grid, the pair written in
# either order: the same model gives z 0 everywhere.
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth open_tickets,unpaid_invoices \
    --interact unpaid_invoices:open_tickets -o rev.json --quiet 2>/dev/null || fail "train the pair reversed"
"$vitals" diff rev.json rev.json >diff.txt || fail "diff with itself"
grep -q '^  ti(unpaid_invoices,open_tickets): edf [0-9.]* -> [0-9.]*, max |z| 0.00 ' diff.txt ||
    fail "diff with itself: $(grep -A1 '^tensor terms' diff.txt)"
"$vitals" train c.csv --churn churned --drop expanded --id account_id --smooth open_tickets,unpaid_invoices,usage_trend \
    --interact open_tickets:unpaid_invoices -o fwd.json --quiet 2>/dev/null || fail "train the pair"
"$vitals" diff fwd.json rev.json --json -o diff.json || true
grep -q '"tensor_terms"' diff.json || fail "diff: the reversed pair's surface is not compared"
