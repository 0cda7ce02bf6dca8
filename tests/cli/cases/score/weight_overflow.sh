# Two weights of 1e308 summed to inf and made health NaN, printed as
# -9223372036854775808 (found by fuzz_scorecard, 2026-11-24): a weight is
# at most 1,000,000.
printf 'a,b\n1,2\n' >d.csv
printf '{"format": "vitals-scorecard", "format_version": 1, "name": "w", "measures": [{"column": "a", "better": "higher", "points": [{"at": 1, "points": 100}], "weight": 1e308},\n {"column": "b", "better": "higher", "points": [{"at": 1, "points": 100}], "weight": 1e308}]}\n' >card.json
expect_fail '^vitals: card\.json:1:[0-9]+: not a valid scorecard: measures\[0\]\.weight: expected a number from 0 to 1000000' \
    "$vitals" score card.json d.csv -o s.csv
no_file s.csv
sed 's/1e308/1000000/g' card.json >ok.json
"$vitals" score ok.json d.csv -o s.csv --quiet 2>/dev/null || fail "weights of 1,000,000"
[ "$(tail -n 1 s.csv)" = "2,100,green,100,100," ] || { cat s.csv; fail "expected health 100"; }
