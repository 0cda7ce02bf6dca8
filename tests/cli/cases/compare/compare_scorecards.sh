    cards=$(dirname "$fixtures")/../models/scorecards
    "$vitals" generate 5000 --seed 17 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" compare m.json "$cards/key-feature-rule.json" g.csv --json -o c.json || fail "compare --json"
    # ROC AUC and PR AUC equal scikit-learn's on the same scores (fixture).
    awk -v fixture="$fixtures/compare_sklearn.json" '
        function value(line) { sub(/.*: */, "", line); sub(/,$/, "", line); return line + 0 }
        FILENAME == fixture { if ($0 ~ /_auc/) { key = $0; sub(/^ *"/, "", key); sub(/".*/, "", key); want[key] = value($0) } next }
        /"model":/ { who = "model" } /"scorecard_metrics":/ { who = "scorecard" }
        /"roc_auc":/ && who != "" { got[who "_roc_auc"] = value($0) }
        /"pr_auc":/ && who != "" { got[who "_pr_auc"] = value($0) }
        END {
            n = 0
            for (k in want) { n++; d = got[k] - want[k]; if (d < 0) d = -d; if (d > 1e-9) { print k ": " got[k] " vs sklearn " want[k]; bad = 1 } }
            exit bad || n != 4
        }' "$fixtures/compare_sklearn.json" c.json || fail "AUCs differ from scikit-learn"
    # A scorecard on the true drivers with the true signs beats one with the signs reversed.
    cat >good.json <<'CARD'
{"format": "vitals-scorecard", "format_version": 1, "name": "true drivers",
 "measures": [
  {"column": "unpaid_invoices", "better": "lower", "points": [{"at": 0, "points": 100}, {"at": 1, "points": 40}], "weight": 2},
  {"column": "usage_trend", "better": "higher", "points": [{"at": 0.1, "points": 100}, {"at": 0, "points": 60}, {"at": -0.1, "points": 30}], "weight": 2},
  {"column": "active_user_ratio", "better": "higher", "points": [{"at": 0.7, "points": 100}, {"at": 0.5, "points": 60}, {"at": 0.3, "points": 30}], "weight": 2},
  {"column": "days_since_contact", "better": "lower", "points": [{"at": 10, "points": 100}, {"at": 30, "points": 50}], "weight": 1}]}
CARD
    sed 's/"lower"/"LOWER"/g; s/"higher"/"lower"/g; s/"LOWER"/"higher"/g; s/"true drivers"/"signs reversed"/' good.json >bad.json
    sed -i 's/"at": 0, "points": 100}, {"at": 1, "points": 40}/"at": 1, "points": 100}, {"at": 0, "points": 40}/; s/"at": 0.1, "points": 100}, {"at": 0, "points": 60}, {"at": -0.1, "points": 30}/"at": -0.1, "points": 100}, {"at": 0, "points": 60}, {"at": 0.1, "points": 30}/; s/"at": 0.7, "points": 100}, {"at": 0.5, "points": 60}, {"at": 0.3, "points": 30}/"at": 0.3, "points": 100}, {"at": 0.5, "points": 60}, {"at": 0.7, "points": 30}/; s/"at": 10, "points": 100}, {"at": 30, "points": 50}/"at": 30, "points": 100}, {"at": 10, "points": 50}/' bad.json
    "$vitals" compare m.json good.json g.csv --json -o cg.json || fail "compare good"
    "$vitals" compare m.json bad.json g.csv --json -o cb.json || fail "compare bad"
    auc() { awk '/"scorecard_metrics":/ { on = 1 } on && /"roc_auc":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' "$1"; }
    awk -v good="$(auc cg.json)" -v bad="$(auc cb.json)" 'BEGIN { exit !(good > 0.6 && bad < 0.5 && good > bad) }' ||
        fail "true drivers AUC $(auc cg.json) should beat reversed $(auc cb.json)"
    "$vitals" compare m.json good.json g.csv >text.txt || fail "compare text"
    grep -q 'rows: scorecard bucket, columns: model bucket' text.txt && grep -q 'call scorecard health <=' text.txt || fail "report"
    grep -q 'signs disagree' text.txt && fail "true signs reported as disagreeing"
    "$vitals" compare m.json bad.json g.csv | grep -q 'unpaid_invoices .*signs disagree' || fail "reversed signs not reported"
    expect_fail "^vitals: m\.json: --target: the model has no 'expansion' target" "$vitals" compare m.json good.json g.csv --target expansion
    cut -d, -f1-16 g.csv >nolabel.csv
    expect_fail "^vitals: nolabel\.csv:1: no outcome column 'churned'" "$vitals" compare m.json good.json nolabel.csv
