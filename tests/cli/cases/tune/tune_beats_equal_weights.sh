    # Issue 13: on generated data the tuned equal-weights card beats the
    # original on held-out ROC AUC; the tuned card is a valid card that
    # score and compare take, and carries where it came from.
    cards=$(dirname "$fixtures")/../models/scorecards
    "$vitals" generate 20000 --seed 17 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --json --report r.json -o tuned.json || fail "tune"
    auc() { awk -v who="\"$2\":" '$0 ~ who { on = 1 } on && /"roc_auc":/ { sub(/.*:[ \t]*/, ""); sub(/,$/, ""); print; exit }' "$1"; }
    awk -v old="$(auc r.json original)" -v new="$(auc r.json tuned)" 'BEGIN { exit !(old > 0.6 && new > old + 0.01) }' ||
        fail "tuned held-out AUC $(auc r.json tuned) should beat the original's $(auc r.json original)"
    # The weights sum to 100 and the provenance names the data and the held-out figures.
    awk '/"weight":/ { sub(/.*:[ \t]*/, ""); sub(/,$/, ""); total += $0 } END { d = total - 100; exit !(d < 1e-9 && d > -1e-9) }' tuned.json ||
        fail "weights do not sum to 100"
    grep -q '"provenance"' tuned.json && grep -q '"fnv1a64"' tuned.json && grep -q '"held_out"' tuned.json ||
        fail "no provenance"
    "$vitals" score tuned.json g.csv --id account_id -o s.csv || fail "score takes the tuned card"
    "$vitals" train g.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" compare m.json tuned.json g.csv >/dev/null || fail "compare takes the tuned card"
    # Text report; standard input in, the card on standard output (the report then on standard error).
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned -o t2.json >text.txt || fail "tune text"
    grep -q '^tuned .*ROC AUC' text.txt && grep -q 'held-out accounts change bucket' text.txt || fail "text report"
    [ -z "$(diff tuned.json t2.json | grep '^[<>]' | grep -v created_at)" ] || fail "same data, same seed: another card"
    "$vitals" tune "$cards/equal-weights.json" - --label churned -o - <g.csv >stdout.json 2>report.txt || fail "tune - -o -"
    grep -q 'held-out accounts change bucket' report.txt || fail "report not on stderr when the card is on stdout"
    "$vitals" score stdout.json g.csv --id account_id -o s2.csv || fail "the card from stdout"
    cmp -s s.csv s2.csv || fail "the card from standard input scores differently"
    # Per-stage sets get weights of their own.
    "$vitals" tune "$cards/key-feature-rule.json" g.csv --label churned -o stages.json >stages.txt || fail "tune stages"
    grep -q '^onboarding ' stages.txt || fail "no onboarding weights"
    "$vitals" tune --help | grep -q 'usage: vitals tune' || fail "--help"
