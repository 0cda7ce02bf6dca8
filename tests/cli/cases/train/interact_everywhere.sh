# --interact on generated accounts: the pair terms are R's names, drivers
# name a pair "A x B" and every driver, pairs included, sums with the
# baseline to the log-odds; the model reloads and scores the same; the
# streamed fit (--memory-limit) writes the same model bytes; summary, diff
# and compare show the pairs.
"$vitals" generate 5000 --seed 8 -o g.csv 2>/dev/null || fail "generate"
pairs='usage_trend:lifecycle_stage,seats:nps,segment:lifecycle_stage'
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --interact "$pairs" -o m.json --quiet \
    2>/dev/null || fail "train"
for term in 'usage_trend:lifecycle_stagematurity' 'seats:nps' 'segmentsmb:lifecycle_stageonboarding'; do
    grep -q "\"$term\"" m.json || fail "no term $term"
done
"$vitals" predict m.json g.csv --explain 18 -o s.csv --quiet || fail "predict --explain"
grep -q ',usage_trend x lifecycle_stage,' s.csv || fail "no driver named 'usage_trend x lifecycle_stage'"
"$CHECK_FIT" explain m.json s.csv || fail "effects do not sum to the log-odds"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id --interact "$pairs" -o str.json --quiet \
    --memory-limit 64K 2>/dev/null || fail "train streamed"
grep -v created_at m.json >a.txt
grep -v created_at str.json >b.txt
cmp -s a.txt b.txt || fail "the streamed fit differs: $(diff a.txt b.txt | head -5)"
"$vitals" summary m.json >summary.txt || fail "summary"
grep -q '^seats:nps ' summary.txt || fail "summary lacks seats:nps: $(grep -n nps summary.txt | head -3)"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o plain.json --quiet 2>/dev/null ||
    fail "train plain"
"$vitals" diff plain.json m.json >diff.txt || true
grep -q 'seats:nps' diff.txt || fail "diff does not name the new pair term: $(head -5 diff.txt)"
grep -q '^  seats x nps: interaction added$' diff.txt || fail "diff does not say the pair was added: $(grep -A4 encoding diff.txt)"
# The report draws the pair terms among the odds ratios, a pair with
# several terms heading them.
"$vitals" report m.json -o r.html || fail "report"
grep -q '<title>seats:nps: odds ratio ' r.html || fail "report: no odds ratio for seats:nps"
grep -q '>usage_trend x lifecycle_stage<' r.html || fail "report: no heading for the pair usage_trend x lifecycle_stage"
# A format-2 file with interactions would be scored without them by an
# older vitals: the loader refuses the combination, naming the field.
. "${case_file%/cases/*}/edit_json.sh"
set_field format_version 2 v2.json 1 m.json
expect_fail '^vitals: v2\.json:[0-9]+:[0-9]+: .*interactions need format_version 3 or later' \
    "$vitals" predict v2.json g.csv -o s2.csv
no_file s2.csv
# The pair named in a model must be a linear feature's.
sed "s/\"seats\", \"nps\"/\"seats\", \"nosuch\"/" m.json >bad.json
grep -q nosuch bad.json || fail "the edit did not happen: $(grep -n '"columns"' m.json | head -2)"
expect_fail '^vitals: bad\.json:[0-9]+:[0-9]+: .*interaction of "nosuch", which is not a feature' \
    "$vitals" predict bad.json g.csv -o s3.csv
