# Regression (issue 9): -o to a FIFO wrote a temporary and renamed it over
# the FIFO, so the reader never saw a line and the FIFO became a file.
train_small
mkfifo scores.fifo
wc -l <scores.fifo >count.txt &
reader=$!
"$vitals" predict model.json small.csv -o scores.fifo 2>/dev/null || fail "predict to a FIFO"
i=0
while kill -0 $reader 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $reader 2>/dev/null; then
    kill $reader
    fail "the FIFO's reader never got end of file"
fi
wait $reader
[ "$(tr -d ' ' <count.txt)" = 9 ] || fail "the reader got '$(cat count.txt)' lines, not 9 (header + 8 rows)"
[ -p scores.fifo ] || fail "scores.fifo is no longer a FIFO"
