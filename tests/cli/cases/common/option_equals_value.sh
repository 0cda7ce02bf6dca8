# --opt=VALUE means --opt VALUE for every option that takes a value.
train_small
"$vitals" predict model.json small.csv --format jsonl --threads 2 -o spaced.jsonl --quiet || fail "predict --opt VALUE"
"$vitals" predict model.json small.csv --format=jsonl --threads=2 --output=equals.jsonl --quiet || fail "predict --opt=VALUE"
cmp -s spaced.jsonl equals.jsonl || fail "--opt=VALUE scored differently"
"$vitals" train small.csv --churn=churn --id=id --drop=plan --output=dropped.json --quiet 2>/dev/null || fail "train --opt=VALUE"
grep -q '"plan' dropped.json && fail "--drop=plan kept the column"
"$vitals" summary model.json --confidence=0.9 | grep -q '5 %' || fail "summary --confidence=0.9"
expect_fail "^vitals: --threads: '0' is not a whole number from 1 to 256" "$vitals" predict model.json small.csv --threads=0
expect_fail "^vitals: option --quiet takes no value" "$vitals" predict model.json small.csv --quiet=yes
