# A column that is another times a rate (a telecom's "charge" and
# "minutes") is named with its partner in one note, with the remedy; the
# generated accounts, whose columns are not so tied, get no such note.
awk 'BEGIN {
    srand(7); print "id,eve_minutes,eve_charge,day_minutes,service_calls,churn"
    for (i = 1; i <= 3000; i++) {
        eve = 50 + 300 * rand(); day = 50 + 300 * rand(); calls = int(9 * rand())
        eta = -3 + 0.6 * calls + 0.004 * day
        printf "%d,%.1f,%.2f,%.1f,%d,%d\n", i, eve, eve * 0.085, day, calls, rand() < 1 / (1 + exp(-eta))
    }
}' >tel.csv
"$vitals" train tel.csv --churn churn --id id -o tel.json --quiet 2>err.txt || { cat err.txt; fail "train"; }
[ "$(grep -c 'nearly collinear' err.txt)" -eq 1 ] || { cat err.txt; fail "one group expected"; }
grep -q "^vitals: note: churn model: 'eve_minutes' and 'eve_charge' are nearly collinear (condition index [0-9.e+]* > 30): .* not identified.*; leave one out (--drop eve_charge) or add --l2$" err.txt \
    || { cat err.txt; fail "the note"; }
"$vitals" train tel.csv --churn churn --id id --drop eve_charge -o d.json --quiet 2>err.txt || fail "train without one"
! grep -q 'collinear' err.txt || fail "a note after the remedy"
"$vitals" generate 4000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o g.json --quiet 2>err.txt || fail "train generated"
! grep -q 'collinear' err.txt || { cat err.txt; fail "a note on columns that are not collinear"; }
