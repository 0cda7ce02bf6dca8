# generate -o to a device or FIFO writes no DEVICE.truth.json beside it
# (found 2026-11-24: as root, -o /dev/null created /dev/null.truth.json).
if [ "$(id -u)" = 0 ]; then
    mknod null c 1 3 || fail "mknod"
    "$vitals" generate 100 --seed 1 -o null 2>/dev/null || fail "generate to a device"
    [ -c null ] || fail "the device was replaced"
    no_file null.truth.json
else
    echo "skipped device part: mknod needs root"
fi
mkfifo pipe
wc -l <pipe >count.txt &
"$vitals" generate 100 --seed 1 -o pipe 2>/dev/null || fail "generate to a FIFO"
wait
[ "$(cat count.txt)" -eq 101 ] || fail "the FIFO reader got $(cat count.txt) lines"
no_file pipe.truth.json
"$vitals" generate 100 --seed 1 -o file.csv 2>/dev/null || fail "generate to a file"
[ -f file.csv.truth.json ] || fail "a file output lost its truth file"
