# A row whose finite values overflow the log-odds to inf - inf is refused
# with its line, never written with a meaningless health (found 2026-11-24).
. "${case_file%/cases/*}/edit_json.sh"
printf 'id,a,b,churn\n1,1,1,0\n2,2,1,1\n3,3,2,0\n4,1,3,1\n5,2,2,0\n6,3,3,1\n7,1,2,1\n8,2,3,0\n' >t.csv
"$vitals" train t.csv --churn churn --id id -o model.json --quiet 2>/dev/null || fail "train"
set_field estimate 10 a.json 2            # term a: +10
set_field estimate 10 big.json 3 a.json   # term b: +10
printf 'id,a,b\n1,1,1\n2,1e308,-1e308\n' >big.csv
expect_fail '^vitals: big\.csv:3: the churn score overflows: a value in this row is too large for the model$' \
    "$vitals" predict big.json big.csv -o s.csv
no_file s.csv
printf 'id,a,b\n1,1,1\n2,1e308,1e308\n' >huge.csv   # +inf alone: a risk of 1, health 0
"$vitals" predict big.json huge.csv -o s.csv --quiet || fail "an infinite log-odds is a certain score"
[ "$(tail -n 1 s.csv)" = "2,1,0,red" ] || { cat s.csv; fail "expected 2,1,0,red"; }
