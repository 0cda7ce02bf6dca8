    # Issue 13: a measure added with its direction reversed ends at weight 0
    # and is named with its unconstrained sign and z; a measure of pure noise
    # gets a weight near 0.
    cards=$(dirname "$fixtures")/../models/scorecards
    "$vitals" generate 20000 --seed 23 -o g0.csv 2>/dev/null || fail "generate"
    awk -F, 'BEGIN { OFS = ","; srand(5) } NR == 1 { print $0, "noise"; next } { print $0, rand() }' g0.csv >g.csv
    # Longer tenure lowers churn in the generator: "lower is better" is backwards.
    sed 's/^  ]$/  ,{"column": "tenure_months", "better": "lower", "points": [{"at": 6, "points": 100}, {"at": 24, "points": 50}], "weight": 1}\
  ,{"column": "noise", "better": "higher", "points": [{"at": 0.66, "points": 100}, {"at": 0.33, "points": 50}], "weight": 1}\
  ]/' "$cards/equal-weights.json" >card.json
    grep -q noise card.json || fail "card not built"
    "$vitals" tune card.json g.csv --label churned -o tuned.json --json --report r.json || fail "tune"
    weight() { awk -v col="\"$1\"" '$0 ~ "\"column\":[ \t]*" col { on = 1 } on && /"weight":/ { sub(/.*:[ \t]*/, ""); sub(/,$/, ""); print; exit }' tuned.json; }
    [ "$(weight tenure_months)" = 0 ] || fail "reversed measure weight $(weight tenure_months), not 0"
    awk -v w="$(weight noise)" 'BEGIN { exit !(w < 2) }' || fail "noise weight $(weight noise) is not near 0"
    "$vitals" tune card.json g.csv --label churned -o tuned.json >text.txt || fail "tune text"
    grep -Eq '^ +tenure_months +9\.1 +0\.0  <-- works backwards: unconstrained -[0-9.]+ per 100 points lost, z = -[0-9.]+$' text.txt ||
        { cat text.txt; fail "reversed measure not named with its sign and z"; }
