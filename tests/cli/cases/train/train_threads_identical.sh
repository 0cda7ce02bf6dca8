# The model does not depend on the thread count, in memory or read again
# on each pass (--memory-limit): --threads 1 and 2 write the same bytes
# (but created_at).  The file holds two of the reader's 1 MiB blocks.
"$vitals" generate 15000 --seed 9 -o g.csv 2>/dev/null || fail "generate"
for t in 1 2; do
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --threads $t --quiet -o m$t.json \
        2>/dev/null || fail "train --threads $t"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --threads $t --quiet \
        --memory-limit 64K -o s$t.json 2>/dev/null || fail "train --threads $t --memory-limit 64K"
    grep -v '"created_at"' m$t.json >m$t.txt
    grep -v '"created_at"' s$t.json >s$t.txt
done
for other in m2 s1 s2; do
    cmp -s m1.txt $other.txt || fail "$other differs from the model in memory on one thread: $(diff m1.txt $other.txt | head -4)"
done
