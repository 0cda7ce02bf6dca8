# A --to-table name longer than PostgreSQL's 63 bytes would be cut by the
# server without a word: refused before connecting, in one line; 63 bytes
# passes the check (and then fails to connect to no server).
train_small
long=$(printf 'a%.0s' $(seq 64))
expect_fail "^vitals: --to-table: 'public\.a+\.\.\.' has a name longer than PostgreSQL's 63 bytes" \
    "$vitals" predict model.json "postgresql:///nodb?host=/nonexistent" --table t --to-table "public.$long"
quoted=$(printf '"%s"' "$long")
expect_fail "has a name longer than PostgreSQL's 63 bytes" \
    "$vitals" predict model.json "postgresql:///nodb?host=/nonexistent" --table t --to-table "$quoted"
ok=$(printf 'b%.0s' $(seq 63))
expect_fail "cannot connect" \
    "$vitals" predict model.json "postgresql:///nodb?host=/nonexistent" --table t --to-table "$ok"
