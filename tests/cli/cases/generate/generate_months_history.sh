# --months K: month-by-month snapshots in date order; every account starts
# in month 1, appears once a month until it churns, and is absent after
# the month it churned in; --months 1 is the plain file, byte for byte.
"$vitals" generate 400 --months 6 --seed 21 -o h.csv 2>/dev/null || fail "generate --months"
head -1 h.csv | grep -q '^account_id,snapshot_date,segment,' || fail "header"
cut -d, -f2 h.csv | tail -n +2 | sort -c 2>/dev/null || fail "dates out of order"
[ "$(grep -c ',2024-01-01,' h.csv)" -eq 400 ] || fail "not every account in month 1"
[ "$(cut -d, -f2 h.csv | tail -n +2 | sort -u | tr '\n' ' ')" = "2024-01-01 2024-02-01 2024-03-01 2024-04-01 2024-05-01 2024-06-01 " ] \
    || fail "months"
awk -F, 'NR > 1 {
    month = substr($2, 6, 2) + 0
    if ($1 in last && month != last[$1] + 1) { print "gap or repeat: " $1; bad = 1 }
    if (gone[$1]) { print "back after churning: " $1; bad = 1 }
    last[$1] = month
    if ($18 == 1) gone[$1] = 1
    churned += $18
} END { if (churned < 20) { print "too few churners: " churned; bad = 1 }; exit bad }' h.csv || fail "account histories"
rows=$(($(wc -l <h.csv) - 1))
grep -q "\"rows\":[[:space:]]*$rows," h.csv.truth.json || fail "truth rows are not the $rows written"
"$vitals" generate 400 --seed 21 -o plain.csv 2>/dev/null || fail "generate"
"$vitals" generate 400 --months 1 --seed 21 -o one.csv 2>/dev/null || fail "generate --months 1"
cmp -s plain.csv one.csv || fail "--months 1 differs from the plain file"
expect_fail 'months' "$vitals" generate 10 --months 0 -o bad.csv
no_file bad.csv
