# K = 3 is accepted (the help: K >= 3; mgcv's cr basis allows k = 3) and a
# column of many distinct values named as COL:3 must become a smooth with
# k = 3, not be "kept linear" under a note claiming it has 3 distinct
# values (found 2026-12-03: the distinct count stops at K, so every K = 3
# request reads as 3 values and stays linear).
"$vitals" generate 600 --shape curved --seed 38 -o g.csv 2>/dev/null || fail "generate"
distinct=$(tail -n +2 g.csv | cut -d, -f16 | sort -u | wc -l)
[ "$distinct" -gt 50 ] || fail "days_since_contact has only $distinct values"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --smooth days_since_contact:3 --quiet \
    -o m.json 2>err.txt || { cat err.txt; fail "--smooth days_since_contact:3"; }
grep -q 'kept linear' err.txt && fail "a column of $distinct values kept linear: $(grep 'kept linear' err.txt)"
grep -q '"smooth":' m.json || fail "no smooth term for days_since_contact:3"
grep -q '"k":[[:space:]]*3' m.json || fail "k = 3 not stored"
"$vitals" train g.csv --churn churned --id account_id --drop expanded --smooth days_since_contact:3 \
    --sp days_since_contact=10 --quiet -o sp.json 2>err.txt || { cat err.txt; fail "--sp on a K = 3 smooth"; }
