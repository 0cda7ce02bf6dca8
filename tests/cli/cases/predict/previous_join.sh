"$vitals" generate 2000 --seed 9 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --id account_id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" predict m.json g.csv -o now.csv --quiet || fail "predict"
# Last run: the first 10 accounts gone from it, 5 accounts that no longer exist,
# A00000011 was green with health 100 (now lower: alert), the rest as now.
{ head -1 now.csv; tail -n +12 now.csv | awk -F, 'BEGIN { OFS = "," } $1 == "A00000011" { $3 = 100; $4 = "green" } { print }'
  for i in 1 2 3 4 5; do echo "GONE$i,0.1,90,green"; done; } >old.csv
"$vitals" predict m.json g.csv --previous old.csv -o trend.csv 2>err.txt || { cat err.txt; fail "predict --previous"; }
grep -q '10 new ids, 5 ids no longer present' err.txt || { cat err.txt; fail "missing ids not counted"; }
head -1 trend.csv | grep -q ',previous_bucket,health_change,alert$' || fail "trend header"
grep -q '^A00000001,[^,]*,[0-9]*,[a-z]*,,,0$' trend.csv || fail "a new id has empty trend columns"
# A00000011 now has health 85: a drop of exactly 15 is not more than 15 ...
grep -q '^A00000011,[^,]*,85,green,green,-15,0$' trend.csv || fail "A00000011: $(grep '^A00000011,' trend.csv)"
# ... but more than 10.
"$vitals" predict m.json g.csv --previous old.csv --alert-drop 10 -o trend10.csv --quiet || fail "--alert-drop 10"
grep -q '^A00000011,[^,]*,85,green,green,-15,1$' trend10.csv || fail "A00000011 should alert with --alert-drop 10"
alerts=$(awk -F, 'NR > 1 && $NF == 1' trend.csv | wc -l)
grep -q "$alerts alerts" err.txt || fail "alert count $alerts not reported"
