# Regression (issue 9): -o to a symlink replaced the link with a regular
# file instead of writing the file it points to.
train_small
mkdir runs
echo "previous scores" >runs/today.csv
ln -s runs/today.csv latest.csv
"$vitals" predict model.json small.csv -o latest.csv 2>/dev/null || fail "predict through a symlink"
[ -L latest.csv ] || fail "latest.csv is no longer a symlink"
[ "$(readlink latest.csv)" = runs/today.csv ] || fail "latest.csv points elsewhere: $(readlink latest.csv)"
[ "$(wc -l <runs/today.csv)" -eq 9 ] || fail "runs/today.csv was not rewritten"
leftovers=$(ls . runs | grep -E '\.tmp\.' || true)
[ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"

# A relative link in a subdirectory names a path relative to that directory,
# and a dangling one is created.
mkdir sub out
ln -s ../out/new.csv sub/link.csv
"$vitals" predict model.json small.csv -o sub/link.csv 2>/dev/null || fail "predict through a dangling relative symlink"
[ -L sub/link.csv ] || fail "sub/link.csv is no longer a symlink"
[ -f out/new.csv ] && [ "$(wc -l <out/new.csv)" -eq 9 ] || fail "out/new.csv was not created"
no_file sub/new.csv
no_file new.csv
