"$vitals" generate 30000 --seed 21 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
for t in 1 2 3 4 5 6 7 8; do
    "$vitals" predict m.json g.csv --threads $t --explain 3 -o s$t.csv --quiet || fail "predict --threads $t"
    "$vitals" predict m.json g.csv --threads $t --format jsonl -o j$t.jsonl --quiet || fail "jsonl --threads $t"
done
for t in 2 3 4 5 6 7 8; do cmp -s s1.csv s$t.csv || fail "scores differ between 1 and $t threads"; done
for t in 2 3 4 5 6 7 8; do cmp -s j1.jsonl j$t.jsonl || fail "jsonl differs between 1 and $t threads"; done
[ "$(wc -l <s1.csv)" -eq 30001 ] || fail "expected 30000 rows"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --threads 1 -o m1.json --quiet 2>/dev/null || fail "train 1 thread"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --threads 3 -o m3.json --quiet 2>/dev/null || fail "train 3 threads"
grep -v created_at m1.json >m1.txt && grep -v created_at m3.json >m3.txt
cmp -s m1.txt m3.txt || fail "the model depends on the training thread count"
