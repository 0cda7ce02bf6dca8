# --explain for a smooth model: each feature's effect (its whole smooth's
# contribution relative to the training average) plus the baseline add up
# to the log-odds (check_fit explain), and --explain 3 names the three
# largest effects of the full list, with the same values.
"$vitals" generate 3000 --shape curved --seed 44 -o g.csv 2>/dev/null || fail "generate"
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" --smooth auto \
    -o m.json --quiet 2>/dev/null || fail "train"
grep -q '"smooth":' m.json || fail "no smooth term"
# 10 features are left: segment, lifecycle_stage and 8 numeric ones.
"$vitals" predict m.json g.csv --explain 10 -o s.csv --quiet || fail "predict --explain 10"
head -1 s.csv | grep -q '^account_id,churn_risk,expansion,health,bucket,churn_driver_1,churn_driver_1_effect,' ||
    fail "header: $(head -1 s.csv)"
head -1 s.csv | grep -q 'churn_driver_10_effect' || fail "not every feature explained: $(head -1 s.csv)"
"$CHECK_FIT" explain m.json s.csv || fail "effects do not sum to the log-odds"
"$vitals" predict m.json g.csv --explain 3 -o t.csv --quiet || fail "predict --explain 3"
# churn drivers are columns 6..25 of s.csv (name, effect pairs), 6..11 of t.csv.
awk -F, 'NR == FNR { if (FNR > 1) full[$1] = $6 "," $7 "," $8 "," $9 "," $10 "," $11; next }
    FNR > 1 { top = $6 "," $7 "," $8 "," $9 "," $10 "," $11; if (full[$1] != top) { bad++; if (bad == 1) print $1, top, "vs", full[$1] } }
    END { exit bad > 0 }' s.csv t.csv || fail "--explain 3 is not the top of --explain 10"
# Ordered by |effect|, largest first.
awk -F, 'FNR > 1 { for (i = 7; i + 2 <= 25; i += 2) { a = $i < 0 ? -$i : $i; b = $(i + 2) < 0 ? -$(i + 2) : $(i + 2); if (b > a) bad++ } }
    END { exit bad > 0 }' s.csv || fail "drivers not ordered by |effect|"
"$vitals" predict m.json g.csv --explain 2 --format jsonl -o s.jsonl --quiet || fail "predict jsonl"
"$CHECK_FIT" jsonl m.json s.jsonl || fail "jsonl"
