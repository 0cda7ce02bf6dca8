# The README's worked example: split, score the parts in parallel as a
# Unix filter, join; the result equals one run.
"$vitals" generate 20000 --seed 4 -o accounts.csv 2>/dev/null || fail "generate"
"$vitals" train accounts.csv --churn churned --expansion expanded --id account_id -o model.json --quiet 2>/dev/null || fail "train"
tail -n +2 accounts.csv >body.csv && split -n l/4 -d body.csv part.
ls part.0? | xargs -P 4 -I{} sh -c "{ head -1 accounts.csv; cat {}; } | '$vitals' predict model.json - --quiet > {}.scores" || fail "parallel parts"
{ head -1 part.00.scores; for f in part.0?.scores; do tail -n +2 "$f"; done; } >joined.csv
"$vitals" predict model.json accounts.csv -o single.csv --quiet || fail "single run"
cmp -s joined.csv single.csv || fail "joined parts differ from a single run"
