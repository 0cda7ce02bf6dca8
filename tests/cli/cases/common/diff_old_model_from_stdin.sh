# diff used to refuse "-" (it took it for an unknown option); every command
# now reads a positional "-" from standard input the same way.
train_small
"$vitals" train small.csv --churn churn --id id --l2 0.5 -o new.json --quiet 2>/dev/null || fail "training the new model"
"$vitals" diff model.json new.json --json -o from_files.json || fail "diff of two files"
"$vitals" diff - new.json --json -o from_stdin.json <model.json || fail "diff - new.json"
cmp -s from_files.json from_stdin.json || fail "diff with the old model on standard input differs"
expect_fail "^vitals: diff: OLD\.json and NEW\.json cannot both be standard input" "$vitals" diff - - <model.json
