# Bad --interact requests: each refused before any fitting, in one line
# "vitals: ...", with a non-zero exit and no model file.
"$vitals" generate 400 --seed 34 -o g.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "a:b", "a", "b:c", "c"; next } { print $0, NR % 7, NR % 5, NR % 3, NR % 4 }' g.csv >w.csv
bad() {
    regex=$1
    shift
    expect_fail "^vitals: .*$regex" "$vitals" train w.csv --churn churned --id account_id --drop expanded -o m.json "$@"
    no_file m.json
}
bad "--interact: no pair named" --interact ''
bad "--interact: 'seats' is not A:B" --interact seats
bad "--interact: no column 'nosuch' in the data" --interact seats:nosuch
bad "--interact: no column 'nosuch' in the data" --interact nosuch:seats
bad "--interact: column 'churned' is the --churn column" --interact seats:churned
bad "--interact: column 'account_id' is the --id column" --interact account_id:seats
bad "--interact: column 'expanded' is the --drop column" --interact seats:expanded
bad "--interact: 'seats' is paired with itself" --interact seats:seats
bad "--interact: 'nps' and 'seats' are paired twice" --interact seats:nps,nps:seats
bad "--interact: a trailing comma" --interact seats:nps,
bad "--interact: 'auto:0': N must be a whole number from 1 to 20" --interact auto:0
bad "--interact: 'auto:x': N must be a whole number from 1 to 20" --interact auto:x
bad "--interact: auto is given twice" --interact auto,auto:2
bad "--interact: 'a:b:c' splits into two features at more than one ':'" --interact a:b:c
bad "--interact: 'nps' is a smooth term" --interact seats:nps --smooth nps
# A name holding ':' splits where both sides are features.
"$vitals" train w.csv --churn churned --id account_id --drop expanded,b:c,c --interact a:b:seats -o m.json --quiet \
    2>/dev/null || fail "a:b:seats"
grep -q '"a:b:seats"' m.json || fail "no term a:b:seats (the pair of 'a:b' and 'seats')"
