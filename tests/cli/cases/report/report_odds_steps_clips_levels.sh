# The odds-ratio chart reads in steps a column moves and stays readable:
# a numeric column's odds ratio is for +1 SD (the step stated beside it,
# the per-unit one in the hover text, as summary gives it); a mark past
# the 0.001-1000 axis is an arrow at the edge with its value; a column of
# 30 levels shows its 8 largest and counts the rest; missing-cell
# indicators come last under their own title (issue 22).
command -v xmllint >/dev/null || fail "xmllint missing (scripts/deps.sh test installs libxml2-utils)"
# churn rises with age; state s01 churns in all its rows but one (an odds
# ratio past 1000); balance is missing in a tenth of the rows
awk 'BEGIN { srand(5); print "id,state,age,balance,churned"
    for (i = 0; i < 3000; i++) {
        s = int(rand() * 30); age = 20 + rand() * 50; bal = rand() * 1000
        p = 1 / (1 + exp(-(-3 + 0.06 * (age - 45) + 0.02 * s)))
        y = s == 1 ? (seen++ > 0) : rand() < p
        printf "a%d,s%02d,%.1f,%s,%d\n", i, s, age, rand() < 0.1 ? "" : sprintf("%.2f", bal), y } }' >d.csv
"$vitals" train d.csv --churn churned --id id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" summary m.json --json >s.json || fail "summary"
"$vitals" report m.json -o r.html || fail "report"
xmllint --noout r.html || fail "not well-formed"
count() { xmllint --xpath "count($1)" r.html; }
odds="//*[local-name()='svg'][@id='odds-churn']"
# age over +1 SD, the step beside its label; the hover keeps summary's per-unit odds ratio
sd=$(awk -F, 'NR > 1 { n++; s += $3; q += $3 * $3 } END { printf "%.3g", sqrt((q - s * s / n) / (n - 1)) }' d.csv)
grep -q "<text[^>]*>age<tspan class=\"note\"> +1 SD = $sd</tspan>" r.html || fail "age's step (+1 SD = $sd) not stated"
unit=$(awk '/"term":[ \t]*"age"/ { on = 1 } on && /"odds_ratio":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' s.json)
beta=$(awk '/"term":[ \t]*"age"/ { on = 1 } on && /"estimate":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' s.json)
hover=$(grep -o '<title>age: odds ratio [^<]*' r.html | head -1)
want=$(awk -v u="$unit" -v b="$beta" -v sd="$(awk -F, 'NR > 1 { n++; s += $3; q += $3 * $3 } END { printf "%.17g", sqrt((q - s * s / n) / (n - 1)) }' d.csv)" \
    'BEGIN { printf "%.6g per unit; %.4g", u, exp(b * sd) }')
case "$hover" in
    "<title>age: odds ratio ${want%;*}; "*) ;;
    *) fail "age's hover: want '$want', got '$hover'" ;;
esac
got=$(printf '%s' "$hover" | sed 's/.*per unit; \([^ ]*\) for.*/\1/')
awk -v a="$got" -v b="${want#*; }" 'BEGIN { exit !(a / b > 0.999 && a / b < 1.001) }' || fail "age per SD: $got, want ${want#*; }"
# s01 is an arrow at the axis' right edge with its value, no dot
[ "$(count "$odds//*[local-name()='path'][@class='beyond'][starts-with(*[local-name()='title'], 'states01: odds ratio 1368.22 ')][contains(*[local-name()='title'], 'beyond the axis, to the right')]")" = 1 ] ||
    fail "no arrow for the odds ratios beyond the axis"
[ "$(count "$odds//*[local-name()='circle'][contains(*[local-name()='title'], 'beyond the axis')]")" = 0 ] ||
    fail "a point beyond the axis drawn as a dot"
grep -q '>1.37e+03</text>' r.html || fail "the value beyond the axis is not written beside its arrow"
# 30 levels: the 8 largest, then the rest counted (29 terms but the baseline)
grep -q '>and 21 more levels: vitals summary<' r.html || fail "long column not collapsed"
[ "$(count "$odds//*[local-name()='circle']")" -le 12 ] || fail "too many marks: $(count "$odds//*[local-name()='circle']")"
# balance_missing after everything else, under its own title
last=$(grep -o '<text x="[0-9.]*" y="[0-9.]*"[^>]*>[^<]*' r.html | sed -n '/Missing cells/,$p' | sed 's/.*>//' | head -2 | tr '\n' '|')
[ "$last" = "Missing cells (against a filled cell)|balance_missing|" ] || fail "missing indicators not last: '$last'"
