# Scoring with a smooth model: --threads 1..8 give the same bytes (CSV with
# --explain 3, and JSON lines), and so does every CPU-feature mask of run.sh.
"$vitals" generate 3000 --shape curved --seed 42 -o g.csv 2>/dev/null || fail "generate"
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" --smooth auto \
    -o m.json --quiet 2>/dev/null || fail "train"
grep -q '"smooth":' m.json || fail "no smooth term"
# Five copies of the rows: several blocks for every thread.
{ cat g.csv; for i in 1 2 3 4; do tail -n +2 g.csv; done; } >big.csv
for t in 1 2 3 4 5 6 7 8; do
    "$vitals" predict m.json big.csv --threads $t --explain 3 -o s$t.csv --quiet || fail "predict --threads $t"
    "$vitals" predict m.json big.csv --threads $t --format jsonl -o j$t.jsonl --quiet || fail "jsonl --threads $t"
done
for t in 2 3 4 5 6 7 8; do cmp -s s1.csv s$t.csv || fail "scores differ between 1 and $t threads"; done
for t in 2 3 4 5 6 7 8; do cmp -s j1.jsonl j$t.jsonl || fail "jsonl differs between 1 and $t threads"; done
[ "$(wc -l <s1.csv)" -eq 15001 ] || fail "expected 15000 rows"
for mask in $cpu_masks; do
    on_cpu $mask "$vitals" predict m.json big.csv --threads 3 --explain 3 -o k.csv --quiet ||
        fail "predict ($mask)"
    cmp -s s1.csv k.csv || fail "scores differ under $mask"
done
