# A level's text reaches the separation message and the notes through the
# term name: it is escaped there too, never sent raw to the terminal.
esc=$(printf '\033')
awk -v esc="$esc" 'BEGIN { print "x,plan,churn"; for (i = 1; i <= 60; i++) print (i % 7) / 3 "," (i % 3 ? "a" : "z" esc "[31mbad") "," (i % 3 ? i % 2 : 1) }' >s.csv
expect_fail "^vitals: s\.csv: churn model: separation \(every row with planz\\\\x1[bB]\[31mbad = 1 has churn 1\)" \
    "$vitals" train s.csv --churn churn -o m.json
if grep -q "$esc" stderr.txt; then fail "a raw escape reached the terminal"; fi
no_file m.json
