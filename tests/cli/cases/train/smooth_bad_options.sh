# Bad --smooth / --sp requests: each is refused before any fitting, in one
# line "vitals: ...", with a non-zero exit and no model file (nor temporary).
"$vitals" generate 400 --shape curved --seed 34 -o g.csv 2>/dev/null || fail "generate"
# A weight column (1..3) and a constant numeric column.
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "wt", "flat"; next } { print $0, NR % 3 + 1, 7 }' g.csv >w.csv
bad() {
    regex=$1
    shift
    expect_fail "^vitals: .*$regex" "$vitals" train w.csv --churn churned --id account_id --drop expanded -o m.json "$@"
    no_file m.json
}
# Columns that cannot be smooth.
bad "--smooth: column 'segment' is (text|categorical)" --smooth segment
bad "--smooth: no column 'nosuch'" --smooth nosuch
bad "--smooth: column 'churned' is the --churn column" --smooth churned
bad "--smooth: column 'account_id' is the --id column" --smooth account_id
bad "--smooth: column 'wt' is the --weight column" --smooth wt --weight wt
bad "--smooth: column 'expanded' is the --drop column" --smooth expanded
bad "--smooth: column 'flat' has a single value" --smooth flat
bad "--smooth: column 'seats' is named twice" --smooth seats,seats
bad "--smooth: column 'seats' is named twice" --smooth seats:5,mrr,seats:6
# K.
bad "--smooth: 'seats:2': K must be 3 to [0-9]+" --smooth seats:2
bad "--smooth: 'seats:0': K must be 3 to [0-9]+" --smooth seats:0
bad "--smooth: 'seats:100000': K must be 3 to [0-9]+" --smooth seats:100000
bad "--smooth: 'seats:abc': K must be a whole number" --smooth seats:abc
bad "--smooth: 'seats:-4': K must be a whole number" --smooth seats:-4
bad "--smooth: a trailing comma" --smooth seats,
bad "--smooth: an empty column name" --smooth ,seats
# --sp.
bad "--sp .*give --smooth too" --sp seats=1
bad "--sp: column 'mrr' is not in --smooth" --smooth seats --sp mrr=1
bad "--sp: 'seats=0': the value must be a number above 0" --smooth seats --sp seats=0
bad "--sp: 'seats=-1': the value must be a number above 0" --smooth seats --sp seats=-1
bad "--sp: 'seats=abc': the value must be a number above 0" --smooth seats --sp seats=abc
bad "--sp: 'seats=inf': the value must be a number above 0" --smooth seats --sp seats=inf
bad "--sp: 'seats=nan': the value must be a number above 0" --smooth seats --sp seats=nan
bad "--sp: 'seats' is not COL=VALUE" --smooth seats --sp seats
bad "--sp: column 'seats' is named twice" --smooth seats --sp seats=1,seats=2
bad "--sp: column 'nosuch'|no column 'nosuch'" --smooth auto --sp nosuch=1
# Other penalties, and streaming.
bad "--smooth cannot be combined with --firth" --smooth seats --firth
bad "--smooth cannot be combined with --l2" --smooth seats --l2 0.1
bad "--smooth cannot be combined with --l2" --smooth seats --l2 cv
bad "--smooth needs the table in memory" --smooth seats --memory-limit 1K
bad "--smooth needs the table in memory" --smooth auto --memory-limit 1K
# The same request without the conflict trains (the refusals above are the
# options', not the data's).
"$vitals" train w.csv --churn churned --id account_id --drop expanded --smooth seats:5 --sp seats=2 --weight wt \
    --quiet -o ok.json 2>/dev/null || fail "a good --smooth/--sp request failed"
grep -q '"k":[[:space:]]*5' ok.json || fail "K = 5 not stored"
