# Issue 22: rules name any column in double quotes and compare text columns
# with =, != and [NOT] IN; measures name any column (their JSON string is
# the name).  The fixture: tests/data/text_rules_fixture.sh.
. "$fixtures/text_rules_fixture.sh"
text_rules_fixture 2000 22
"$vitals" score card.json g.csv --id account_id --threads 1 -o s1.csv --quiet || fail "score --threads 1"
"$vitals" score card.json g.csv --id account_id --threads 2 -o s2.csv --quiet || fail "score --threads 2"
cmp -s s1.csv s2.csv || fail "scores depend on the thread count"
head -1 s1.csv | grep -q '^account_id,health,bucket,points_Customer service calls,points_active_user_ratio,rules_fired$' ||
    fail "header: $(head -1 s1.csv)"
# The rules fire where the fixture says, and rule 1 forces red.
[ "$(tail -n +2 s1.csv | cut -d, -f6 | cmp - want.txt && echo same)" = same ] || fail "rules fired on the wrong rows"
for r in 1 2 3 4 5 6; do grep -Eq "(^|;)$r(;|$)" want.txt || fail "rule $r never fires in the fixture"; done
awk -F, 'NR > 1 && $6 ~ /(^|;)1(;|$)/ && $3 != "red" { bad++ } END { exit bad > 0 }' s1.csv || fail "rule 1 did not force red"
# From stdin: the same scores.
"$vitals" score card.json - --id account_id <g.csv >stdin.csv 2>/dev/null || fail "score from stdin"
cmp -s s1.csv stdin.csv || fail "stdin differs"

# Errors: one line, the rule and the character, no output.
bad() { # bad NAME WHEN: card.json with rule 1 = WHEN
    sed "s|\"when\": \"Geography = 'Germany'\"|\"when\": \"$2\"|" card.json >"$1.json"
}
bad unterminated "\\\\\"Customer service calls >= 4"
expect_fail "^vitals: unterminated\.json:[0-9]+:[0-9]+: not a valid scorecard: rules\[1\]\.when: unterminated column name \(no closing \"\) at character 1 of" \
    "$vitals" score unterminated.json g.csv -o s.csv
bad empty "plan IN ()"
expect_fail "rules\[1\]\.when: empty IN list at character 9 of" "$vitals" score empty.json g.csv -o s.csv
bad greater "Geography > 'France'"
expect_fail "rules\[1\]\.when: text compares only with =, != or IN, not with > at character 13 of" "$vitals" score greater.json g.csv -o s.csv
bad backquote "\`Customer service calls\` >= 4"
expect_fail "rules\[1\]\.when: backquotes do not quote a column name here; use double quotes" "$vitals" score backquote.json g.csv -o s.csv
# A measure's column compared as text: refused at load, naming both uses.
bad both "active_user_ratio = 'high'"
expect_fail "^vitals: both\.json:[0-9]+:[0-9]+: not a valid scorecard: rules\[1\]\.when: column 'active_user_ratio' is compared with text at character 1 but read as a number by a measure" \
    "$vitals" score both.json g.csv -o s.csv
bad rules "Geography != 'x'"
sed -i 's|"plan = '"'"'team, \\"annual\\"'"'"'"|"plan > 1"|' rules.json
expect_fail "rules\[4\]\.when: column 'plan' is compared with a number at character 1 but read as text by rules\[2\]" "$vitals" score rules.json g.csv -o s.csv
# A numeric comparison on a text cell is an error at that cell, as before.
cat >number.json <<'CARD'
{"format": "vitals-scorecard", "format_version": 1,
 "measures": [{"column": "active_user_ratio", "better": "higher", "points": [{"at": 0.8, "points": 100}]}],
 "rules": [{"when": "Geography >= 1", "points": 1}]}
CARD
expect_fail "^vitals: g\.csv:2:[0-9]+: column 'Geography': 'Spain' is not a number" "$vitals" score number.json g.csv -o s.csv
no_file s.csv

# Hostile input.  A NUL (\u0000) or a byte that is not UTF-8 never reaches
# a rule: the JSON reader refuses them.
printf '%s\n' '{"format": "vitals-scorecard", "format_version": 1, "measures": [{"column": "nps", "better": "higher", "points": [{"at": 9, "points": 100}]}], "rules": [{"when": "plan = '"'a\\u0000b'"'", "points": 1}]}' >nul.json
expect_fail "^vitals: nul\.json:[0-9]+:[0-9]+: a NUL character" "$vitals" score nul.json g.csv -o s.csv
# Cells that are not UTF-8 are compared byte for byte, without error.
printf 'plan,nps\n\377pro,9\npro,9\n\303(,9\n' >raw.csv
cat >raw.json <<'CARD'
{"format": "vitals-scorecard", "format_version": 1,
 "measures": [{"column": "nps", "better": "higher", "points": [{"at": 9, "points": 100}]}],
 "rules": [{"when": "plan IN ('pro')", "points": -50}, {"when": "plan != 'pro'", "points": -10}]}
CARD
"$vitals" score raw.json raw.csv -o raw_s.csv --quiet || fail "non-UTF-8 cells"
[ "$(cut -d, -f2,5 raw_s.csv | tr '\n' ' ')" = "health,rules_fired 90,2 50,1 90,2 " ] || fail "non-UTF-8 cells: $(cat raw_s.csv)"
# A 100,000-value IN list loads and scores (found by hash), the same at 1
# and 2 threads; text rules nest no deeper than numeric ones.
awk 'BEGIN { printf "{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": [{\"column\": \"nps\", \"better\": \"higher\", \"points\": [{\"at\": 9, \"points\": 100}]}], \"rules\": [{\"when\": \"plan NOT IN ("
             for (i = 0; i < 100000; i++) printf "%s'"'"'p%d'"'"'", i ? ", " : "", i
             printf ", '"'"'free'"'"')\", \"points\": -5}]}\n" }' >long.json
"$vitals" score long.json g.csv --threads 1 -o l1.csv --quiet || fail "a long IN list"
"$vitals" score long.json g.csv --threads 2 -o l2.csv --quiet || fail "a long IN list, 2 threads"
cmp -s l1.csv l2.csv || fail "a long IN list depends on the thread count"
[ "$(grep -c ',1$' l1.csv)" -eq 1500 ] || fail "plan NOT IN (... 'free') fired on $(grep -c ',1$' l1.csv) rows, not the 1500 whose plan is not free"
awk 'BEGIN { printf "{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": [{\"column\": \"nps\", \"better\": \"higher\", \"points\": [{\"at\": 9, \"points\": 100}]}], \"rules\": [{\"when\": \""
             for (i = 0; i < 5000; i++) printf "("; printf "plan IN ('"'"'x'"'"')"; for (i = 0; i < 5000; i++) printf ")"
             printf "\", \"points\": 1}]}\n" }' >deep.json
expect_fail "^vitals: deep\.json:1:[0-9]+: not a valid scorecard: rules\[0\]\.when: nested deeper than 256 levels at character 257" \
    "$vitals" score deep.json g.csv -o s.csv
no_file s.csv
