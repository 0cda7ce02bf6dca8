# history scores a smooth model (and one per stage) with the one row
# scorer: every snapshot's health and bucket are predict's, byte for byte,
# and the curves count (the linear model's healths differ).
"$vitals" generate 2000 --months 5 --shape curved --seed 11 -o train.csv 2>/dev/null || fail "generate"
"$vitals" generate 2000 --months 5 --shape curved --seed 12 -o snapshots.csv 2>/dev/null || fail "generate"
smooth=active_user_ratio,days_since_contact,logins_per_seat
for by in "" "--by lifecycle_stage"; do
    # shellcheck disable=SC2086
    "$vitals" train train.csv --churn churned --drop expanded --drop snapshot_date --id account_id --smooth $smooth $by \
        -o model.json --quiet 2>/dev/null || fail "train $by"
    grep -q '"s(logins_per_seat).9"' model.json || fail "not a smooth model"
    "$vitals" history model.json snapshots.csv --date snapshot_date -o history.csv --quiet 2>/dev/null ||
        fail "history $by"
    "$vitals" predict model.json snapshots.csv -o scores.csv --quiet 2>/dev/null || fail "predict $by"
    [ "$(wc -l <history.csv)" -eq "$(wc -l <snapshots.csv)" ] || fail "a history row per snapshot"
    tail -n +2 history.csv | cut -d, -f1,3,4 >h.txt
    tail -n +2 scores.csv | cut -d, -f1,3,4 >p.txt
    cmp -s h.txt p.txt || { diff h.txt p.txt | head -5; fail "history's health and bucket differ from predict's $by"; }
done
"$vitals" train train.csv --churn churned --drop expanded --drop snapshot_date --id account_id -o linear.json --quiet \
    2>/dev/null || fail "train linear"
"$vitals" history linear.json snapshots.csv --date snapshot_date -o linear.csv --quiet 2>/dev/null || fail "history linear"
cut -d, -f3 linear.csv >l.txt
cut -d, -f3 history.csv >s.txt
[ "$(paste -d' ' l.txt s.txt | awk '$1 != $2' | wc -l)" -gt 100 ] || fail "the curves changed no health"
true
