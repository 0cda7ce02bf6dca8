# Issue 21: without --bands, train sets the bands from shares of the
# fitting rows (red the riskiest 5%, yellow the next 15%), records how in
# the model, and says so; --bands R,Y keeps absolute cut-offs; a model file
# from before the bands had a source loads as absolute and scores as before.
"$vitals" generate 20000 --seed 43 -o g.csv 2>/dev/null || fail "generate"
# within 1 point of the request, on the fitting rows (all of them here)
shares_ok() { # SCORES.csv RED YELLOW
    awk -F, -v r="$2" -v y="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "bucket") b = i; next }
        { n++; red += $b == "red"; yellow += $b == "yellow" } END {
        d = red / n - r; e = yellow / n - y; if (d < 0) d = -d; if (e < 0) e = -e
        exit !(n == 20000 && d <= 0.01 && e <= 0.01) }' "$1"
}
field() { # KEY FILE: the first value of "KEY" in a model file
    awk -v key="\"$1\":" '$1 == key { v = $2; sub(/,$/, "", v); gsub(/"/, "", v); print v; exit }' "$2"
}
"$vitals" train g.csv --churn churned --drop expanded --id account_id --quiet -o m.json 2>notes.txt || fail "train"
[ "$(field source m.json)" = shares ] || fail "source not recorded: $(grep -A9 '"bands"' m.json)"
[ "$(field red_share m.json)" = 0.05 ] && [ "$(field yellow_share m.json)" = 0.15 ] &&
    [ "$(field fit_rows m.json)" = 20000 ] || fail "shares asked not recorded: $(grep -A9 '"bands"' m.json)"
red=$(field red_below m.json)
yellow=$(field yellow_below m.json)
grep -q "^vitals: bands from shares: red below $red, yellow below $yellow: red [0-9.]*%, yellow [0-9.]*% of the 20000 fitting rows (asked: red 0.05, yellow 0.15, the default; --bands R,Y sets absolute cut-offs)$" notes.txt ||
    fail "no bands note: $(cat notes.txt)"
"$vitals" predict m.json g.csv --quiet -o s.csv || fail "predict"
shares_ok s.csv 0.05 0.15 || fail "default bands $red/$yellow: shares off 5% / 15%"
# the fit shares stored are the ones predict gives the fitting rows
awk -F, -v r="$(field fit_red_share m.json)" -v y="$(field fit_yellow_share m.json)" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "bucket") b = i; next } { n++; red += $b == "red"; yellow += $b == "yellow" } END { exit !(red / n == r && yellow / n == y) }' s.csv ||
    fail "stored fit shares are not predict's"
"$vitals" summary m.json | grep -q "^Health bands: red below $red, yellow below $yellow .*set from shares of the fitting rows: red 5% and yellow 15% asked" ||
    fail "summary does not say how the bands were set"
# --by: one pair of bands, over every fitting row scored by its level's model (as predict routes it)
"$vitals" train g.csv --churn churned --drop expanded --id account_id --by segment --quiet -o by.json 2>notes.txt ||
    fail "train --by"
grep -q "of the 20000 fitting rows, each scored by its level's model" notes.txt || fail "no --by bands note: $(cat notes.txt)"
"$vitals" predict by.json g.csv --quiet -o sby.csv || fail "predict --by"
shares_ok sby.csv 0.05 0.15 || fail "--by default bands: shares off 5% / 15%"
# the held-out buckets, recounted under the bands set from shares, count rows and events
# unweighted as the rest of the validation does (regression: --balance's weights made
# the red bucket hold more events than rows); --folds: each fold's too (the folds' buckets
# add up to the pooled ones)
for split in "--holdout 0.3" "--folds 3"; do
    "$vitals" train g.csv --churn churned --drop expanded --id account_id --balance $split --quiet -o v.json \
        2>/dev/null || fail "train --balance $split"
    # per "buckets" block (the overall first, then each fold's): rows and events of red, yellow, green
    awk '/"events":/ && !total_seen { v = $2; sub(/,$/, "", v); total = v; total_seen = 1 }
         /"buckets":/ { n++; on = 1 } on && /"(red|yellow|green)":/ { b = $1; gsub(/[":]/, "", b) }
         on && /"rows":/ { r = $2; sub(/,$/, "", r); rows[n, b] = r }
         on && /"events":/ { e = $2; sub(/,$/, "", e); events[n, b] = e; if (e + 0 > r + 0) bad = 1
                             if (b == "green") on = 0 }
         END { split("red yellow green", names, " ")
               for (j = 1; j <= 3; j++) { b = names[j]; sum += events[1, b]; fr = fe = 0
                   for (i = 2; i <= n; i++) { fr += rows[i, b]; fe += events[i, b] }
                   if (n > 1 && (fr != rows[1, b] || fe != events[1, b])) bad = 1 }
               exit bad || n == 0 || sum != total }' v.json ||
        fail "$split: held-out buckets not counted as the validation: $(grep -A13 '"buckets"' v.json | head -14)"
done
# --bands keeps absolute cut-offs
"$vitals" train g.csv --churn churned --drop expanded --id account_id --bands 40,70 --quiet -o a.json 2>notes.txt ||
    fail "train --bands"
[ "$(field red_below a.json)" = 40 ] && [ "$(field yellow_below a.json)" = 70 ] &&
    [ "$(field source a.json)" = absolute ] || fail "--bands 40,70 not kept: $(grep -A5 '"bands"' a.json)"
grep -q "^vitals: bands absolute (--bands): red below 40, yellow below 70$" notes.txt || fail "no absolute note"
grep -q '"red_share"' a.json && fail "shares stored with --bands"
"$vitals" summary a.json --json | grep -q '"source":[[:space:]]*"absolute"' || fail "summary --json: no absolute source"
# a model file from before the bands had a source: loads as absolute, scores the same bytes
old_bands() { # IN OUT: the bands object cut after yellow_below, as vitals wrote it before
    awk '/"bands":/ { bands = 1 } bands && /"yellow_below":/ { sub(/,[ \t]*$/, ""); print; cut = 1; next }
         cut && /^[ \t]*}/ { cut = bands = 0 } !cut { print }' "$1" >"$2"
    ! grep -q -e '"source":' -e '_share":' -e '"fit_rows":' "$2" || fail "$2: the source was not removed"
}
old_bands a.json old.json
"$vitals" predict a.json g.csv --quiet -o sa.csv || fail "predict"
"$vitals" predict old.json g.csv --quiet -o sold.csv || fail "predict with an old model file"
cmp -s sa.csv sold.csv || fail "an old model file scores differently"
"$vitals" summary old.json | grep -q "^Health bands: red below 40, yellow below 70 .*absolute cut-offs$" ||
    fail "an old model file does not read as absolute"
old_bands m.json old-shares.json
"$vitals" predict old-shares.json g.csv --quiet -o sos.csv || fail "predict with an old model file"
cmp -s s.csv sos.csv || fail "the bands stored are not the ones predict uses"
# a source that is neither is refused, naming the field
sed 's/"source":[[:space:]]*"absolute"/"source": "guess"/' a.json >bad.json
expect_fail "bands\.source.*expected \"shares\" or \"absolute\"" "$vitals" predict bad.json g.csv -o x.csv
no_file x.csv
expect_fail "^vitals: --bands sets absolute cut-offs, --red-share and --yellow-share shares of the rows: choose one$" \
    "$vitals" train g.csv --churn churned --bands 40,70 --red-share 0.1 --yellow-share 0.1 -o x.json
no_file x.json
