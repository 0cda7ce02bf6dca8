printf 'x,plan,churn\n1,a,0\n,b,1\n3,,0\nNA,a,0\n2,b,1\n4,a,0\n5,b,0\n0.5,,1\n1.5,a,1\n2.5,b,0\n' >m.csv
"$vitals" train m.csv --churn churn -o imp.json --quiet 2>err.txt || fail "impute"
grep -q "column 'x': 2 missing cells imputed" err.txt || { cat err.txt; fail "imputed count for x"; }
grep -q "column 'plan': 2 missing cells imputed" err.txt || fail "imputed count for plan"
grep -q '"x_missing"' imp.json && grep -q '"plan_missing"' imp.json || fail "indicator terms"
"$vitals" train m.csv --churn churn --missing drop -o drop.json --quiet 2>err.txt || fail "drop"
grep -q '10 rows read, 6 used, 4 dropped for a missing feature' err.txt || { cat err.txt; fail "drop count"; }
expect_fail "^vitals: m\.csv:3:1: column 'x' is missing" "$vitals" train m.csv --churn churn --missing error -o e.json
no_file e.json
# A model fitted without the rows that had a missing cell still scores such
# rows: predict says the cells were imputed and that the fit never saw them.
"$vitals" predict drop.json m.csv -o p.csv 2>err.txt || fail "predict with the drop model"
grep -q 'note: the model was trained with --missing drop.* the 4 missing cells were imputed' err.txt \
    || { cat err.txt; fail "no note on imputing under a drop model"; }
"$vitals" predict imp.json m.csv -o p2.csv 2>err.txt || fail "predict with the impute model"
! grep -q 'missing drop' err.txt || fail "the note under an impute model"
