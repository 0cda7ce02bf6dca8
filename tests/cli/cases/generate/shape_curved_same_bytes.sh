# --shape curved: the same seed gives the same bytes (data and truth); the
# file is the linear one but for the churned column, which differs; the
# default is --shape linear, whose truth says nothing of shapes; the file
# trains like any other.
"$vitals" generate 3000 --seed 17 --shape curved -o a.csv 2>/dev/null || fail "generate a"
"$vitals" generate 3000 --seed 17 --shape=curved -o b.csv 2>/dev/null || fail "generate b"
cmp -s a.csv b.csv || fail "same seed, different bytes"
cmp -s a.csv.truth.json b.csv.truth.json || fail "same seed, different truth"
"$vitals" generate 3000 --seed 18 --shape curved -o c.csv 2>/dev/null || fail "generate c"
! cmp -s a.csv c.csv || fail "different seeds, same bytes"
[ "$(wc -l <a.csv)" -eq 3001 ] || fail "expected 3000 rows and a header"

"$vitals" generate 3000 --seed 17 -o linear.csv 2>/dev/null || fail "generate linear"
"$vitals" generate 3000 --seed 17 --shape linear -o linear2.csv 2>/dev/null || fail "generate --shape linear"
cmp -s linear.csv linear2.csv || fail "--shape linear is not the default"
cmp -s linear.csv.truth.json linear2.csv.truth.json || fail "--shape linear's truth is not the default's"
! grep -q '"shape"\|"curves"' linear.csv.truth.json || fail "the linear truth mentions curves"
! cmp -s a.csv linear.csv || fail "curved and linear files are the same"
cut -d, -f1-16,18 a.csv >a.rest
cut -d, -f1-16,18 linear.csv >linear.rest
cmp -s a.rest linear.rest || fail "a column other than churned differs from the linear file"
differ=$(cut -d, -f17 a.csv | paste -d, - linear.csv | awk -F, 'NR > 1 && $1 != $18' | wc -l)
[ "$differ" -ge 100 ] || fail "only $differ of 3000 churned labels differ from the linear file's"

"$vitals" train a.csv --churn churned --expansion expanded --id account_id --quiet -o model.json 2>/dev/null \
    || fail "train on the curved file"
"$vitals" predict model.json a.csv -o scores.csv 2>/dev/null || fail "predict on the curved file"
[ "$(wc -l <scores.csv)" -eq 3001 ] || fail "scores"
