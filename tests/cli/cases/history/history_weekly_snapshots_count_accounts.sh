# Weekly snapshots (10 accounts x 4-5 Mondays x 4 months): each month line
# counts the 10 accounts, not the 40-50 snapshots; an account's bucket there
# is its latest snapshot's, it counts once as alerted however many of its
# snapshots alerted, and the shares are over the accounts.  The month lines
# equal (accounts and buckets) those of the monthly file of the latest
# snapshots.  An account labelled churned on its four March snapshots is one
# churner; one labelled on 2024-02-12 only (not on its later February ones)
# none.  An id twice on one date is refused.
train_small
# health by x (plan a): 99 at 0.5, 88 green at 2, 72 at 2.5, 46 yellow at 3, 9 red at 4
awk 'BEGIN {
    print "id,x,plan,snapshot_date,churn"
    split("31 29 31 30", days, " ")
    for (w = 0; w < 18; w++) {
        day = 1 + 7 * w; month = 1
        while (day > days[month]) day -= days[month++]
        for (k = 0; k < 10; k++) {
            if (k == 9 && month == 4) continue
            x = k < 3 ? (w % 2 ? 3 : 2) : k == 3 ? 1 + 0.17 * w : k == 9 ? 2.5 : 0.5
            churn = (k == 9 && month == 3) || (k == 8 && month == 2 && day == 12)
            printf "k%d,%.2f,a,2024-%02d-%02d,%d\n", k, x, month, day, churn
        }
    }
}' >weekly.csv
[ "$(wc -l <weekly.csv)" -eq 176 ] || fail "expected 175 weekly snapshots"
"$vitals" history model.json weekly.csv --date snapshot_date -o history.csv --json >summary.json 2>summary.txt ||
    fail "history failed"
for m in 01:10 02:10 03:10 04:9; do
    grep -q "^vitals: 2024-${m%:*}: ${m#*:} accounts," summary.txt || { cat summary.txt; fail "2024-${m%:*}: not ${m#*:} accounts"; }
done
grep -q '^vitals: 175 snapshots of 10 accounts over 4 months; churners (labelled): 1,' summary.txt ||
    { cat summary.txt; fail "churners not counted once per account"; }
grep -q '^vitals: 2024-03: .*; 1 churners' summary.txt || { cat summary.txt; fail "no churner in March"; }
grep -q '^vitals: 2024-02: .*churners' summary.txt && { cat summary.txt; fail "a churner in February"; }
accounts=$(awk '$1 == "\"accounts\":" { sub(/,/, "", $2); printf "%s ", $2 }' summary.json)
[ "$accounts" = "10 10 10 10 9 " ] || { cat summary.json; fail "JSON accounts (overall, per month): $accounts"; }
# the month lines recomputed from the history rows: per account its latest
# bucket in the month, alerted if any snapshot of the month was
awk -F, 'NR > 1 {
    m = substr($2, 1, 7); key = m SUBSEP $1
    if (!(key in bucket)) n[m]++
    bucket[key] = $4; rows_alerted[m] += $7
    if ($7 == 1 && !(key in alerted)) { alerted[key] = 1; a[m]++ }
    months[m] = 1
} END {
    for (key in bucket) { split(key, p, SUBSEP); count[p[1], bucket[key]]++ }
    for (m in months)
        printf "vitals: %s: %d accounts, %.1f%% green %.1f%% yellow %.1f%% red; %d alerted (%.2f%% %d\n", m, n[m],
            100 * count[m, "green"] / n[m], 100 * count[m, "yellow"] / n[m], 100 * count[m, "red"] / n[m],
            a[m], 100 * a[m] / n[m], rows_alerted[m]
}' history.csv | sort >want.txt
[ "$(wc -l <want.txt)" -eq 4 ] || fail "expected 4 months"
while read -r line; do
    prefix=${line% *}
    grep -qF "$prefix" summary.txt || { cat summary.txt; fail "month line: want $prefix"; }
done <want.txt
# accounts alerted in several weeks of a month count once (the case is meaningful)
awk '{ sub(/^.*; /, ""); alerted = $1; rows = $NF; more += rows > alerted } END { exit more < 3 }' want.txt ||
    { cat want.txt; fail "too few accounts alerted in several weeks"; }
# the monthly file of each account's latest snapshot in each month: the
# same accounts and buckets per month
awk -F, 'NR == 1 { print; next } { m = substr($4, 1, 7); key = m SUBSEP $1; if (!(key in row)) order[++n] = key; row[key] = $0 }
    END { for (i = 1; i <= n; i++) print row[order[i]] }' weekly.csv >monthly.csv
[ "$(wc -l <monthly.csv)" -eq 40 ] || fail "expected 39 monthly snapshots"
"$vitals" history model.json monthly.csv --date snapshot_date -o monthly_history.csv 2>monthly.txt || fail "monthly history"
grep '^vitals: 2024' summary.txt | sed 's/; .*//' >weekly_buckets.txt
grep '^vitals: 2024' monthly.txt | sed 's/; .*//' >monthly_buckets.txt
cmp -s weekly_buckets.txt monthly_buckets.txt ||
    { diff weekly_buckets.txt monthly_buckets.txt; fail "weekly month lines differ from the monthly file's"; }
# the same account twice on one date
printf 'id,x,plan,snapshot_date\nk1,1,a,2024-01-01\nk2,1,a,2024-01-08\nk1,2,a,2024-01-08\nk1,3,a,2024-01-08\n' >dup.csv
expect_fail '^vitals: dup.csv:5:1: id .k1. appears twice on 2024-01-08$' \
    "$vitals" history model.json dup.csv --date snapshot_date -o dup_history.csv
no_file dup_history.csv
