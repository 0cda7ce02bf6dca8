# Positionals the same way in every command: counted, "--" ends the
# options, and standard input ("-") read by one of them at most.
train_small
expect_fail "^vitals: summary: unexpected argument 'extra' \(see vitals summary --help\)" "$vitals" summary model.json extra
expect_fail "^vitals: compare: needs MODEL\.json, SCORECARD\.json and LABELLED\.csv \(see vitals compare --help\)" "$vitals" compare model.json
expect_fail "^vitals: predict: MODEL\.json and DATA\.csv cannot both be standard input" "$vitals" predict - - <model.json
cp model.json ./-odd.json
"$vitals" summary -- -odd.json >odd.txt || fail "summary -- -odd.json"
"$vitals" summary model.json >plain.txt || fail "summary model.json"
cmp -s odd.txt plain.txt || fail "a model named after --"
"$vitals" predict - small.csv --quiet <model.json >stdin_model.csv || fail "predict with the model on standard input"
"$vitals" predict model.json small.csv --quiet >file_model.csv || fail "predict"
cmp -s stdin_model.csv file_model.csv || fail "the model from standard input scored differently"
"$vitals" train small.csv --churn churn --threads 0 --help | grep -q "usage: vitals train" || fail "--help after a bad value"
