# Issue 22: rules name any column in double quotes and compare text columns
# with =, != and [NOT] IN; measures name any column (their JSON string is
# the name).  The fixture renames open_tickets to "Customer service calls"
# and adds Geography (with missing cells) and plan (one value holding a
# comma and a quote, as the CSV reader hands it).
"$vitals" generate 2000 --seed 22 -o g0.csv 2>/dev/null || fail "generate"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "open_tickets") $i = "\"Customer service calls\""
                            print $0, "Geography", "plan"; next }
    { split("Germany,France,Spain,,NA", g, ","); n = NR % 5 + 1
      p = NR % 4 == 0 ? "pro" : NR % 4 == 1 ? "team" : NR % 4 == 2 ? "free" : "\"team, \"\"annual\"\"\""
      print $0, g[n], p }' g0.csv >g.csv
cat >card.json <<'CARD'
{"format": "vitals-scorecard", "format_version": 1, "name": "text rules",
 "measures": [
   {"column": "Customer service calls", "better": "lower", "points": [{"at": 1, "points": 100}, {"at": 3, "points": 50}]},
   {"column": "active_user_ratio", "better": "higher", "points": [{"at": 0.8, "points": 100}, {"at": 0.5, "points": 50}]}],
 "rules": [
   {"when": "\"Customer service calls\" >= 4", "bucket": "red"},
   {"when": "Geography = 'Germany'", "points": -10},
   {"when": "plan NOT IN ('pro', 'team')", "points": -5},
   {"when": "\"Geography\" != 'France' AND plan IN ('pro', 'team, \"annual\"')", "points": 3},
   {"when": "plan = 'team, \"annual\"'", "points": 1},
   {"when": "NOT Geography IN ('Germany', 'France', 'Spain')", "points": 2}
 ]}
CARD
"$vitals" score card.json g.csv --id account_id --threads 1 -o s1.csv --quiet || fail "score --threads 1"
"$vitals" score card.json g.csv --id account_id --threads 2 -o s2.csv --quiet || fail "score --threads 2"
cmp -s s1.csv s2.csv || fail "scores depend on the thread count"
head -1 s1.csv | grep -q '^account_id,health,bucket,points_Customer service calls,points_active_user_ratio,rules_fired$' ||
    fail "header: $(head -1 s1.csv)"
# The rules fire where an independent reading of the cells says (a missing
# Geography: = and != false, NOT IN (...) false, NOT ... IN true).
python3 - g.csv s1.csv <<'PY' || fail "rules fired on the wrong rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
scored = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(rows) == len(scored) == 2000
seen = [0] * 6
for row, out in zip(rows, scored):
    calls, geo, plan = row["Customer service calls"], row["Geography"], row["plan"]
    missing = geo in ("", "NA")
    want = [calls not in ("", "NA") and float(calls) >= 4,
            not missing and geo == "Germany",
            plan not in ("pro", "team"),
            not missing and geo != "France" and plan in ("pro", 'team, "annual"'),
            plan == 'team, "annual"',
            missing]
    got = [str(r + 1) in out["rules_fired"].split(";") for r in range(6)]
    if want != got:
        sys.exit(f"{row['account_id']}: {geo!r} {plan!r}: want {want} got {got}")
    seen = [s + w for s, w in zip(seen, want)]
    if want[0]:
        assert out["bucket"] == "red", out
assert all(seen), seen
PY
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
