# Model format 2 (smooth terms) still reads format 1: the committed
# format-1 model (tests/data/sql/model.json, a --by region linear model
# written before smooth terms) loads and scores the same bytes as before;
# the expected lines were checked against the probabilities recomputed from
# the file's coefficients (each level's own, impute value for a missing
# charge).  And a linear model written now, relabelled format 1, scores the
# same bytes as the format-2 file.
old="$fixtures/sql/model.json"
grep -q '"format_version":[[:space:]]*1,' "$old" || fail "the fixture is no longer format 1"
cat >f.csv <<'CSV'
customer id,Total day charge,"plan ""tier""",region
c1,10.5,O'Brien,north
c2,,plain,south
c3,40,back\slash,north
c4,0,plain,north
c5,55.25,O'Brien,south
c6,NA,back\slash,south
c7,25,plain,north
c8,-3,back\slash,south
CSV
cat >expected.csv <<'CSV'
customer id,churn_risk,health,bucket,churn_driver_1,churn_driver_1_effect,churn_driver_2,churn_driver_2_effect
c1,0.10205559761047309,90,green,Total day charge,-2.7204260835613105,"plan ""tier""",-0.48822709049096763
c2,0.67230748155918552,33,red,"plan ""tier""",1.1112954547512162,Total day charge,0.44141343877549138
c3,0.95390908416762765,5,red,Total day charge,2.7844156075629281,"plan ""tier""",-0.78852587709870869
c4,0.078863026547427689,92,green,Total day charge,-4.6797765159953615,"plan ""tier""",1.1878175149475927
c5,0.81757511347773471,18,red,Total day charge,2.9858531687735099,"plan ""tier""",-0.65178007515313241
c6,0.28369872092967846,72,green,"plan ""tier""",-0.53353264404386247,Total day charge,0.44141343877549138
c7,0.90089634070956093,10,red,"plan ""tier""",1.1878175149475927,Total day charge,-0.014656438771430339
c8,0.015225821692842223,98,green,Total day charge,-2.8018181073893267,"plan ""tier""",-0.53353264404386247
CSV
"$vitals" predict "$old" f.csv --explain 2 -o s.csv 2>err.txt || { cat err.txt; fail "predict with the format-1 model"; }
cmp -s expected.csv s.csv || fail "the format-1 model scores differently: $(diff expected.csv s.csv | head -6)"
"$vitals" summary "$old" >/dev/null || fail "summary of the format-1 model"
# Written now (format 3, no smooth term or pair), relabelled format 1: the same bytes.
"$vitals" generate 3000 --shape curved --seed 46 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --expansion expanded --id account_id -o model.json --quiet 2>/dev/null || fail "train"
grep -q '"format_version":[[:space:]]*3,' model.json || fail "a new model is not format 3"
grep -q '"smooth"' model.json && fail "a linear model has a smooth field"
. "${case_file%/cases/*}/edit_json.sh"
set_field format_version 1 v1.json
"$vitals" predict model.json g.csv --explain 3 -o s2.csv --quiet || fail "predict format 2"
"$vitals" predict v1.json g.csv --explain 3 -o s1.csv --quiet || fail "predict format 1"
cmp -s s1.csv s2.csv || fail "format 1 and format 2 score differently"
"$vitals" summary v1.json >sum1.txt || fail "summary format 1"
"$vitals" summary model.json >sum2.txt || fail "summary format 2"
cmp -s sum1.txt sum2.txt || fail "summary differs: $(diff sum1.txt sum2.txt | head -4)"
