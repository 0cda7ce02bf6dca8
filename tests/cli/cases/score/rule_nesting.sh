# Regression (issue 9): a rule nested 40,000 parentheses or 75,000 NOTs deep
# crashed score and compare (SIGSEGV in the recursive parser), and 260,000
# chained ANDs crashed the evaluator on a worker thread, leaving a temporary
# file.  Deep nesting is refused in one line naming the rule and the byte;
# a long flat chain scores.
card() { # card KIND N: a scorecard whose rule 2 is deep or long
    awk -v kind="$1" -v n="$2" 'BEGIN {
        printf "{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": [{\"column\": \"nps\", \"better\": \"higher\", \"points\": [{\"at\": 9, \"points\": 100}]}], \"rules\": [{\"when\": \"nps > 1\", \"points\": 1}, {\"when\": \""
        if (kind == "paren") { for (i = 0; i < n; i++) printf "("; printf "nps > 1"; for (i = 0; i < n; i++) printf ")" }
        if (kind == "not") { for (i = 0; i < n; i++) printf "NOT "; printf "nps > 1" }
        if (kind == "and") { printf "nps >= 0"; for (i = 0; i < n; i++) printf " AND nps > -1" }
        printf "\", \"points\": 5}]}\n" }' >"$1.json"
}
"$vitals" generate 300 --seed 3 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
card paren 40000
card not 75000
card and 260000
expect_fail '^vitals: paren\.json:1:[0-9]+: not a valid scorecard: rules\[1\]\.when: nested deeper than 256 levels at character 257 of "\(+"$' \
    "$vitals" score paren.json g.csv -o s.csv
expect_fail '^vitals: not\.json:1:[0-9]+: not a valid scorecard: rules\[1\]\.when: nested deeper than 256 levels at character 1025 of "(NOT )+' \
    "$vitals" score not.json g.csv -o s.csv --threads 2
expect_fail '^vitals: paren\.json:1:[0-9]+: not a valid scorecard: rules\[1\]\.when: nested deeper than 256 levels' "$vitals" compare m.json paren.json g.csv
expect_fail '^vitals: not\.json:1:[0-9]+: not a valid scorecard: rules\[1\]\.when: nested deeper than 256 levels' "$vitals" compare m.json not.json g.csv
no_file s.csv
"$vitals" score and.json g.csv --threads 2 -o s.csv --quiet || fail "score with 260,000 chained ANDs"
leftovers=$(ls | grep -E '\.tmp\.' || true)
[ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
# The chain holds for every row with an nps (a missing one is false), and only then.
paste -d, g.csv s.csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "nps" && !nps) nps = i; if ($i == "rules_fired") rf = i } next }
    { want = $nps != "" && $nps != "NA"; got = $rf ~ /(^|;)2(;|$)/; if (want != got) bad++; n += got }
    END { exit bad > 0 || n == 0 }' || fail "rule 2 (the chain) fired on the wrong rows"
"$vitals" compare m.json and.json g.csv -o c.txt || fail "compare with 260,000 chained ANDs"
