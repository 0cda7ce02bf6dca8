# --by: a level whose column has a handful of missing cells leaves that
# column's COL_missing out of its fits (noted, coefficient 0 there, as
# predict scores it) instead of falling back on separation; the --by
# column's own levels are not listed in its levels' tables.
"$vitals" generate 8000 --seed 15 -o g.csv 2>/dev/null || fail "generate"
# unpaid_invoices: every 7th maturity row missing, 3 adoption rows, no onboarding row
awk -F, 'BEGIN { OFS = "," } NR > 1 && $3 == "maturity" && NR % 7 == 0 { $15 = "" }
         NR > 1 && $3 == "adoption" && n < 3 { $15 = ""; n++ } { print }' g.csv >few.csv
"$vitals" train few.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage --holdout 0.25 \
    -o m.json >t.txt 2>err.txt || { cat err.txt; fail "train --by"; }
grep -q "^vitals: --by lifecycle_stage = adoption: term 'unpaid_invoices_missing' left out: 3 missing cells of 'unpaid_invoices' in this level, fewer than 10 (its coefficient is 0 in the level's model)$" err.txt ||
    { cat err.txt; fail "the note on adoption"; }
grep -q "^vitals: --by lifecycle_stage = onboarding: term 'unpaid_invoices_missing' left out: 0 missing cells" err.txt ||
    fail "the note on onboarding"
! grep -q "lifecycle_stage = maturity: term" err.txt || fail "maturity has enough missing cells"
! grep -q 'separation' t.txt || { grep separation t.txt; fail "a level still falls back on separation"; }
# the --by column's terms: in the pooled tables only (2 targets)
[ "$(grep -c '^lifecycle_stagematurity ' t.txt)" -eq 2 ] || fail "--by column listed in its levels' tables"
grep -q '^unpaid_invoices_missing  *0  (left out: 3 missing cells' t.txt || fail "left-out row in the table"
grep -q '"reason":[[:space:]]*"left out: the --by column, constant within its level"' m.json || fail "stored reason"
"$vitals" summary m.json >s.txt || fail "summary"
[ "$(grep -c '^lifecycle_stagematurity ' s.txt)" -eq 2 ] || fail "summary lists the --by column in its levels"
# predict scores each row by its level's model with the term at 0 (rows
# of an unseen level by the pooled one: the check wants both kinds)
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 10 == 0 { $3 = "trial" } { print }' few.csv >mixed.csv
"$vitals" predict m.json mixed.csv --unseen baseline -o s1.csv --quiet || fail "predict"
"$CHECK_FIT" segments m.json mixed.csv s1.csv || fail "rows not scored by their level's model"
"$vitals" predict m.json mixed.csv --unseen baseline -o s2.csv --threads 2 --quiet || fail "predict, 2 threads"
cmp -s s1.csv s2.csv || fail "scores depend on threads"
# the same model on 1 and 2 fitting threads
"$vitals" train few.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage --holdout 0.25 \
    --threads 1 -o m1.json --quiet 2>/dev/null || fail "train, 1 thread"
"$vitals" train few.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage --holdout 0.25 \
    --threads 2 -o m2.json --quiet 2>/dev/null || fail "train, 2 threads"
grep -v created_at m1.json >a.json; grep -v created_at m2.json >b.json
cmp -s a.json b.json || fail "the model depends on threads"
