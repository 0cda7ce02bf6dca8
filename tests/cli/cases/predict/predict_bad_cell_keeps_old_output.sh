train_small
printf 'id,x,plan\n1,0.5,a\n2,oops,b\n' >bad.csv
echo "previous scores" >s.csv
expect_fail "^vitals: bad\.csv:3:2: column 'x': 'oops' is not a number" "$vitals" predict model.json bad.csv -o s.csv
[ "$(cat s.csv)" = "previous scores" ] || fail "old output was changed"
