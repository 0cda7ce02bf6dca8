# --months 3 --shape curved: monthly snapshots as with the linear shape
# (every account in month 1, then once a month until it churns), the same
# bytes on a second run, other labels than the linear shape's, and a truth
# with the curves centred over every row written.
"$vitals" generate 600 --months 3 --shape curved --seed 29 -o m.csv 2>/dev/null || fail "generate --months 3 --shape curved"
"$vitals" generate 600 --months 3 --shape curved --seed 29 -o again.csv 2>/dev/null || fail "generate again"
cmp -s m.csv again.csv || fail "same seed, different bytes"
cmp -s m.csv.truth.json again.csv.truth.json || fail "same seed, different truth"
"$vitals" generate 600 --months 3 --seed 29 -o linear.csv 2>/dev/null || fail "generate --months 3"
! cmp -s m.csv linear.csv || fail "curved and linear months are the same"
head -1 m.csv | grep -q '^account_id,snapshot_date,segment,' || fail "header"
[ "$(grep -c ',2024-01-01,' m.csv)" -eq 600 ] || fail "not every account in month 1"
[ "$(cut -d, -f2 m.csv | tail -n +2 | sort -u | tr '\n' ' ')" = "2024-01-01 2024-02-01 2024-03-01 " ] || fail "months"
awk -F, 'NR > 1 {
    month = substr($2, 6, 2) + 0
    if ($1 in last && month != last[$1] + 1) { print "gap or repeat: " $1; bad = 1 }
    if (gone[$1]) { print "back after churning: " $1; bad = 1 }
    last[$1] = month
    if ($18 == 1) gone[$1] = 1
    churned += $18
} END { if (churned < 10) { print "too few churners: " churned; bad = 1 }; exit bad }' m.csv || fail "account histories"
rows=$(($(wc -l <m.csv) - 1))
grep -q "\"rows\":[[:space:]]*$rows," m.csv.truth.json || fail "truth rows are not the $rows written"
grep -q '"shape":[[:space:]]*"curved"' m.csv.truth.json || fail "the truth does not say curved"
[ "$(grep -c '"x":[[:space:]]*\[' m.csv.truth.json)" -eq 3 ] || fail "the truth does not have three grids"
# days_since_contact (column 17 here) is centred over all the rows of all months.
mean=$(sed -n '/"days_since_contact":[[:space:]]*{/,/}/p' m.csv.truth.json | awk -F'\t' '/"mean_removed":/ { print $NF }' | tr -d ,)
tail -n +2 m.csv | cut -d, -f17 | awk -v mean="$mean" '{ l = log(($1 + 10) / 40); sum += 1.75 * l * l }
    END { if ((sum / NR - mean)^2 > 1e-18) { print "mean " sum / NR " not " mean; exit 1 } }' \
    || fail "days_since_contact is not centred over every month's rows"
"$vitals" generate 600 --months 3 --shape curved --seed 29 --set churn:active_user_ratio=1 -o bad.csv 2>/dev/null \
    && fail "--set of a curve accepted with --months"
no_file bad.csv
