# Regression (2026-11-23): output space for drivers assumed names <= 256 bytes.
long=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "\"" }')
name="n${long}x"
printf 'id,"%s",churn\n1,0.5,0\n2,1.5,1\n3,2.5,0\n4,0.1,1\n5,3.3,1\n6,0.7,0\n' "$(printf '%s' "$name" | sed 's/"/""/g')" >l.csv
"$vitals" train l.csv --churn churn --id id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" predict m.json l.csv --explain 1 --format jsonl -o s.jsonl --quiet || fail "predict jsonl"
"$vitals" predict m.json l.csv --explain 1 -o s.csv --quiet || fail "predict csv"
[ "$(wc -l <s.jsonl)" -eq 6 ] || fail "expected 6 rows"
