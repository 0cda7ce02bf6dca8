# A temporary left by a process that no longer exists (SIGKILL, a crash) is
# removed by the next run for the same target; one of a live process, or for
# another target, is not.
train_small
sh -c 'exit 0' &
dead=$!
wait $dead
echo stale >"scores.csv.tmp.$dead.abc123"
echo live >"scores.csv.tmp.$$.abc123"
echo other >"other.csv.tmp.$dead.abc123"
"$vitals" predict model.json small.csv -o scores.csv 2>/dev/null || fail "predict"
no_file "scores.csv.tmp.$dead.abc123"
[ -f "scores.csv.tmp.$$.abc123" ] || fail "the temporary of a live process was removed"
[ -f "other.csv.tmp.$dead.abc123" ] || fail "another target's temporary was removed"
[ "$(wc -l <scores.csv)" -eq 9 ] || fail "scores.csv was not written"
