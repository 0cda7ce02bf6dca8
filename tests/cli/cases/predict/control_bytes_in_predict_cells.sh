# Regression (issue 9): a level holding ESC [31m or a newline, bytes that
# are not UTF-8, or a numeric cell "1\n2" were echoed raw in the error (two
# lines, or escape sequences reaching the terminal).  One line, escaped.
train_small
esc=$(printf '\033')
printf 'id,x,plan\n1,0.5,a\n2,1,"\033[31mred\n"\n' >esc.csv
expect_fail "^vitals: esc\.csv:3:3: column 'plan': level '\\\\x1B\\[31mred\\\\n' was not seen in training \(--unseen baseline scores it as 'a'\)$" \
    "$vitals" predict model.json esc.csv -o out.csv
! grep -q "$esc" stderr.txt || fail "an ESC byte reached stderr"
printf 'id,x,plan\n1,0.5,a\n2,1,\377\376b\n' >latin.csv
expect_fail "^vitals: latin\.csv:3:3: column 'plan': level '\\\\xFF\\\\xFEb' was not seen" \
    "$vitals" predict model.json latin.csv -o out.csv
printf 'id,x,plan\n1,0.5,a\n2,"1\n2",b\n' >newline.csv
expect_fail "^vitals: newline\.csv:3:2: column 'x': '1\\\\n2' is not a number$" \
    "$vitals" predict model.json newline.csv -o out.csv --threads 2
# Valid UTF-8 is shown as it is; a long cell is cut.
e=$(printf '\303\251')
long=$(awk -v e="$e" 'BEGIN { for (i = 0; i < 500; i++) printf "%s", e }')
printf 'id,x,plan\n1,0.5,%s\n' "$long" >long.csv
expect_fail "^vitals: long\.csv:2:3: column 'plan': level '($e){32}\.\.\.' was not seen" \
    "$vitals" predict model.json long.csv -o out.csv
no_file out.csv
