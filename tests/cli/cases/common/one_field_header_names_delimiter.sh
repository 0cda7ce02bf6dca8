# A ';' or tab export read without --delimiter has a header of one field:
# every reading command says which delimiter to give, in one line, instead of
# reporting its columns missing (issue 22); with --delimiter it reads.
"$vitals" generate 300 --seed 3 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id --quiet -o m.json 2>/dev/null || fail "train"
tr , ';' <g.csv >semi.csv
tr , '\t' <g.csv >tab.csv
card=$(dirname "$fixtures")/../models/scorecards/equal-weights.json
semi="^vitals: semi\.csv:1: the header is one field, 'account_id;segment;.*', which holds ';': give --delimiter ';'$"
expect_fail "$semi" "$vitals" train semi.csv --churn churned -o x.json
expect_fail "$semi" "$vitals" predict m.json semi.csv -o x.csv
expect_fail "$semi" "$vitals" score "$card" semi.csv -o x.csv
expect_fail "$semi" "$vitals" evaluate m.json semi.csv -o x.txt
expect_fail "$semi" "$vitals" compare m.json "$card" semi.csv -o x.txt
expect_fail "$semi" "$vitals" tune "$card" semi.csv --label churned -o x.json
expect_fail "give --delimiter tab\$" "$vitals" predict m.json tab.csv -o x.csv
for f in x.json x.csv x.txt; do no_file $f; done
"$vitals" predict m.json semi.csv --delimiter ';' --quiet -o p.csv || fail "predict --delimiter ';'"
"$vitals" predict m.json g.csv --quiet -o q.csv || fail "predict"
cmp -s p.csv q.csv || fail "the ';' file scores differently"
# A real one-column file is still read.
printf 'x\n1\n2\n' >one.csv
"$vitals" score "$card" one.csv -o s.csv 2>err.txt; grep -q "one field" err.txt && fail "a plain one-column header was refused"
