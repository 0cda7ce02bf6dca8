# /dev/stdout and /dev/fd/N are the open descriptor, as bash reads them: a
# shell's >> still appends, and a pipe gets every line.
train_small
echo "first line" >log.csv
"$vitals" predict model.json small.csv -o /dev/stdout 2>/dev/null >>log.csv || fail "predict -o /dev/stdout"
[ "$(head -1 log.csv)" = "first line" ] || fail "-o /dev/stdout replaced the file stdout appends to"
[ "$(wc -l <log.csv)" -eq 10 ] || fail "log.csv has $(wc -l <log.csv) lines, not 1 + 9"
lines=$("$vitals" predict model.json small.csv -o /dev/fd/3 3>&1 >/dev/null 2>/dev/null | wc -l)
[ "$lines" -eq 9 ] || fail "-o /dev/fd/3 into a pipe gave $lines lines, not 9"
expect_fail '^vitals: /dev/fd/0: cannot open output: Bad file descriptor$' \
    "$vitals" predict model.json small.csv -o /dev/fd/0 </dev/null
