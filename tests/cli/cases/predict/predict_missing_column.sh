train_small
printf 'id,plan\n1,a\n' >nox.csv
expect_fail "^vitals: nox\.csv:1: the model needs column 'x'" "$vitals" predict model.json nox.csv -o s.csv
no_file s.csv
