# On generated histories (a model trained on one, scored on another) the
# alerts catch churners ahead of time: the lead-time figures are computed,
# and churners by absence are the labelled churners but the last month's.
"$vitals" generate 3000 --months 8 --seed 11 -o train.csv 2>/dev/null || fail "generate"
"$vitals" generate 3000 --months 8 --seed 12 -o snapshots.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --drop expanded --drop snapshot_date --id account_id \
    --red-share 0.05 --yellow-share 0.15 --quiet -o model.json 2>/dev/null || fail "train"
"$vitals" history model.json snapshots.csv --date snapshot_date -o history.csv --json >label.json 2>summary.txt \
    || fail "history"
"$vitals" history model.json snapshots.csv --date snapshot_date -o absent.csv --churn-by-absence --json \
    >absent.json 2>/dev/null || fail "history --churn-by-absence"
cmp -s history.csv absent.csv || fail "the outcome changed the history rows"
number() { awk -v key="\"$1\":" '$1 == key { gsub(/,/, "", $2); print $2; exit }' "$2"; }
churners=$(number churners label.json)
share=$(number churners_alerted_share label.json)
lead=$(number median_lead_months label.json)
awk -v c="$churners" -v s="$share" -v l="$lead" 'BEGIN { exit !(c > 100 && s > 0.3 && s <= 1 && l >= 0 && l < 8) }' \
    || fail "figures: $churners churners, $share alerted before, median lead $lead"
last=$(awk -F, '$2 == "2024-08-01" && $18 == 1' snapshots.csv | wc -l)
[ "$(number churners absent.json)" -eq $((churners - last)) ] || fail "churners by absence"
grep -q 'median lead' summary.txt || fail "no lead time in the summary"
# The lead says what it measures, and how many were alerted a month ahead.
ahead=$(number churners_alerted_month_ahead label.json)
awk -v a="$ahead" -v c="$churners" -v s="$share" 'BEGIN { exit !(a != "" && a > 0 && a <= c * s + 0.5) }' \
    || fail "a month ahead: $ahead of $churners churners, $share alerted"
grep -q 'alerted before they churned ([0-9.]*% of them a month or more ahead), median lead .* months from the first alert to the last snapshot' summary.txt \
    || fail "lead wording: $(tail -1 summary.txt)"
