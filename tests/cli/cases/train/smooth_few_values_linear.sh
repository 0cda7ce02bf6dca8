# A numeric column with fewer than 4 distinct values cannot carry a cubic
# spline: under --smooth auto it stays linear and stderr says so, naming it
# with its count; named explicitly it also stays linear with the same note
# (the help: "fewer than 4: linear"); a column of one value named
# explicitly is an error, as is --sp on a column kept linear.
"$vitals" generate 600 --shape curved --seed 35 -o g.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = ","; srand(35) }
    NR == 1 { print $0, "two", "three", "four"; next }
    { print $0, int(rand() * 2), int(rand() * 3) * 5, int(rand() * 4) }' g.csv >f.csv
few=mrr,tenure_months,feature_a_adoption,feature_b_adoption,feature_c_adoption,open_tickets,nps,seats,unpaid_invoices
"$vitals" train f.csv --churn churned --id account_id --drop "expanded,$few" --smooth auto -o auto.json \
    >auto.out 2>auto.err || { cat auto.err; fail "--smooth auto"; }
grep -q "kept linear.*two (2 distinct values)" auto.err || { cat auto.err; fail "no note that 'two' stays linear"; }
grep -q "kept linear.*three (3 distinct values)" auto.err || { cat auto.err; fail "no note that 'three' stays linear"; }
grep -q "four" auto.err && { cat auto.err; fail "'four' (4 values) is smooth, not linear"; }
# In the model: two and three are plain numeric features, four is smooth (K = 4).
grep -q '^s(four)' auto.out || fail "no s(four) in the smooth table"
grep -q '^s(two)\|^s(three)' auto.out && fail "a column of 2 or 3 values was made smooth"
awk '/"name":/ { name = $0 } /"smooth":/ { print name }' auto.json >smooth_names.txt
grep -q '"four"' smooth_names.txt || fail "four not stored as smooth"
grep -q '"two"\|"three"' smooth_names.txt && fail "two or three stored as smooth"
# The note is no coefficient table: --quiet keeps it.
"$vitals" train f.csv --churn churned --id account_id --drop "expanded,$few" --smooth auto --quiet -o q.json \
    2>q.err >q.out || fail "--smooth auto --quiet"
grep -q "kept linear.*two (2 distinct values)" q.err || fail "--quiet drops the note"
# Named explicitly, even with K = 3: linear, with the note.
"$vitals" train f.csv --churn churned --id account_id --drop "expanded,$few" --smooth three:3,days_since_contact \
    --quiet -o named.json 2>named.err || { cat named.err; fail "--smooth three:3"; }
grep -q "kept linear.*three (3 distinct values)" named.err || { cat named.err; fail "no note for three:3"; }
awk '/"name":/ { name = $0 } /"smooth":/ { print name }' named.json | grep -q '"three"' && fail "three stored as smooth"
# --sp on a column that stays linear, and one value named: errors.
expect_fail "^vitals: .*--sp: column 'two' stays linear \(2 distinct values\)" \
    "$vitals" train f.csv --churn churned --id account_id --drop "expanded,$few" --smooth auto --sp two=1 -o x.json
no_file x.json
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "one"; next } { print $0, 3 }' f.csv >one.csv
expect_fail "^vitals: .*--smooth: column 'one' has a single value" \
    "$vitals" train one.csv --churn churned --id account_id --drop "expanded,$few" --smooth one -o x.json
no_file x.json
# Under auto a constant column is no error: dropped as constant, as in a linear fit.
"$vitals" train one.csv --churn churned --id account_id --drop "expanded,$few" --smooth auto --quiet -o c.json \
    2>c.err || { cat c.err; fail "--smooth auto with a constant column"; }
