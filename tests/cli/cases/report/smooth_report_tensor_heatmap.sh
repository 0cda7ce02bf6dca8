# A ti(A, B) term (--interact A:B of two smooth columns) is one row of the
# smooth table, never another s(A) row, and one heat map: the pair's
# multiplier on the odds over both training ranges in colour steps, with
# contour lines, its colour scale, hatching where its 95% band covers 1,
# the accounts as circles (with --data; the margins' knots without) and a
# sentence naming where the pair raises the odds most.  The surface is the
# scorer's: two rows' difference in the pair's contribution (predict
# --explain) is the log of the ratio of the circles' hover values.
command -v xmllint >/dev/null || fail "xmllint missing (scripts/deps.sh test installs libxml2-utils)"
"$vitals" generate 20000 --shape curved --seed 5 -o c.csv 2>/dev/null || fail "generate"
"$vitals" train c.csv --churn churned --id account_id --drop expanded --quiet -o m.json \
    --smooth open_tickets,unpaid_invoices,usage_trend --interact open_tickets:unpaid_invoices 2>/dev/null ||
    fail "train"
"$vitals" report m.json --data c.csv -o r.html || fail "report"
"$vitals" report m.json -o alone.html || fail "report alone"
xmllint --noout r.html alone.html || fail "not well-formed"
count() { xmllint --xpath "count($1)" "${2:-r.html}"; }
ti="//*[local-name()='svg'][@id='curve-churn-ti-open_tickets-unpaid_invoices']"

# The smooth table: one row for the ti term (both smoothing parameters),
# and open_tickets's own row once (the ti's two entries were two more).
table="//*[local-name()='table'][@id='smooth-churn']"
[ "$(count "$table//*[local-name()='tr'][*[1]='open_tickets']")" -eq 1 ] || fail "open_tickets has more than one row"
[ "$(count "$table//*[local-name()='tr'][*[1]='ti(open_tickets,unpaid_invoices)']")" -eq 1 ] || fail "no ti row"
xmllint --xpath "string($table//*[local-name()='tr'][*[1]='ti(open_tickets,unpaid_invoices)']/*[6])" r.html |
    grep -Eq '^[0-9.e+-]+, [0-9.e+-]+$' || fail "the ti row does not give both smoothing parameters"
# One curve chart per s() column, none drawn for the ti's entries.
[ "$(count "//*[local-name()='svg'][starts-with(@id, 'curve-churn-')]")" -eq 4 ] || fail "not 3 curves and 1 heat map"
[ "$(count "//*[local-name()='path'][*[local-name()='title']='open_tickets: x the churn odds']")" -eq 1 ] ||
    fail "open_tickets drawn more than once"

for f in r.html alone.html; do
    [ "$(count "$ti" $f)" -eq 1 ] || fail "$f: no heat map"
    [ "$(count "$ti//*[local-name()='path'][@class='contour']" $f)" -ge 3 ] || fail "$f: too few contour lines"
    [ "$(count "$ti//*[local-name()='text'][starts-with(., '×')]" $f)" -ge 3 ] || fail "$f: contours not labelled"
    # the colour scale: 13 steps, 1 in the middle
    [ "$(count "$ti//*[local-name()='rect'][contains(*[local-name()='title'], 'the churn odds from the pair')]" $f)" -eq 13 ] ||
        fail "$f: no colour scale"
    [ "$(count "$ti//*[local-name()='pattern'][@id='curve-churn-ti-open_tickets-unpaid_invoices-hatch']" $f)" -eq 1 ] ||
        fail "$f: no hatch pattern"
    [ "$(count "$ti//*[local-name()='path'][@fill='url(#curve-churn-ti-open_tickets-unpaid_invoices-hatch)']" $f)" -eq 1 ] ||
        fail "$f: nothing hatched"
    grep -q '95% band covers 1</text>' $f || fail "$f: the hatching has no legend"
    grep -q 'Heat maps: a ti(A,B) term' $f || fail "$f: the heat map is not explained"
done
# Where the accounts are: circles with data, the knots without.
[ "$(count "$ti//*[local-name()='circle'][contains(*[local-name()='title'], 'accounts at open_tickets')]")" -ge 20 ] ||
    fail "no circles of the accounts"
[ "$(count "$ti//*[local-name()='circle']" alone.html)" -eq 0 ] || fail "alone: circles without data"
[ "$(count "$ti//*[local-name()='line'][starts-with(*[local-name()='title'], 'knot of the pair')]" alone.html)" -eq 9 ] ||
    fail "alone: not the 5 + 4 knots of the margins"

# The reading: the data's interaction is positive (more tickets weigh more
# with unpaid invoices), so the pair raises the odds most where both are
# high; its number is the circle's there.
reading=$(grep -o '<p class="reading">Accounts with open_tickets [0-9]* and unpaid_invoices [0-9]* have [0-9.]* times the churn odds that open_tickets and unpaid_invoices give separately, the most the pair raises them where at least 20 accounts are ([0-9]* accounts there)' r.html) ||
    fail "no reading under the heat map"
set -- $(echo "$reading" | sed 's/.*open_tickets \([0-9]*\) and unpaid_invoices \([0-9]*\) have \([0-9.]*\) times.*(\([0-9]*\) accounts there).*/\1 \2 \3 \4/')
[ "$1" -ge 2 ] && [ "$2" -ge 1 ] || fail "the pair raises the odds most at open_tickets $1, unpaid_invoices $2"
[ "$4" -ge 20 ] || fail "read where $4 accounts are"
hover=$(grep -o "<title>$4 accounts at open_tickets $1, unpaid_invoices $2: x [0-9.e+-]* the churn odds" r.html |
    sed 's/.*: x \([0-9.e+-]*\) the.*/\1/')
[ -n "$hover" ] || fail "no circle at open_tickets $1, unpaid_invoices $2"
[ "$(printf '%.2g' "$hover")" = "$3" ] || fail "the reading's $3 is not the circle's $hover"
grep -q '<p class="reading">Near open_tickets [0-9]* and unpaid_invoices [0-9]* the pair gives [0-9.]* times the churn odds' alone.html ||
    fail "alone: no reading within 2 sd of the means"

# The scorer's surface: predict --explain's contribution of the pair at
# (4, 2) minus at (0, 0) is log(hover(4, 2) / hover(0, 0)).
{ head -1 c.csv; awk -F, '$13 == 4 && $15 == 2 { print; exit }' c.csv; awk -F, '$13 == 0 && $15 == 0 { print; exit }' c.csv; } >two.csv
head -1 c.csv | cut -d, -f13,15 | grep -qx 'open_tickets,unpaid_invoices' || fail "the generator's columns moved"
[ "$(wc -l <two.csv)" -eq 3 ] || fail "no rows at (4, 2) and (0, 0)"
"$vitals" predict m.json two.csv --explain 16 --format jsonl 2>/dev/null >two.jsonl || fail "predict --explain"
effects=$(sed 's/.*"open_tickets x unpaid_invoices","effect":\([0-9.e+-]*\).*/\1/' two.jsonl | tr '\n' ' ')
at() { grep -o "<title>[0-9]* accounts at open_tickets $1, unpaid_invoices $2: x [0-9.e+-]* the" r.html | sed 's/.*: x \([0-9.e+-]*\) the/\1/'; }
awk -v e="$effects" -v a="$(at 4 2)" -v b="$(at 0 0)" 'BEGIN { split(e, x, " "); d = x[1] - x[2] - log(a / b);
    exit !(a > 0 && b > 0 && d < 1e-4 && d > -1e-4) }' || fail "the surface is not the scorer's: effects $effects, hover $(at 4 2) and $(at 0 0)"
true
