printf '\357\273\277id;x;plan;churn\r\n1;0,5;"a;b";0\r\n' >/dev/null
printf '\357\273\277id;x;plan;churn\r\n1;0.5;"a;x";0\r\n2;1.5;b;1\r\n3;2.5;"a;x";0\r\n4;0.1;b;1\r\n5;3.3;"a;x";1\r\n6;0.7;b;0\r\n' >semi.csv
"$vitals" train semi.csv --delimiter ';' --churn churn --id id -o m.json --quiet 2>/dev/null || fail "train with ; and BOM"
grep -q '"planb"' m.json || fail "term planb missing (levels: a;x baseline, b)"
"$vitals" predict m.json semi.csv -o s.csv 2>/dev/null || fail "predict with the model's delimiter"
[ "$(wc -l <s.csv)" -eq 7 ] || fail "expected 6 scored rows"
