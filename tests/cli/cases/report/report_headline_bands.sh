# Issue 21: the headline states the bands, how they were set, and what red
# and red + yellow hold of the accounts and of the churners on the data
# shown: the same shares as predict's buckets joined to the labels.
"$vitals" generate 20000 --seed 47 -o g.csv 2>/dev/null || fail "generate"
"$vitals" generate 10000 --seed 48 -o new.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --drop expanded --id account_id --holdout 0.2 -o m.json --quiet 2>/dev/null ||
    fail "train"
"$vitals" report m.json --data new.csv -o r.html || fail "report"
"$vitals" predict m.json new.csv --quiet -o s.csv || fail "predict"
red=$(awk '/"red_below":/ { sub(/.*:[ \t]*/, ""); sub(/,$/, ""); print; exit }' m.json)
yellow=$(awk '/"yellow_below":/ { sub(/.*:[ \t]*/, ""); sub(/,$/, ""); print; exit }' m.json)
# predict's buckets beside the labels (column churned of new.csv), at the headline's precision
want=$(awk -F, -v red="$red" -v yellow="$yellow" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "bucket") b = i }
    NR == FNR { if (FNR > 1) bucket[FNR] = $b; next }
    FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "churned") c = i; next }
    { n++; e += $c; r += bucket[FNR] == "red"; a += bucket[FNR] != "green"
      re += $c * (bucket[FNR] == "red"); ae += $c * (bucket[FNR] != "green") }
    END { printf "red (health below %s) holds <b>%.1f%%</b> of the accounts and <b>%.1f%%</b> of the churners; " \
          "red and yellow (below %s) hold <b>%.1f%%</b> and <b>%.1f%%</b>.", red, 100 * r / n, 100 * re / e, yellow,
          100 * a / n, 100 * ae / e }' s.csv new.csv)
grep -F -q "<li><b>Buckets</b>: $want The bands were set from shares of the 16,000 fitting rows: the riskiest 5% red, the next 15% yellow." r.html ||
    fail "headline: want '$want', got: $(grep '<b>Buckets' r.html)"
# absolute bands say so; without data, the held-out rows are the ones shown
"$vitals" train g.csv --churn churned --drop expanded --id account_id --holdout 0.2 --bands 40,70 -o a.json --quiet \
    2>/dev/null || fail "train --bands"
"$vitals" report a.json -o a.html || fail "report"
grep -q '<li><b>Buckets</b> (held-out rows): red (health below 40) holds .* The bands are absolute cut-offs\.' a.html ||
    fail "absolute headline: $(grep '<b>Buckets' a.html)"
