train_small
printf 'id,x,plan\n1,0.5,a\n2,1.5,zzz\n' >new.csv
expect_fail "^vitals: new\.csv:3:3: column 'plan': level 'zzz' was not seen" "$vitals" predict model.json new.csv -o s.csv
no_file s.csv
"$vitals" predict model.json new.csv --unseen baseline -o s.csv 2>err.txt || fail "--unseen baseline failed"
grep -q '1 unseen levels scored as baseline' err.txt || fail "unseen count not reported"
[ "$(wc -l <s.csv)" -eq 3 ] || fail "expected 2 scored rows"
