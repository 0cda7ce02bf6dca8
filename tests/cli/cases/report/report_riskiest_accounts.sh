# With --data, the report lists the riskiest accounts: id, health, bucket
# and risk as predict writes them, and the top drivers predict --explain 3
# names, in the same order; the table does not depend on the thread count
# or the block a row falls in (issue 22).
"$vitals" generate 6000 --seed 61 -o a.csv 2>/dev/null || fail "generate"
"$vitals" generate 3000 --seed 62 -o b.csv 2>/dev/null || fail "generate b"
"$vitals" train a.csv --churn churned --expansion expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" report m.json --data b.csv --threads 1 -o r1.html || fail "report"
"$vitals" report m.json --data b.csv --threads 2 -o r2.html || fail "report --threads 2"
cmp -s r1.html r2.html || fail "the page depends on the thread count"
"$vitals" predict m.json b.csv --explain 3 --quiet -o p.csv || fail "predict"
# predict's 20 riskiest (ties: the earlier row), as the table's first columns and driver names
want=$(awk -F, 'NR > 1 { printf "%.17g,%09d,%s,%d,%s,%.1f%%,%s,%s,%s\n", $2, NR, $1, $4, $5, 100 * $2, $6, $8, $10 }' p.csv |
    sort -t, -k1,1gr -k2,2n | head -20 | cut -d, -f3-)
got=$(sed -n '/<table id="riskiest">/,/<\/table>/p' r1.html | grep '^<tr><td>' |
    sed 's|<tr><td>\([^<]*\)</td><td>\([^<]*\)</td><td>\([^<]*\)</td><td>\([^<]*\)</td><td class="drivers">\(.*\)</td></tr>|\1,\2,\3,\4,\5|' |
    awk -F, '{ n = split($5, d, "; "); printf "%s,%s,%s,%s", $1, $2, $3, $4
               for (i = 1; i <= 3; i++) { split(d[i], w, " "); printf ",%s", w[1] } print "" }')
[ "$got" = "$want" ] || fail "riskiest accounts differ from predict's:
want:
$want
got:
$got"
grep -q '<h2 id="accounts">Accounts to call first</h2>' r1.html || fail "no heading"
# in words: the account's value and what it does to the odds
sed -n '/<table id="riskiest">/,/<\/table>/p' r1.html | grep -q '<td class="drivers">[a-z_]* [-0-9.]* raises the odds &#215;[0-9.]*;' ||
    fail "drivers not in words"
# without data the section says what would fill it
"$vitals" report m.json -o n.html || fail "report without data"
grep -q 'Left out: --data ACCOUNTS.csv would list the riskiest accounts' n.html || fail "no missing line"
