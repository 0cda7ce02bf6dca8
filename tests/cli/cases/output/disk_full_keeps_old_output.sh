# A write error (here ENOSPC on a 64 KiB tmpfs) fails the run with one line,
# keeps the old output byte for byte and leaves no temporary.
if [ "$(id -u)" != 0 ]; then echo "skipped: mounting a tmpfs needs root"; exit 0; fi
mkdir full
mount -t tmpfs -o size=64k tmpfs full 2>/dev/null || { echo "skipped: cannot mount a tmpfs here"; exit 0; }
trap 'umount "$work/full"; rm -rf "$work"' EXIT
train_small
awk 'BEGIN { print "id,x,plan"; for (i = 1; i <= 20000; i++) print i "," (i % 7) / 2 "," (i % 2 ? "a" : "b") }' >many.csv
echo "previous scores" >full/scores.csv
cp full/scores.csv before.csv
expect_fail '^vitals: full/scores\.csv: write failed: No space left on device$' \
    "$vitals" predict model.json many.csv -o full/scores.csv
cmp -s before.csv full/scores.csv || fail "the old output was changed"
leftovers=$(ls full | grep -E '\.tmp\.' || true)
[ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
