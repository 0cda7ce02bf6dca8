#!/bin/sh
# make demo: generate accounts, train churn and expansion models, score them,
# report; then fit the real Telco data.  Outputs land in demo/.
set -e
vitals=${1:-build/vitals}
out=demo
mkdir -p "$out"

echo "== generating 200,000 synthetic accounts (seed 7)"
"$vitals" generate 200000 --seed 7 -o "$out/accounts.csv"

echo "== training churn and expansion models (20% held out to judge them; bands: the riskiest 5% of the fitting rows red, the next 15% yellow)"
"$vitals" train "$out/accounts.csv" --churn churned --expansion expanded --id account_id --holdout 0.2 -o "$out/model.json"

echo
echo "== scoring every account"
"$vitals" predict "$out/model.json" "$out/accounts.csv" -o "$out/scores.csv"
echo
echo "accounts and churners per bucket:"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "bucket") b = i }
    NR == FNR { if (FNR > 1) bucket[FNR] = $b; next }
    FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "churned") c = i; next }
    { n++; churners += $c; rows[bucket[FNR]]++; events[bucket[FNR]] += $c }
    END { for (k = 1; k <= 3; k++) { name = k == 1 ? "red" : k == 2 ? "yellow" : "green"
          printf "  %-6s %7d accounts (%4.1f%%), %6d churners (%4.1f%% of them; %4.1f%% of the bucket churned)\n",
                 name, rows[name], 100 * rows[name] / n, events[name], 100 * events[name] / churners,
                 rows[name] ? 100 * events[name] / rows[name] : 0 } }' "$out/scores.csv" "$out/accounts.csv"
echo
echo "the ten riskiest accounts (account_id,churn_risk,expansion,health,bucket):"
tail -n +2 "$out/scores.csv" | sort -t, -k2,2 -g -r | head -10

echo
echo "== the Telco customer-churn data (7,043 real accounts; R glm gives the same numbers)"
"$vitals" train datasets/telco-customer-churn.csv --churn Churn --id customerID --missing drop -o "$out/telco.json"

echo
echo "== the learned model beside the hand-set scorecard, on 50,000 new accounts (seed 8)"
"$vitals" generate 50000 --seed 8 -o "$out/new-accounts.csv"
"$vitals" compare "$out/model.json" models/scorecards/equal-weights.json "$out/new-accounts.csv"

echo
echo "== one HTML report for the customer-success team (held-out fit, 50,000 new accounts, the equal-weights scorecard, and a model fitted on the new accounts as the 'previous' one)"
"$vitals" train "$out/new-accounts.csv" --churn churned --expansion expanded --id account_id -o "$out/previous-model.json" --quiet
"$vitals" report "$out/model.json" --data "$out/new-accounts.csv" --scorecard models/scorecards/equal-weights.json \
  --previous "$out/previous-model.json" --title "Customer health: synthetic accounts" -o "$out/report.html"
echo "report: $(cd "$out" && pwd)/report.html"

echo
echo "== curves and interactions: 50,000 accounts whose churn risk is curved, differs by lifecycle stage and rises with open tickets more where invoices are unpaid (generate --shape curved)"
"$vitals" generate 50000 --shape curved --seed 11 -o "$out/curved.csv"
"$vitals" train "$out/curved.csv" --churn churned --id account_id --drop expanded --smooth auto --interact auto \
  --holdout 0.2 -o "$out/curved-model.json" | grep -A6 '^Interactions'
"$vitals" report "$out/curved-model.json" --data "$out/curved.csv" --scorecard models/scorecards/equal-weights.json \
  --title "Customer health: curved accounts" -o "$out/report-curves.html"
echo "report with the learned curves beside the card's thresholds, and a heat map per ti() pair: $(cd "$out" && pwd)/report-curves.html"
