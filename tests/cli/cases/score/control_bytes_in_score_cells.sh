# Regression (issue 9): a scorecard's numeric cell holding a newline or an
# ESC sequence was echoed raw in the error.  One line, escaped.
cat >card.json <<'CARD'
{"format": "vitals-scorecard", "format_version": 1,
 "measures": [{"column": "nps", "better": "higher", "points": [{"at": 9, "points": 100}]}]}
CARD
printf 'id,nps\n1,9\n2,"1\n2"\n' >newline.csv
expect_fail "^vitals: newline\.csv:3:2: column 'nps': '1\\\\n2' is not a number$" \
    "$vitals" score card.json newline.csv -o s.csv
printf 'id,nps\n1,9\n2,"\033[2J"\n' >esc.csv
expect_fail "^vitals: esc\.csv:3:2: column 'nps': '\\\\x1B\\[2J' is not a number$" \
    "$vitals" score card.json esc.csv -o s.csv
no_file s.csv
