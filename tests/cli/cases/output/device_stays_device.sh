# Regression (issue 9): as root, -o /dev/null replaced the device with a
# regular file.  A private node (same major:minor as /dev/null) stands in.
if [ "$(id -u)" != 0 ]; then echo "skipped: mknod needs root"; exit 0; fi
train_small
mknod null c 1 3 2>/dev/null || { echo "skipped: mknod is not permitted here"; exit 0; }
(echo probe >null) 2>/dev/null || { echo "skipped: devices cannot be opened here (nodev)"; exit 0; }
"$vitals" predict model.json small.csv -o null 2>/dev/null || fail "predict to a character device"
[ -c null ] || fail "null is no longer a character device"
leftovers=$(ls | grep -E '\.tmp\.' || true)
[ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
