train_small
"$vitals" predict model.json - <small.csv >s1.csv 2>/dev/null || fail "predict from stdin"
"$vitals" predict model.json small.csv -o s2.csv 2>/dev/null || fail "predict to file"
cmp -s s1.csv s2.csv || fail "stdin/stdout output differs from file output"
head -1 s1.csv | grep -qx 'id,churn_risk,health,bucket' || fail "bad header: $(head -1 s1.csv)"
