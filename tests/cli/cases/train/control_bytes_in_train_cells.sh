# Regression (issue 9): errors echoed cells raw, so a quoted cell holding a
# newline gave a two-line error and an ESC sequence drove the terminal.
# Cells are shown escaped (\n, \xHH) in exactly one line.
esc=$(printf '\033')
printf 'x,plan,churn\n1.5,a,0\n2,b,1\n"1\n2",a,0\n4,b,1\n' >t.csv
expect_fail "^vitals: t\.csv:4:1: column 'x': '1\\\\n2' is not a number, but 3 of its 4 values are .*--na '1\\\\n2' if" \
    "$vitals" train t.csv --churn churn -o m.json
printf 'x,plan,churn\n1.5,a,0\n2,b,"\033[31myes\n"\n' >label.csv
expect_fail "^vitals: label\.csv:3:3: label column 'churn': '\\\\x1B\\[31myes\\\\n' is not 0/1" \
    "$vitals" train label.csv --churn churn -o m.json
! grep -q "$esc" stderr.txt || fail "an ESC byte reached stderr"
printf 'x,plan,churn\n1,a,0\n2,b,1\ninf\377,a,0\n' >inf.csv
expect_fail "^vitals: inf\.csv:4:1: column 'x' is declared numeric but 'inf\\\\xFF' is not a number" \
    "$vitals" train inf.csv --churn churn --numeric x -o m.json
printf 'x,"p\033]0;title\007",p\033]0;title\007,churn\n1,a,2,0\n' >dup.csv
expect_fail "^vitals: dup\.csv:1:3: duplicate column name 'p\\\\x1B\]0;title\\\\x07' \(also column 2\)" \
    "$vitals" train dup.csv --churn churn -o m.json
no_file m.json
