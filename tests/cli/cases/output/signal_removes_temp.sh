# SIGTERM, SIGINT or SIGHUP in the middle of predict removes the temporary,
# keeps the old output, and the process dies of the signal (128 + number).
# The data comes through a FIFO held open, so the run is still going, its
# temporary in place, whenever the signal arrives.
train_small
awk 'BEGIN { print "id,x,plan"; for (i = 1; i <= 50000; i++) print i "," (i % 7) / 2 "," (i % 2 ? "a" : "b") }' >many.csv
# sh starts background jobs with SIGINT ignored, and vitals (like nohup)
# keeps an inherited ignore; env gives the job the default back.
reset="env --default-signal=INT"
$reset true 2>/dev/null || reset=""
for pair in TERM:15 INT:2 HUP:1; do
    sig=${pair%:*}
    if [ "$sig" = INT ] && [ -z "$reset" ]; then echo "skipped SIGINT: env has no --default-signal"; continue; fi
    rm -f in.fifo
    mkfifo in.fifo
    echo "previous scores" >scores.csv
    $reset "$vitals" predict model.json - -o scores.csv <in.fifo 2>stderr.txt &
    pid=$!
    exec 3>in.fifo
    cat many.csv >&3
    i=0
    while [ $i -lt 100 ] && ! ls | grep -q '^scores\.csv\.tmp\.'; do sleep 0.05; i=$((i + 1)); done
    ls | grep -q '^scores\.csv\.tmp\.' || fail "SIG$sig: no temporary appeared"
    kill -s $sig $pid
    { wait $pid; } 2>/dev/null
    status=$?
    exec 3>&-
    expected=$((128 + ${pair#*:}))
    [ $status -eq $expected ] || fail "SIG$sig: exit status $status, not $expected"
    leftovers=$(ls | grep -E '\.tmp\.' || true)
    [ -z "$leftovers" ] || fail "SIG$sig: temporary files left behind: $leftovers"
    [ "$(cat scores.csv)" = "previous scores" ] || fail "SIG$sig: the old output was changed"
done
