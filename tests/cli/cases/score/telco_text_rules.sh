# Issue 22: the Telco card with rules on its text columns (Contract,
# PaymentMethod, OnlineSecurity, InternetService, TechSupport) scores the
# same at 1 and 2 threads, each rule fires on the rows an independent
# reading of the CSV picks, and the rules lift the held-out ROC AUC of the
# hand-set card (tune's report: 0.754 without them, 0.793 with them).
cards=$(dirname "$fixtures")/../models/scorecards
telco=$(dirname "$fixtures")/../datasets/telco-customer-churn.csv
"$vitals" score "$cards/telco-text-rules.json" "$telco" --id customerID --threads 1 -o s1.csv --quiet || fail "score"
"$vitals" score "$cards/telco-text-rules.json" "$telco" --id customerID --threads 2 -o s2.csv --quiet || fail "score -t 2"
cmp -s s1.csv s2.csv || fail "scores depend on the thread count"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { f = ""
      if ($col["Contract"] == "Month-to-month" && $col["tenure"] < 12) f = f ";1"
      if ($col["PaymentMethod"] == "Electronic check") f = f ";2"
      if (($col["Contract"] == "One year" || $col["Contract"] == "Two year") && $col["OnlineSecurity"] == "Yes") f = f ";3"
      if ($col["InternetService"] == "Fiber optic" && $col["TechSupport"] != "Yes") f = f ";4"
      print substr(f, 2) }' "$telco" >want.txt
tail -n +2 s1.csv | awk -F, '{ print $NF }' | cmp -s - want.txt || fail "rules fired on the wrong rows"
for r in 1 2 3 4; do grep -Eq "(^|;)$r(;|$)" want.txt || fail "rule $r never fires"; done
"$vitals" tune "$cards/telco-text-rules.json" "$telco" --label Churn -o tuned.json >tune.txt 2>/dev/null || fail "tune"
awk '/^original/ { exit !($4 > 0.79 && $4 < 0.80) }' tune.txt || fail "held-out ROC AUC: $(grep '^original' tune.txt)"
grep -c "'" tuned.json | grep -qx 4 || fail "tune did not write the four text rules back"
