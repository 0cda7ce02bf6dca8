# Sourced by the text-rule cases (issue 22): text_rules_fixture N SEED
# writes g.csv, generated data with open_tickets renamed "Customer service
# calls" and two text columns, Geography (with missing cells: empty, NA) and
# plan (one value holding a comma and quotes, as the CSV reader hands it
# back: team, "annual"); card.json, a scorecard measuring the spaced column
# and with six rules on them; want.txt, the rules_fired each row should
# get, worked out here from the values written (the missing Geography:
# = and != false, NOT IN false, NOT ... IN true).
text_rules_fixture() {
    "$vitals" generate "$1" --seed "$2" -o g0.csv 2>/dev/null || fail "generate"
    awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "open_tickets") { $i = "\"Customer service calls\""; t = i } }
                                print $0, "Geography", "plan"; next }
        { split("Germany,France,Spain,,NA", g, ","); geo = g[NR % 5 + 1]; k = NR % 4; missing = geo == "" || geo == "NA"
          plan = k == 0 ? "pro" : k == 1 ? "team" : k == 2 ? "free" : "\"team, \"\"annual\"\"\""
          print $0, geo, plan
          calls = $t
          fired = ""
          if (calls != "" && calls != "NA" && calls + 0 >= 4) fired = fired ";1"
          if (geo == "Germany") fired = fired ";2"
          if (k == 2 || k == 3) fired = fired ";3"
          if (!missing && geo != "France" && (k == 0 || k == 3)) fired = fired ";4"
          if (k == 3) fired = fired ";5"
          if (missing) fired = fired ";6"
          print substr(fired, 2) >"want.txt" }' g0.csv >g.csv
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
}
