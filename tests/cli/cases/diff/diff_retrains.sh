"$vitals" generate 60000 --seed 41 -o a.csv 2>/dev/null || fail "generate a"
"$vitals" generate 60000 --seed 42 --set churn:unpaid_invoices=1.2 -o b.csv 2>/dev/null || fail "generate b"
"$vitals" train a.csv --churn churned --drop expanded --id account_id -o a.json --quiet 2>/dev/null || fail "train a"
"$vitals" train b.csv --churn churned --drop expanded --id account_id -o b.json --quiet 2>/dev/null || fail "train b"
# A model against itself: nothing changes, z = 0 everywhere, no population shift.
"$vitals" diff a.json a.json --data a.csv --json -o self.json || fail "diff with itself"
grep -q '"flagged":[[:space:]]*0' self.json || fail "self diff flags terms"
[ "$(grep -c '"z":' self.json)" -eq 19 ] && [ "$(grep -c '"z":[[:space:]]*0$' self.json)" -eq 19 ] || fail "self diff z not 0"
grep -q '"psi_churn_risk":[[:space:]]*0,' self.json && grep -q '"accounts_changing_bucket":[[:space:]]*0' self.json || fail "self PSI"
# The changed true coefficient, and only it, is flagged.
"$vitals" diff a.json b.json --data b.csv >d.txt || fail "diff"
grep -q '^churn: 1 terms changed by more than 3 standard errors' d.txt || { cat d.txt; fail "one flagged term expected"; }
grep -q '^unpaid_invoices .*<-- changed$' d.txt || fail "unpaid_invoices not flagged"
grep -q 'nps: imputation value' d.txt || fail "nps imputation change not listed"
! grep -q 'seats: imputation value' d.txt || fail "a column without missing cells listed"
"$vitals" train a.csv --churn churned --expansion expanded --id account_id -o both.json --quiet 2>/dev/null || fail "train both"
expect_fail "^vitals: both\.json: its targets \(churn, expansion\) differ from a\.json's \(churn\)" "$vitals" diff a.json both.json
expect_fail "^vitals: --flag: '0' is not a positive z" "$vitals" diff a.json b.json --flag 0
# What differs besides the data: the source, Firth, the ridge, a column's type.
grep -q '^training: 2 differences$' d.txt || { cat d.txt; fail "two retrains on two files: source and content"; }
grep -q '^  data source: a\.csv -> b\.csv$' d.txt || fail "the files not named"
grep -q '^  data content: 60000 rows, hash [0-9a-f]* -> 60000 rows, hash [0-9a-f]*$' d.txt || fail "the content not named"
"$vitals" diff a.json a.json >self.txt || fail "diff with itself, text"
grep -q '^training: 0 differences$' self.txt || fail "a model differs from itself"
"$vitals" train a.csv --churn churned --drop expanded --id account_id --firth -o f.json --quiet 2>/dev/null \
    || fail "train with Firth"
"$vitals" train a.csv --churn churned --drop expanded --id account_id --l2 0.5 -o r.json --quiet 2>/dev/null \
    || fail "train with a ridge"
"$vitals" diff f.json r.json >f.txt || fail "diff Firth against a ridge"
grep -q '^training: 2 differences (an estimate.s change may come from the method, not the data)$' f.txt \
    || { cat f.txt; fail "method change not said"; }
grep -q '^  estimation: Firth.s penalised likelihood -> maximum likelihood$' f.txt || fail "Firth not said"
grep -q '^  churn ridge: none -> l2 = 0.5$' f.txt || fail "ridge not said"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "unpaid_invoices") c = i } { if (NR > 1) $c = "s" $c } 1' OFS=, a.csv >t.csv
"$vitals" train t.csv --churn churned --drop expanded --id account_id -o t.json --quiet 2>/dev/null || fail "train with unpaid_invoices as text"
"$vitals" diff a.json t.json --json -o t.out.json || fail "diff a type change"
grep -q '"change":[[:space:]]*"type changed from numeric to categorical"' t.out.json || fail "type change not said"
