# An account losing 6 health points a month is alerted as falling at its
# second snapshot (velocity -6 < -5), a steady one never; with
# --alert-velocity 7 the same decline is not "falling".  Month-end dates
# (a leap February among them) count as whole months.
train_small
awk 'BEGIN { print "id,x,plan"; for (i = 0; i <= 20000; i++) printf "%d,%.3f,a\n", i, -10 + i * 0.001 }' >grid.csv
"$vitals" predict model.json grid.csv -o grid_scores.csv --quiet || fail "scoring the grid"
# the x of the first grid row with each health
x_of() { awk -F, -v h="$1" 'NR > 1 && $3 == h { printf "%.3f", -10 + $1 * 0.001; exit }' grid_scores.csv; }
{
    echo "snapshot_date,id,x,plan"
    month=0
    for date in 2024-01-31 2024-02-29 2024-03-31 2024-04-30; do
        echo "$date,D,$(x_of $((96 - 6 * month))),a"
        echo "$date,S,$(x_of 96),a"
        month=$((month + 1))
    done
} >snapshots.csv
"$vitals" history model.json snapshots.csv --date snapshot_date -o history.csv 2>summary.txt || fail "history failed"
awk -F, '$1 == "D"' history.csv | cut -d, -f3 | tr '\n' ' ' | grep -qx '96 90 84 78 ' || { cat history.csv; fail "constructed healths"; }
first_falling=$(awk -F, '$1 == "D" && $8 ~ /falling/ { print $2; exit }' history.csv)
[ "$first_falling" = 2024-02-29 ] || { cat history.csv; fail "first falling alert on '$first_falling', not 2024-02-29"; }
awk -F, '$1 == "D" && $2 == "2024-01-31" && $7 != 0 { exit 1 }' history.csv || fail "alert at the first snapshot"
awk -F, '$1 == "D" && $2 != "2024-01-31" && ($5 != -6 || $6 != -6) { exit 1 }' history.csv || { cat history.csv; fail "change or velocity not -6"; }
awk -F, '$1 == "S" && $7 != 0 { exit 1 }' history.csv || fail "the steady account was alerted"
grep -q '^vitals: 2024-02: 2 accounts' summary.txt || { cat summary.txt; fail "no month summary"; }
"$vitals" history model.json snapshots.csv --date snapshot_date --alert-velocity 7 -o slow.csv 2>/dev/null || fail "history failed"
! grep -q falling slow.csv || fail "falling at 6 points a month with --alert-velocity 7"
