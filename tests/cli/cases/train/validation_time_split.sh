"$vitals" generate 3000 --seed 13 -o g.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "snapshot_date"; next } { printf "%s,2026-%02d-15\n", $0, (NR % 12) + 1 }' g.csv >dated.csv
later=$(awk -F, 'NR > 1 && $NF > "2026-09-30"' dated.csv | wc -l)
"$vitals" train dated.csv --churn churned --id account_id --time-col snapshot_date --holdout-after 2026-09-30 -o t.json >t.txt 2>/dev/null || fail "time split"
grep -q "churn validation (time split: snapshot_date after 2026-09-30 held out): $later rows" t.txt || { grep validation t.txt; fail "held-out rows should be $later"; }
! grep -q '"snapshot_date"' t.json || fail "the date column must not be a feature"
