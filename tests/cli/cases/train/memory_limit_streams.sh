# Over --memory-limit the file is read again on each pass: the same model
# bytes (but the time), said on stderr; what needs the table in memory is
# refused in one line; a bad size is a usage error; standard input is read
# whole whatever the limit.
"$vitals" generate 3000 --seed 5 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --quiet -o mem.json 2>mem.err ||
    fail "in memory"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --quiet --memory-limit 64K -o str.json \
    2>str.err || fail "streamed"
grep -q "read again on each pass" str.err || fail "no note of streaming: $(cat str.err)"
grep -q "read again" mem.err && fail "in memory, yet a note of streaming"
grep -v created_at mem.json >mem.x
grep -v created_at str.json >str.x
cmp -s mem.x str.x || fail "the streamed model differs: $(diff mem.x str.x | head -5)"

expect_fail "^vitals: g\.csv: the table would take [0-9]+ (MiB|KiB), over --memory-limit 1 KiB: --holdout needs it in memory" \
    "$vitals" train g.csv --churn churned --id account_id --holdout 0.3 --memory-limit 1K -o h.json
no_file h.json
expect_fail "^vitals: --memory-limit: '12Q' is not a size such as 256M or 4G" \
    "$vitals" train g.csv --churn churned --memory-limit 12Q -o q.json
expect_fail "^vitals: --memory-limit: '0' is not a size" "$vitals" train g.csv --churn churned --memory-limit 0 -o q.json
"$vitals" train - --churn churned --expansion expanded --id account_id --quiet --memory-limit 1K -o in.json \
    <g.csv 2>/dev/null || fail "standard input"
grep -v created_at in.json | grep -v "\"path\":" >in.x
grep -v "\"path\":" mem.x | cmp -s - in.x || fail "standard input gave another model"
