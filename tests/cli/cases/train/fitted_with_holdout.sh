# --fitted with --holdout or --time-col (issue 22): every used row, marked
# fitted or held_out as the split made it, scored by the saved model (equal
# to predict to the bit), with the observed outcome beside each target's
# probability; without --id the rows are numbered by their line, as predict
# numbers them.
"$vitals" generate 4000 --seed 31 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --holdout 0.25 --fitted f.csv \
    -o m.json --quiet >/dev/null 2>&1 || fail "train --holdout --fitted"
head -1 f.csv | grep -qx 'account_id,set,churn,churned,expansion,expanded' || fail "header: $(head -1 f.csv)"
held=$(grep -c ',held_out,' f.csv)
[ "$held" -eq 1000 ] || fail "$held rows held out, not 1000"
[ "$(grep -c ',fitted,' f.csv)" -eq 3000 ] || fail "not 3000 fitted rows"
grep -q '"n_obs":[[:space:]]*3000' m.json || fail "the model is not fitted on the 3000 kept rows"
"$vitals" predict m.json g.csv -o p.csv --quiet || fail "predict"
awk -F, 'NR == FNR { churn[$1] = $3; expansion[$1] = $5; seen[$1] = $4; next }
    FNR > 1 { n++; if (churn[$1] != $2 || expansion[$1] != $3) differ++ }
    END { exit !(n == 4000 && differ == 0) }' f.csv p.csv || fail "fitted probabilities differ from predict"
awk -F, 'NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) if ($i == "churned") c = i } else y[$1] = $c; next }
    FNR > 1 && y[$1] != $4 { bad++ } END { exit bad > 0 }' g.csv f.csv || fail "the observed outcome is not the label"
# No --id: the line, as predict writes it; a time split marks its rows too.
"$vitals" generate 3000 --months 2 --seed 5 -o t.csv 2>/dev/null || fail "generate --months"
"$vitals" train t.csv --churn churned --drop account_id,expanded --time-col snapshot_date --holdout-after 2024-01-15 \
    --fitted tf.csv -o tm.json --quiet >/dev/null 2>&1 || fail "train --time-col --fitted"
head -1 tf.csv | grep -qx 'line,set,churn,churned' || fail "time split header: $(head -1 tf.csv)"
sed -n 2p tf.csv | grep -q '^2,' || fail "the first row is not numbered by its line (2)"
"$vitals" predict tm.json t.csv -o tp.csv --quiet || fail "predict without id"
cut -d, -f1 tp.csv | tail -n +2 >predict_lines.txt
cut -d, -f1 tf.csv | tail -n +2 | cmp -s - predict_lines.txt || fail "fitted rows are not numbered as predict numbers them"
awk -F, 'NR > 1 { s[$2 > "2024-01-15" ? "late" : "early"]++ } END { print s["late"] }' t.csv >late.txt
[ "$(grep -c ',held_out,' tf.csv)" -eq "$(cat late.txt)" ] || fail "the held-out rows are not the ones after the date"
