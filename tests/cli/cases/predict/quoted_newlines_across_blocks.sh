# ~1.6 MB, so the 1 MB blocks cut between records whose ids hold line ends.
awk 'BEGIN { print "id,x,churn"; for (i = 1; i <= 60000; i++) printf "\"acct\n%d\",%d.5,%d\r\n", i, i % 17, (i * 7) % 3 == 0 }' >q.csv
"$vitals" train q.csv --churn churn --id id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" predict m.json q.csv --threads 1 -o one.csv --quiet || fail "predict 1 thread"
"$vitals" predict m.json q.csv --threads 3 -o three.csv --quiet || fail "predict 3 threads"
cmp -s one.csv three.csv || fail "thread counts disagree"
"$vitals" predict m.json q.csv --format jsonl -o q.jsonl --quiet || fail "predict jsonl"
awk -v want=1 '{ if (index($0, "{\"id\":\"acct\\n" want "\"") != 1) { print "line " NR ": " $0; exit 1 } want++ }
    END { if (want != 60001) { print "rows: " want - 1; exit 1 } }' q.jsonl || fail "ids out of order or lost"
printf 'id,x,churn\n"a\nb",1,0\n"c",oops,1\n' >bad.csv
expect_fail "^vitals: bad\.csv:4:2: column 'x': 'oops' is not a number" "$vitals" predict m.json bad.csv -o s.csv
no_file s.csv
