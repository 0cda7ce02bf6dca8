# A column name holding ESC, BEL or a newline is echoed escaped by train's
# and summary's tables, so it cannot drive the terminal or split a row;
# the JSON keeps the name whole.
esc=$(printf '\033')
bel=$(printf '\007')
printf 'id,red%s[31mx%s,plan,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,a,0\n4,0.1,b,1\n5,3.3,a,1\n6,0.7,b,0\n7,1.1,a,0\n8,2.2,b,1\n' \
    "$esc" "$bel" >c.csv
"$vitals" train c.csv --churn churn --id id -o m.json >train.txt 2>&1 || fail "train"
"$vitals" summary m.json >summary.txt || fail "summary"
for f in train.txt summary.txt; do
    if grep -q "$esc" $f || grep -q "$bel" $f; then fail "$f holds a raw ESC or BEL"; fi
    grep -q 'red\\x1B\[31mx\\x07 ' $f || fail "$f does not show the name escaped: $(grep red $f | head -2)"
done
"$vitals" summary m.json --json >s.json || fail "summary --json"
grep -q '"red\\u001b\[31mx\\u0007"' s.json || fail "the JSON does not keep the name: $(grep red s.json | head -1)"
