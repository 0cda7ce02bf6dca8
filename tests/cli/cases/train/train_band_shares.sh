    # Issue 13: --red-share/--yellow-share set the model's bands from the
    # fitting rows; on the held-out rows the shares are within sampling
    # error of the request: |held out - asked| <= 4 binomial sd
    # (sqrt(p (1 - p) / n_held_out)) + |fitting rows - asked| (whole-number
    # health cannot split a tie; that gap itself at most 0.01).  The bands are the model's: predict needs
    # nothing new, and the stored held-out buckets are counted under them.
    "$vitals" generate 20000 --seed 41 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --drop expanded --id account_id --holdout 0.3 \
        --red-share 0.05 --yellow-share 0.2 --quiet -o m.json 2>notes.txt || fail "train"
    line=$(grep '^vitals: bands from shares' notes.txt) || fail "no bands line: $(cat notes.txt)"
    echo "$line" | awk -v asked_red=0.05 -v asked_yellow=0.2 '{
        for (i = 1; i <= NF; i++) if ($i ~ /%,?$/) { v = $i; sub(/%,?/, "", v); s[++k] = v / 100 }
        n = 0; for (i = 1; i <= NF; i++) if ($i == "held-out") n = $(i - 1)
        # s[1], s[2]: red, yellow of the fitting rows; s[3], s[4]: held out
        ok = n > 5000
        split(asked_red " " asked_yellow, p, " ")
        for (j = 1; j <= 2; j++) {
            gap = s[j] - p[j]; if (gap < 0) gap = -gap
            if (gap > 0.01) ok = 0
            d = s[j + 2] - p[j]; if (d < 0) d = -d
            if (d > 4 * sqrt(p[j] * (1 - p[j]) / n) + gap + 0.001) ok = 0
        }
        exit !ok }' || fail "held-out shares not within sampling error: $line"
    red=$(awk '/"red_below":/ { sub(/.*:[ \t]*/, ""); sub(/,$/, ""); print; exit }' m.json)
    echo "$line" | grep -q "red below $red," || fail "the model's red_below $red is not the one reported"
    "$vitals" predict m.json g.csv --quiet -o s.csv || fail "predict"
    awk -F, 'NR > 1 { n++; red += $4 == "red"; yellow += $4 == "yellow" } END {
        exit !(red / n > 0.04 && red / n < 0.06 && yellow / n > 0.18 && yellow / n < 0.22) }' s.csv ||
        fail "predict's shares are off the request"
    # --folds: the out-of-fold shares; without validation, the fitting rows only.
    "$vitals" train g.csv --churn churned --drop expanded --id account_id --folds 3 \
        --red-share 0.05 --yellow-share 0.2 --quiet -o f.json 2>notes.txt || fail "train --folds"
    grep -q 'of the 20000 out-of-fold rows' notes.txt || fail "no out-of-fold shares"
    expect_fail "^vitals: --red-share and --yellow-share go together$" \
        "$vitals" train g.csv --churn churned --red-share 0.1 -o x.json
    # --by: one pair of bands over every fitting row, scored by its level's model
    "$vitals" train g.csv --churn churned --drop expanded --id account_id --by segment --red-share 0.1 \
        --yellow-share 0.1 --quiet -o b.json 2>notes.txt || fail "train --by --red-share"
    grep -q "^vitals: bands from shares: .* of the 20000 fitting rows, each scored by its level's model (asked: red 0.1, yellow 0.1)$" \
        notes.txt || fail "no --by bands line: $(cat notes.txt)"
    "$vitals" predict b.json g.csv --quiet -o sb.csv || fail "predict --by"
    awk -F, 'NR > 1 { n++; red += $4 == "red"; yellow += $4 == "yellow" } END {
        exit !(red / n > 0.09 && red / n < 0.11 && yellow / n > 0.09 && yellow / n < 0.11) }' sb.csv ||
        fail "predict's shares under --by are off the request"
