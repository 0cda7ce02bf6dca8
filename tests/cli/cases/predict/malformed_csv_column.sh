# Regression (issue 9): malformed CSV and NUL bytes were reported as
# FILE:LINE without the column.  The field number is given, and the line is
# the one the bad field starts on, past quoted newlines before it.
train_small
# (The quoted newline is in the id: a level 'a\nb' would be an unseen-level
# error on line 2, and the first error in the file is the one reported.)
printf 'id,x,plan\n"1\n1",0.5,a\n2,"1"5,b\n' >quote.csv
expect_fail "^vitals: quote\.csv:4:2: malformed CSV" "$vitals" predict model.json quote.csv -o out.csv
expect_fail "^vitals: <stdin>:4:2: malformed CSV" "$vitals" predict model.json - -o out.csv <quote.csv
printf 'id,x,plan\n1,0.5,a\n2,1.5,"b\nc\000"\n' >nul.csv
expect_fail "^vitals: nul\.csv:4:3: binary data \(a NUL byte\)" "$vitals" predict model.json nul.csv -o out.csv
printf 'id,x,plan,churn\n1,0.5,a,0\n2,1,"b,1\n' >open.csv
expect_fail "^vitals: open\.csv:3:3: malformed CSV" "$vitals" train open.csv --churn churn -o m.json
no_file out.csv
no_file m.json
