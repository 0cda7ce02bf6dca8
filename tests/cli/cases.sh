#!/bin/sh
# Command-line tests: one case per CTest test.  Usage: cases.sh VITALS FIXTURES CASE
# Each bad-input case must exit non-zero with exactly one line on stderr that
# names the file (and line:column where one applies), and leave no output file.
set -u
vitals=$1
fixtures=$2
CHECK_FIT=${CHECK_FIT:-$(dirname "$vitals")/tests/check_fit}
case_name=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() { echo "FAIL [$case_name]: $*"; exit 1; }

# expect_fail REGEX COMMAND...: non-zero exit, one stderr line matching REGEX.
expect_fail() {
    regex=$1
    shift
    if "$@" >stdout.txt 2>stderr.txt; then fail "expected failure: $*"; fi
    lines=$(wc -l <stderr.txt)
    [ "$lines" -eq 1 ] || { cat stderr.txt; fail "stderr has $lines lines, not 1"; }
    grep -Eq -- "$regex" stderr.txt || { cat stderr.txt; fail "stderr does not match: $regex"; }
    leftovers=$(ls | grep -E '\.tmp\.' || true)
    [ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
}

no_file() { [ ! -e "$1" ] || fail "$1 should not exist"; }

train_small() {
    printf 'id,x,plan,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,a,0\n4,0.1,b,1\n5,3.3,a,1\n6,0.7,b,0\n7,1.1,a,0\n8,2.2,b,1\n' >small.csv
    "$vitals" train small.csv --churn churn --id id -o model.json --quiet 2>/dev/null || fail "training the small model"
}

case $case_name in
empty_file)
    : >empty.csv
    expect_fail '^vitals: empty\.csv: empty file' "$vitals" train empty.csv --churn churn -o m.json
    no_file m.json ;;
header_only)
    printf 'x,churn\n' >h.csv
    expect_fail '^vitals: h\.csv: no data rows' "$vitals" train h.csv --churn churn -o m.json
    no_file m.json ;;
ragged_too_few)
    printf 'x,y,churn\n1,2,0\n1,1\n' >r.csv
    expect_fail '^vitals: r\.csv:3:3: row has 2 fields, the header has 3' "$vitals" train r.csv --churn churn -o m.json
    no_file m.json ;;
ragged_too_many)
    printf 'x,y,churn\r\n1,2,0\r\n"a\r\nb",2,1\r\n1,2,3,0\r\n' >r.csv
    expect_fail '^vitals: r\.csv:5:4: row has 4 fields' "$vitals" train r.csv --churn churn -o m.json
    no_file m.json ;;
unterminated_quote)
    printf 'x,y,churn\n1,2,0\n1,"2,1\n3,4,0\n' >q.csv
    expect_fail '^vitals: q\.csv:3: malformed CSV' "$vitals" train q.csv --churn churn -o m.json
    no_file m.json ;;
text_in_numeric)
    printf 'x,churn\n1.5,0\n2,1\nabc,0\n4,1\n' >t.csv
    expect_fail "^vitals: t\.csv:4:1: column 'x': 'abc' is not a number.*--categorical x" "$vitals" train t.csv --churn churn -o m.json
    no_file m.json ;;
inf_in_numeric)
    printf 'x,churn\n1.5,0\n-inf,1\n' >t.csv
    expect_fail "^vitals: t\.csv:3:1: column 'x': '-inf' is not a finite number" "$vitals" train t.csv --churn churn -o m.json
    no_file m.json ;;
nan_in_numeric)
    printf 'x,churn\n1.5,0\n-nan,1\n' >t.csv
    expect_fail "^vitals: t\.csv:3:1: column 'x': '-nan' is not a finite number" "$vitals" train t.csv --churn churn -o m.json
    printf 'x,churn\n1.5,0\nnan,1\n2,0\n' >u.csv
    expect_fail "^vitals: u\.csv:3:1: column 'x' is missing" "$vitals" train u.csv --churn churn --missing error -o m.json
    no_file m.json ;;
overflow_in_numeric)
    printf 'x,churn\n1.5,0\n1e999,1\n' >t.csv
    expect_fail "^vitals: t\.csv:3:1: column 'x': '1e999' is out of the range" "$vitals" train t.csv --churn churn -o m.json
    no_file m.json ;;
label_not_binary)
    printf 'x,churn\n1,yes\n2,No\n3,maybe\n' >l.csv
    expect_fail "^vitals: l\.csv:4:2: label column 'churn': 'maybe' is not 0/1" "$vitals" train l.csv --churn churn -o m.json
    no_file m.json ;;
label_one_class)
    printf 'x,churn\n1,0\n2,0\n3,no\n' >l.csv
    expect_fail "^vitals: l\.csv.*label column 'churn' has a single class" "$vitals" train l.csv --churn churn -o m.json
    no_file m.json ;;
missing_label_column)
    printf 'x,churn\n1,0\n2,1\n' >l.csv
    expect_fail "^vitals: l\.csv: --churn: no column 'churned'" "$vitals" train l.csv --churn churned -o m.json
    no_file m.json ;;
unknown_column_option)
    printf 'x,churn\n1,0\n2,1\n' >l.csv
    expect_fail "^vitals: l\.csv: --drop: no column 'nope'" "$vitals" train l.csv --churn churn --drop nope -o m.json
    no_file m.json ;;
duplicate_header)
    printf 'x,y,x,churn\n1,2,3,0\n' >d.csv
    expect_fail "^vitals: d\.csv:1:3: duplicate column name 'x'" "$vitals" train d.csv --churn churn -o m.json
    no_file m.json ;;
empty_header_name)
    printf 'x,,churn\n1,2,0\n' >d.csv
    expect_fail "^vitals: d\.csv:1:2: empty column name" "$vitals" train d.csv --churn churn -o m.json
    no_file m.json ;;
binary_garbage)
    printf '\177ELF\002\001\001\000\000\000\000\000\003\000>\000\001\000\000\000\n\000\000' >g.csv
    expect_fail "^vitals: g\.csv:1: binary data" "$vitals" train g.csv --churn churn -o m.json
    no_file m.json ;;
unknown_option)
    printf 'x,churn\n1,0\n2,1\n' >l.csv
    expect_fail "unknown option '--frobnicate'" "$vitals" train l.csv --churn churn --frobnicate 1 -o m.json
    no_file m.json ;;
model_truncated)
    train_small
    head -c 300 model.json >cut.json
    expect_fail '^vitals: cut\.json:[0-9]+:[0-9]+: not a valid model: the JSON ends early' "$vitals" predict cut.json small.csv -o s.csv
    no_file s.csv ;;
model_not_json)
    train_small
    printf 'account_id,churn\n' >notjson.json
    expect_fail '^vitals: notjson\.json:1:1: not a valid model: malformed JSON' "$vitals" predict notjson.json small.csv -o s.csv
    no_file s.csv ;;
model_newer_format)
    train_small
    sed 's/"format_version":[[:space:]]*1/"format_version": 2/' model.json >newer.json
    expect_fail '^vitals: newer\.json: model format version 2 is newer' "$vitals" predict newer.json small.csv -o s.csv
    no_file s.csv ;;
model_missing_estimate)
    train_small
    awk '/"estimate"/ && !done { done = 1; next } { print }' model.json >noest.json
    expect_fail "^vitals: noest\.json: not a valid vitals model: term '\(Intercept\)' of target 'churn' lacks 'estimate'" "$vitals" predict noest.json small.csv -o s.csv
    no_file s.csv ;;
predict_missing_column)
    train_small
    printf 'id,plan\n1,a\n' >nox.csv
    expect_fail "^vitals: nox\.csv:1: the model needs column 'x'" "$vitals" predict model.json nox.csv -o s.csv
    no_file s.csv ;;
predict_bad_cell_keeps_old_output)
    train_small
    printf 'id,x,plan\n1,0.5,a\n2,oops,b\n' >bad.csv
    echo "previous scores" >s.csv
    expect_fail "^vitals: bad\.csv:3:2: column 'x': 'oops' is not a number" "$vitals" predict model.json bad.csv -o s.csv
    [ "$(cat s.csv)" = "previous scores" ] || fail "old output was changed" ;;
predict_unseen_level)
    train_small
    printf 'id,x,plan\n1,0.5,a\n2,1.5,zzz\n' >new.csv
    expect_fail "^vitals: new\.csv:3:3: column 'plan': level 'zzz' was not seen" "$vitals" predict model.json new.csv -o s.csv
    no_file s.csv
    "$vitals" predict model.json new.csv --unseen baseline -o s.csv 2>err.txt || fail "--unseen baseline failed"
    grep -q '1 unseen levels scored as baseline' err.txt || fail "unseen count not reported"
    [ "$(wc -l <s.csv)" -eq 3 ] || fail "expected 2 scored rows" ;;
output_dir_missing)
    train_small
    expect_fail '^vitals: no/such/dir/m\.json: cannot create output' "$vitals" train small.csv --churn churn --id id -o no/such/dir/m.json
    expect_fail '^vitals: no/such/dir/s\.csv: cannot create output' "$vitals" predict model.json small.csv -o no/such/dir/s.csv ;;
stdin_stdout)
    train_small
    "$vitals" predict model.json - <small.csv >s1.csv 2>/dev/null || fail "predict from stdin"
    "$vitals" predict model.json small.csv -o s2.csv 2>/dev/null || fail "predict to file"
    cmp -s s1.csv s2.csv || fail "stdin/stdout output differs from file output"
    head -1 s1.csv | grep -qx 'id,churn_risk,health,bucket' || fail "bad header: $(head -1 s1.csv)" ;;
delimiter_and_quotes)
    printf '\357\273\277id;x;plan;churn\r\n1;0,5;"a;b";0\r\n' >/dev/null
    printf '\357\273\277id;x;plan;churn\r\n1;0.5;"a;x";0\r\n2;1.5;b;1\r\n3;2.5;"a;x";0\r\n4;0.1;b;1\r\n5;3.3;"a;x";1\r\n6;0.7;b;0\r\n' >semi.csv
    "$vitals" train semi.csv --delimiter ';' --churn churn --id id -o m.json --quiet 2>/dev/null || fail "train with ; and BOM"
    grep -q '"planb"' m.json || fail "term planb missing (levels: a;x baseline, b)"
    "$vitals" predict m.json semi.csv -o s.csv 2>/dev/null || fail "predict with the model's delimiter"
    [ "$(wc -l <s.csv)" -eq 7 ] || fail "expected 6 scored rows" ;;
help_everywhere)
    for command in train predict generate summary diff score compare; do
        "$vitals" $command --help | grep -q "usage: vitals $command" || fail "$command --help"
    done ;;
round_trip)
    # predict's probabilities equal the fitted values of training (<= 1e-12).
    "$vitals" generate 20000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --fitted fitted.csv -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" predict m.json g.csv -o s.csv 2>/dev/null || fail "predict"
    awk -F, 'NR == FNR { churn[$1] = $2; expansion[$1] = $3; next }
        FNR > 1 {
            n++
            d1 = $2 - churn[$1]; if (d1 < 0) d1 = -d1
            d2 = $3 - expansion[$1]; if (d2 < 0) d2 = -d2
            if (d1 > worst) worst = d1
            if (d2 > worst) worst = d2
            if (!($1 in churn)) missing++
        }
        END {
            printf "rows %d, largest difference %.3g\n", n, worst
            exit !(n == 20000 && missing == 0 && worst <= 1e-12)
        }' fitted.csv s.csv || fail "predict differs from the fitted values" ;;
generate_same_bytes)
    "$vitals" generate 5000 --seed 11 -o a.csv 2>/dev/null || fail "generate a"
    "$vitals" generate 5000 --seed 11 -o b.csv 2>/dev/null || fail "generate b"
    "$vitals" generate 5000 --seed 12 -o c.csv 2>/dev/null || fail "generate c"
    cmp -s a.csv b.csv || fail "same seed, different bytes"
    cmp -s a.csv.truth.json b.csv.truth.json || fail "same seed, different truth"
    ! cmp -s a.csv c.csv || fail "different seeds, same bytes"
    [ "$(wc -l <a.csv)" -eq 5001 ] || fail "expected 5000 rows and a header" ;;
mostly_text_is_categorical)
    # A text column with some numeric-looking levels is categorical, not an error.
    printf 'plan,x,churn\n1,0.5,0\nbasic,1.5,1\npro,2.5,0\nbasic,0.1,1\npro,3.3,1\nbasic,0.7,0\npro,1.1,0\n' >p.csv
    "$vitals" train p.csv --churn churn -o m.json --quiet 2>/dev/null || fail "train"
    grep -q '"planbasic"' m.json && grep -q '"planpro"' m.json || fail "levels basic and pro against baseline 1" ;;
impute_and_drop_counts)
    printf 'x,plan,churn\n1,a,0\n,b,1\n3,,0\nNA,a,0\n2,b,1\n4,a,0\n5,b,0\n0.5,,1\n1.5,a,1\n2.5,b,0\n' >m.csv
    "$vitals" train m.csv --churn churn -o imp.json --quiet 2>err.txt || fail "impute"
    grep -q "column 'x': 2 missing cells imputed" err.txt || { cat err.txt; fail "imputed count for x"; }
    grep -q "column 'plan': 2 missing cells imputed" err.txt || fail "imputed count for plan"
    grep -q '"x_missing"' imp.json && grep -q '"plan_missing"' imp.json || fail "indicator terms"
    "$vitals" train m.csv --churn churn --missing drop -o drop.json --quiet 2>err.txt || fail "drop"
    grep -q '10 rows read, 6 used, 4 dropped for a missing feature' err.txt || { cat err.txt; fail "drop count"; }
    expect_fail "^vitals: m\.csv:3:1: column 'x' is missing" "$vitals" train m.csv --churn churn --missing error -o e.json
    no_file e.json ;;
threads_identical)
    "$vitals" generate 30000 --seed 21 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
    for t in 1 2 4; do
        "$vitals" predict m.json g.csv --threads $t --explain 3 -o s$t.csv --quiet || fail "predict --threads $t"
        "$vitals" predict m.json g.csv --threads $t --format jsonl -o j$t.jsonl --quiet || fail "jsonl --threads $t"
    done
    cmp -s s1.csv s2.csv && cmp -s s1.csv s4.csv || fail "scores differ between thread counts"
    cmp -s j1.jsonl j2.jsonl && cmp -s j1.jsonl j4.jsonl || fail "jsonl differs between thread counts"
    [ "$(wc -l <s1.csv)" -eq 30001 ] || fail "expected 30000 rows"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --threads 1 -o m1.json --quiet 2>/dev/null || fail "train 1 thread"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --threads 3 -o m3.json --quiet 2>/dev/null || fail "train 3 threads"
    grep -v created_at m1.json >m1.txt && grep -v created_at m3.json >m3.txt
    cmp -s m1.txt m3.txt || fail "the model depends on the training thread count" ;;
quoted_newlines_across_blocks)
    # ~1.6 MB, so the 1 MB blocks cut between records whose ids hold line ends.
    awk 'BEGIN { print "id,x,churn"; for (i = 1; i <= 60000; i++) printf "\"acct\n%d\",%d.5,%d\r\n", i, i % 17, (i * 7) % 3 == 0 }' >q.csv
    "$vitals" train q.csv --churn churn --id id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" predict m.json q.csv --threads 1 -o one.csv --quiet || fail "predict 1 thread"
    "$vitals" predict m.json q.csv --threads 3 -o three.csv --quiet || fail "predict 3 threads"
    cmp -s one.csv three.csv || fail "thread counts disagree"
    "$vitals" predict m.json q.csv --format jsonl -o q.jsonl --quiet || fail "predict jsonl"
    awk -v want=1 '{ if (index($0, "{\"id\":\"acct\\n" want "\"") != 1) { print "line " NR ": " $0; exit 1 } want++ }
        END { if (want != 60001) { print "rows: " want - 1; exit 1 } }' q.jsonl || fail "ids out of order or lost"
    printf 'id,x,churn\n"a\nb",1,0\n"c",oops,1\n' >bad.csv
    expect_fail "^vitals: bad\.csv:4:2: column 'x': 'oops' is not a number" "$vitals" predict m.json bad.csv -o s.csv
    no_file s.csv ;;
long_names_explained)
    # Regression (2026-11-23): output space for drivers assumed names <= 256 bytes.
    long=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "\"" }')
    name="n${long}x"
    printf 'id,"%s",churn\n1,0.5,0\n2,1.5,1\n3,2.5,0\n4,0.1,1\n5,3.3,1\n6,0.7,0\n' "$(printf '%s' "$name" | sed 's/"/""/g')" >l.csv
    "$vitals" train l.csv --churn churn --id id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" predict m.json l.csv --explain 1 --format jsonl -o s.jsonl --quiet || fail "predict jsonl"
    "$vitals" predict m.json l.csv --explain 1 -o s.csv --quiet || fail "predict csv"
    [ "$(wc -l <s.jsonl)" -eq 6 ] || fail "expected 6 rows" ;;
validation_options)
    train_small
    expect_fail "^vitals: --holdout: '1.5' is not a share between 0 and 1" "$vitals" train small.csv --churn churn --holdout 1.5 -o v.json
    expect_fail "^vitals: --folds: '1' is not a whole number from 2 to 100" "$vitals" train small.csv --churn churn --folds 1 -o v.json
    expect_fail "^vitals: choose one of --holdout, --folds" "$vitals" train small.csv --churn churn --holdout 0.2 --folds 5 -o v.json
    expect_fail "^vitals: --time-col and --holdout-after go together" "$vitals" train small.csv --churn churn --time-col id -o v.json
    expect_fail "^vitals: --holdout-after: '30/06/2026' is not an ISO date" "$vitals" train small.csv --churn churn --time-col id --holdout-after 30/06/2026 -o v.json
    expect_fail "^vitals: small\.csv:2:1: --time-col: '1' is not an ISO date" "$vitals" train small.csv --churn churn --time-col id --holdout-after 2026-06-30 -o v.json
    expect_fail "^vitals: --fitted cannot be combined with --holdout" "$vitals" train small.csv --churn churn --holdout 0.3 --fitted f.csv -o v.json
    no_file v.json
    no_file f.csv ;;
validation_holdout_folds)
    "$vitals" generate 20000 --seed 12 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --holdout 0.25 -o h1.json >h.txt 2>/dev/null || fail "holdout"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --holdout 0.25 -o h2.json --quiet 2>/dev/null || fail "holdout again"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --holdout 0.25 --seed 5 -o h3.json --quiet 2>/dev/null || fail "holdout seed 5"
    grep -v created_at h1.json >a.txt; grep -v created_at h2.json >b.txt; grep -v created_at h3.json >c.txt
    cmp -s a.txt b.txt || fail "the same seed gave a different model"
    ! cmp -s a.txt c.txt || fail "another seed gave the same model"
    grep -q 'churn validation (stratified holdout of 0.25' h.txt && grep -q 'Hosmer-Lemeshow' h.txt && grep -q 'by bucket:' h.txt || fail "printed report"
    grep -q '"n_obs":[[:space:]]*15000' h1.json || fail "the model should be fitted on the 15000 rows not held out"
    grep -q '"roc_auc"' h1.json && grep -q '"calibration_deciles"' h1.json || fail "metrics not stored"
    "$vitals" train g.csv --churn churned --id account_id --folds 4 --fitted oof.csv -o f.json >f.txt 2>/dev/null || fail "folds"
    [ "$(grep -c '  fold [1-4] (' f.txt)" -eq 4 ] && grep -q 'over folds: ROC AUC .* (sd ' f.txt || fail "fold report"
    grep -q '"fold_mean"' f.json && grep -q '"fold_sd"' f.json || fail "fold mean and sd not stored"
    head -1 oof.csv | grep -qx 'account_id,fold,churn' || fail "out-of-fold header: $(head -1 oof.csv)"
    [ "$(cut -d, -f2 oof.csv | tail -n +2 | sort -u | tr '\n' ' ')" = "1 2 3 4 " ] || fail "folds in the out-of-fold file"
    grep -q '"n_obs":[[:space:]]*20000' f.json || fail "after CV the model is fitted on every row" ;;
validation_time_split)
    "$vitals" generate 3000 --seed 13 -o g.csv 2>/dev/null || fail "generate"
    awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "snapshot_date"; next } { printf "%s,2026-%02d-15\n", $0, (NR % 12) + 1 }' g.csv >dated.csv
    later=$(awk -F, 'NR > 1 && $NF > "2026-09-30"' dated.csv | wc -l)
    "$vitals" train dated.csv --churn churned --id account_id --time-col snapshot_date --holdout-after 2026-09-30 -o t.json >t.txt 2>/dev/null || fail "time split"
    grep -q "churn validation (time split: snapshot_date after 2026-09-30 held out): $later rows" t.txt || { grep validation t.txt; fail "held-out rows should be $later"; }
    ! grep -q '"snapshot_date"' t.json || fail "the date column must not be a feature" ;;
separation_and_firth)
    # Every account with unpaid invoices churned: the plain fit is refused,
    # naming the column; Firth's fit converges.
    awk 'BEGIN { srand(3); print "x,unpaid,churn"; for (i = 0; i < 400; i++) { u = (i % 10 == 0); x = rand(); c = u ? 1 : (rand() < 0.3); print x "," u "," c } }' >s.csv
    expect_fail "^vitals: s\.csv: churn model: separation \(every row with unpaid = 1 has churn 1\): no finite estimate.*--firth" "$vitals" train s.csv --churn churn -o m.json
    no_file m.json
    "$vitals" train s.csv --churn churn --firth -o f.json >f.txt 2>/dev/null || fail "--firth"
    grep -q "Firth's penalised likelihood" f.txt || fail "the table should say Firth"
    grep -q '"firth":[[:space:]]*true' f.json || fail "firth not stored"
    "$vitals" predict f.json s.csv -o p.csv --quiet || fail "predict with a Firth model" ;;
weights_and_balance)
    printf 'id,x,w,churn\n1,0.5,1,0\n2,1.5,2,1\n3,2.5,1,0\n4,0.1,3,1\n5,3.3,1,1\n6,0.7,0,0\n7,1.1,1,0\n8,2.2,2,1\n9,1.9,1,0\n10,0.3,1,1\n' >w.csv
    "$vitals" train w.csv --churn churn --id id --weight w -o m.json >t.txt 2>/dev/null || fail "--weight"
    grep -q 'weights from w' t.txt || fail "the table should name the weights"
    grep -q '(9 rows, ' t.txt || fail "a row of weight 0 does not count: $(grep 'churn model' t.txt)"
    ! grep -q '"name":[[:space:]]*"w"' m.json || fail "the weight column must not be a feature"
    "$vitals" train w.csv --churn churn --id id --drop w --balance -o b.json >b.txt 2>/dev/null || fail "--balance"
    grep -q 'classes balanced' b.txt && grep -q '"balance":[[:space:]]*true' b.json || fail "--balance not stated"
    sed 's/^3,2.5,1,0$/3,2.5,-1,0/' w.csv >neg.csv
    expect_fail "^vitals: neg\.csv:4:3: --weight: -1 is negative" "$vitals" train neg.csv --churn churn --id id --weight w -o n.json
    awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = 0 } { print }' w.csv >zero.csv
    expect_fail "^vitals: zero\.csv: --weight: every weight is 0" "$vitals" train zero.csv --churn churn --id id --weight w -o n.json
    expect_fail "^vitals: w\.csv: --weight: no column 'nope'" "$vitals" train w.csv --churn churn --weight nope -o n.json
    no_file n.json ;;
ridge_options)
    "$vitals" generate 3000 --seed 14 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --id account_id --drop expanded --l2 0.1 -o r.json >r.txt 2>/dev/null || fail "--l2 0.1"
    grep -q 'ridge: l2 = 0.1' r.txt && grep -q '"l2":[[:space:]]*0.1' r.json || fail "ridge not stated or stored"
    "$vitals" train g.csv --churn churned --id account_id --drop expanded --l2 cv --folds 3 -o c.json >c.txt 2>/dev/null || fail "--l2 cv"
    grep -q 'l2 chosen by 3-fold cross-validated log-loss' c.txt && grep -q '"l2_cross_validation"' c.json || fail "cv curve"
    "$vitals" predict c.json g.csv -o p.csv --quiet || fail "predict with a ridge model"
    expect_fail "^vitals: --l2: '0' is not a positive strength or cv" "$vitals" train g.csv --churn churned --l2 0 -o x.json
    expect_fail "^vitals: --l2: 'much' is not a number" "$vitals" train g.csv --churn churned --l2 much -o x.json
    expect_fail "^vitals: --firth and --l2 are two remedies" "$vitals" train g.csv --churn churned --l2 1 --firth -o x.json
    no_file x.json ;;
by_segments)
    "$vitals" generate 8000 --seed 15 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage -o m.json >t.txt 2>/dev/null || fail "--by"
    [ "$(grep -c '^== lifecycle_stage = ' t.txt)" -eq 3 ] || fail "three levels expected"
    grep -q 'the pooled model serves this level (.*fewer than 10 per term' t.txt || fail "a thin level should fall back"
    grep -q '"fallback":[[:space:]]*"pooled"' m.json || fail "fallback not stored"
    # Rows of an unseen level go to the pooled model; everything is checked.
    awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 10 == 0 { $3 = "trial" } { print }' g.csv >mixed.csv
    "$vitals" predict m.json mixed.csv --unseen baseline -o s.csv 2>err.txt || fail "predict"
    grep -q '800 rows of levels without a model of their own scored by the pooled model' err.txt || { cat err.txt; fail "pooled count"; }
    "$CHECK_FIT" segments m.json mixed.csv s.csv || fail "rows not scored by their level's model"
    "$vitals" predict m.json mixed.csv --unseen baseline --threads 3 -o s3.csv --quiet || fail "predict 3 threads"
    cmp -s s.csv s3.csv || fail "segment scores depend on threads"
    "$vitals" summary m.json | grep -q '^== lifecycle_stage = maturity' || fail "summary per level"
    "$vitals" train g.csv --churn churned --id account_id --by lifecycle_stage --holdout 0.25 -o h.json >h.txt 2>/dev/null || fail "--by with --holdout"
    [ "$(grep -c '^churn validation on this level (stratified holdout of 0.25' h.txt)" -eq 3 ] || fail "metrics per level"
    ! grep 'validation on this level' h.txt | grep -q 'ROC AUC 0.0000' || fail "empty metrics per level"
    "$vitals" summary h.json | grep -q '^churn validation on this level' || fail "summary shows metrics per level"
    awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = "adoption" } { print }' g.csv >one.csv
    expect_fail "^vitals: one\.csv: --by lifecycle_stage: the column has a single level" "$vitals" train one.csv --churn churned --id account_id --by lifecycle_stage -o x.json
    no_file x.json ;;
diff_retrains)
    "$vitals" generate 60000 --seed 41 -o a.csv 2>/dev/null || fail "generate a"
    "$vitals" generate 60000 --seed 42 --set churn:unpaid_invoices=1.2 -o b.csv 2>/dev/null || fail "generate b"
    "$vitals" train a.csv --churn churned --drop expanded --id account_id -o a.json --quiet 2>/dev/null || fail "train a"
    "$vitals" train b.csv --churn churned --drop expanded --id account_id -o b.json --quiet 2>/dev/null || fail "train b"
    # A model against itself: nothing changes, z = 0 everywhere, no population shift.
    "$vitals" diff a.json a.json --data a.csv --json -o self.json || fail "diff with itself"
    grep -q '"flagged":[[:space:]]*0' self.json || fail "self diff flags terms"
    [ "$(grep -c '"z":' self.json)" -eq 19 ] && [ "$(grep -c '"z":[[:space:]]*0$' self.json)" -eq 19 ] || fail "self diff z not 0"
    grep -q '"psi_churn_risk":[[:space:]]*0,' self.json && grep -q '"accounts_changing_bucket":[[:space:]]*0' self.json || fail "self PSI"
    # The changed true coefficient, and only it, is flagged.
    "$vitals" diff a.json b.json --data b.csv >d.txt || fail "diff"
    grep -q '^churn: 1 terms changed by more than 3 standard errors' d.txt || { cat d.txt; fail "one flagged term expected"; }
    grep -q '^unpaid_invoices .*<-- changed$' d.txt || fail "unpaid_invoices not flagged"
    grep -q 'nps: imputation value' d.txt || fail "nps imputation change not listed"
    ! grep -q 'seats: imputation value' d.txt || fail "a column without missing cells listed"
    "$vitals" train a.csv --churn churned --expansion expanded --id account_id -o both.json --quiet 2>/dev/null || fail "train both"
    expect_fail "^vitals: both\.json: its targets \(churn, expansion\) differ from a\.json's \(churn\)" "$vitals" diff a.json both.json
    expect_fail "^vitals: --flag: '0' is not a positive z" "$vitals" diff a.json b.json --flag 0 ;;
scorecard_score)
    cards=$(dirname "$fixtures")/../models/scorecards
    "$vitals" generate 3000 --seed 16 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" score "$cards/equal-weights.json" g.csv --id account_id -o e.csv 2>err.txt || { cat err.txt; fail "score equal weights"; }
    head -1 e.csv | grep -q '^account_id,health,bucket,points_active_user_ratio,.*,rules_fired$' || fail "header: $(head -1 e.csv)"
    [ "$(wc -l <e.csv)" -eq 3001 ] || fail "3000 rows expected"
    grep -q "scored 3000 rows with scorecard 'equal weights'" err.txt || fail "summary"
    "$vitals" score "$cards/key-feature-rule.json" g.csv --id account_id -o k.csv --quiet || fail "score key-feature rule"
    awk -F, 'NR > 1 && $NF ~ /(^|;)1(;|$)/ && $3 != "green" { bad++ } END { exit bad > 0 }' k.csv || fail "rule 1 fired without forcing green"
    grep -q ',1$\|,1;' k.csv || fail "the key-feature rule never fired"
    "$vitals" score "$cards/equal-weights.json" - --id account_id <g.csv >stdin.csv 2>/dev/null || fail "score from stdin"
    cmp -s e.csv stdin.csv || fail "stdin differs"
    for t in 1 3; do
        "$vitals" score "$cards/key-feature-rule.json" g.csv --id account_id --threads $t -o k$t.csv --quiet || fail "--threads $t"
    done
    cmp -s k.csv k1.csv && cmp -s k.csv k3.csv || fail "scores depend on the thread count"
    # Bad scorecards: one line each, no output.
    sed 's/"feature_b_adoption"/"feature_z"/' "$cards/equal-weights.json" >unknown.json
    expect_fail "^vitals: g\.csv:1: the scorecard uses column 'feature_z', which the header lacks" "$vitals" score unknown.json g.csv -o s.csv
    sed 's/{"at": 0.8, "points": 100}, {"at": 0.5, "points": 50}/{"at": 0.5, "points": 50}, {"at": 0.8, "points": 100}/' "$cards/equal-weights.json" >order.json
    expect_fail "^vitals: order\.json: not a valid scorecard: measures measure 'active_user_ratio': thresholds out of order" "$vitals" score order.json g.csv -o s.csv
    sed 's/"weight": 1/"weight": 0/g' "$cards/equal-weights.json" >zero.json
    expect_fail "^vitals: zero\.json: not a valid scorecard: measures: the weights sum to zero" "$vitals" score zero.json g.csv -o s.csv
    sed 's/"unpaid_invoices >= 2"/"unpaid_invoices >= two"/' "$cards/key-feature-rule.json" >rule.json
    expect_fail "^vitals: rule\.json: rule 2: expected a number at character 20" "$vitals" score rule.json g.csv -o s.csv
    head -c 200 "$cards/equal-weights.json" >cut.json
    expect_fail "^vitals: cut\.json:[0-9]+:[0-9]+: not a valid scorecard: malformed or truncated JSON" "$vitals" score cut.json g.csv -o s.csv
    no_file s.csv ;;
compare_scorecards)
    cards=$(dirname "$fixtures")/../models/scorecards
    "$vitals" generate 5000 --seed 17 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" compare m.json "$cards/key-feature-rule.json" g.csv --json -o c.json || fail "compare --json"
    # ROC AUC and PR AUC equal scikit-learn's on the same scores (fixture).
    awk -v fixture="$fixtures/compare_sklearn.json" '
        function value(line) { sub(/.*: */, "", line); sub(/,$/, "", line); return line + 0 }
        FILENAME == fixture { if ($0 ~ /_auc/) { key = $0; sub(/^ *"/, "", key); sub(/".*/, "", key); want[key] = value($0) } next }
        /"model":/ { who = "model" } /"scorecard_metrics":/ { who = "scorecard" }
        /"roc_auc":/ && who != "" { got[who "_roc_auc"] = value($0) }
        /"pr_auc":/ && who != "" { got[who "_pr_auc"] = value($0) }
        END {
            n = 0
            for (k in want) { n++; d = got[k] - want[k]; if (d < 0) d = -d; if (d > 1e-9) { print k ": " got[k] " vs sklearn " want[k]; bad = 1 } }
            exit bad || n != 4
        }' "$fixtures/compare_sklearn.json" c.json || fail "AUCs differ from scikit-learn"
    # A scorecard on the true drivers with the true signs beats one with the signs reversed.
    cat >good.json <<'CARD'
{"format": "vitals-scorecard", "format_version": 1, "name": "true drivers",
 "measures": [
  {"column": "unpaid_invoices", "better": "lower", "points": [{"at": 0, "points": 100}, {"at": 1, "points": 40}], "weight": 2},
  {"column": "usage_trend", "better": "higher", "points": [{"at": 0.1, "points": 100}, {"at": 0, "points": 60}, {"at": -0.1, "points": 30}], "weight": 2},
  {"column": "active_user_ratio", "better": "higher", "points": [{"at": 0.7, "points": 100}, {"at": 0.5, "points": 60}, {"at": 0.3, "points": 30}], "weight": 2},
  {"column": "days_since_contact", "better": "lower", "points": [{"at": 10, "points": 100}, {"at": 30, "points": 50}], "weight": 1}]}
CARD
    sed 's/"lower"/"LOWER"/g; s/"higher"/"lower"/g; s/"LOWER"/"higher"/g; s/"true drivers"/"signs reversed"/' good.json >bad.json
    sed -i 's/"at": 0, "points": 100}, {"at": 1, "points": 40}/"at": 1, "points": 100}, {"at": 0, "points": 40}/; s/"at": 0.1, "points": 100}, {"at": 0, "points": 60}, {"at": -0.1, "points": 30}/"at": -0.1, "points": 100}, {"at": 0, "points": 60}, {"at": 0.1, "points": 30}/; s/"at": 0.7, "points": 100}, {"at": 0.5, "points": 60}, {"at": 0.3, "points": 30}/"at": 0.3, "points": 100}, {"at": 0.5, "points": 60}, {"at": 0.7, "points": 30}/; s/"at": 10, "points": 100}, {"at": 30, "points": 50}/"at": 30, "points": 100}, {"at": 10, "points": 50}/' bad.json
    "$vitals" compare m.json good.json g.csv --json -o cg.json || fail "compare good"
    "$vitals" compare m.json bad.json g.csv --json -o cb.json || fail "compare bad"
    auc() { awk '/"scorecard_metrics":/ { on = 1 } on && /"roc_auc":/ { sub(/.*: */, ""); sub(/,$/, ""); print; exit }' "$1"; }
    awk -v good="$(auc cg.json)" -v bad="$(auc cb.json)" 'BEGIN { exit !(good > 0.6 && bad < 0.5 && good > bad) }' ||
        fail "true drivers AUC $(auc cg.json) should beat reversed $(auc cb.json)"
    "$vitals" compare m.json good.json g.csv >text.txt || fail "compare text"
    grep -q 'rows: scorecard bucket, columns: model bucket' text.txt && grep -q 'call scorecard health <=' text.txt || fail "report"
    grep -q 'signs disagree' text.txt && fail "true signs reported as disagreeing"
    "$vitals" compare m.json bad.json g.csv | grep -q 'unpaid_invoices .*signs disagree' || fail "reversed signs not reported"
    expect_fail "^vitals: m\.json: --target: the model has no 'expansion' target" "$vitals" compare m.json good.json g.csv --target expansion
    cut -d, -f1-16 g.csv >nolabel.csv
    expect_fail "^vitals: nolabel\.csv:1: no outcome column 'churned'" "$vitals" compare m.json good.json nolabel.csv ;;
summary_options)
    train_small
    "$vitals" summary model.json >s.txt || fail "summary"
    grep -q 'Odds ratio' s.txt && grep -q 'McFadden R2' s.txt && grep -q '2.5 %' s.txt || fail "summary columns"
    "$vitals" summary model.json --confidence 0.9 | grep -q '5 %' || fail "--confidence 0.9 columns"
    "$vitals" train small.csv --churn churn --id id --confidence 0.8 -o m80.json --quiet 2>/dev/null || fail "train --confidence"
    grep -q '"confidence":[[:space:]]*0.8' m80.json || fail "confidence not stored"
    "$vitals" summary m80.json | grep -q '10 %' || fail "summary does not use the model's level"
    "$vitals" summary model.json --json -o s.json || fail "summary --json"
    grep -q '"mcfadden_r2"' s.json || fail "json"
    expect_fail "^vitals: --confidence: '1.5' is not a level between 0 and 1" "$vitals" summary model.json --confidence 1.5
    expect_fail "^vitals: --confidence: '0' is not a level" "$vitals" train small.csv --churn churn --confidence 0 -o x.json
    no_file x.json
    expect_fail "^vitals: missing\.json: cannot open the model" "$vitals" summary missing.json ;;
explain_sums_to_log_odds)
    "$vitals" generate 5000 --seed 8 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --expansion expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" predict m.json g.csv --explain 15 -o s.csv --quiet || fail "predict --explain"
    head -1 s.csv | grep -q '^account_id,churn_risk,expansion,health,bucket,churn_driver_1,churn_driver_1_effect,' || fail "header: $(head -1 s.csv)"
    "$CHECK_FIT" explain m.json s.csv || fail "effects do not sum to the log-odds"
    "$vitals" predict m.json g.csv --explain 2 --format jsonl -o s.jsonl --quiet || fail "predict jsonl"
    "$CHECK_FIT" jsonl m.json s.jsonl || fail "jsonl" ;;
previous_join)
    "$vitals" generate 2000 --seed 9 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --id account_id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" predict m.json g.csv -o now.csv --quiet || fail "predict"
    # Last run: the first 10 accounts gone from it, 5 accounts that no longer exist,
    # A00000011 was green with health 100 (now lower: alert), the rest as now.
    { head -1 now.csv; tail -n +12 now.csv | awk -F, 'BEGIN { OFS = "," } $1 == "A00000011" { $3 = 100; $4 = "green" } { print }'
      for i in 1 2 3 4 5; do echo "GONE$i,0.1,90,green"; done; } >old.csv
    "$vitals" predict m.json g.csv --previous old.csv -o trend.csv 2>err.txt || { cat err.txt; fail "predict --previous"; }
    grep -q '10 new ids, 5 ids no longer present' err.txt || { cat err.txt; fail "missing ids not counted"; }
    head -1 trend.csv | grep -q ',previous_bucket,health_change,alert$' || fail "trend header"
    grep -q '^A00000001,[^,]*,[0-9]*,[a-z]*,,,0$' trend.csv || fail "a new id has empty trend columns"
    # A00000011 now has health 85: a drop of exactly 15 is not more than 15 ...
    grep -q '^A00000011,[^,]*,85,green,green,-15,0$' trend.csv || fail "A00000011: $(grep '^A00000011,' trend.csv)"
    # ... but more than 10.
    "$vitals" predict m.json g.csv --previous old.csv --alert-drop 10 -o trend10.csv --quiet || fail "--alert-drop 10"
    grep -q '^A00000011,[^,]*,85,green,green,-15,1$' trend10.csv || fail "A00000011 should alert with --alert-drop 10"
    alerts=$(awk -F, 'NR > 1 && $NF == 1' trend.csv | wc -l)
    grep -q "$alerts alerts" err.txt || fail "alert count $alerts not reported" ;;
alert_budget_share)
    "$vitals" generate 10000 --seed 10 -o g.csv 2>/dev/null || fail "generate"
    "$vitals" train g.csv --churn churned --id account_id -o m.json --quiet 2>/dev/null || fail "train"
    "$vitals" predict m.json g.csv --alert-budget 0.1 -o s.csv 2>err.txt || fail "predict --alert-budget"
    n=$(awk -F, 'NR > 1 && $NF == 1' s.csv | wc -l)
    [ "$n" -ge 999 ] && [ "$n" -le 1001 ] || fail "alerted $n accounts, wanted 1000"
    grep -q 'cut-off churn_risk >= 0\.' err.txt || fail "cut-off not reported"
    expect_fail "alert-budget reads the data three times" "$vitals" predict m.json - --alert-budget 0.1 -o t.csv
    no_file t.csv ;;
predict_bad_options)
    train_small
    expect_fail "^vitals: --threads: '0' is not a whole number from 1 to 256" "$vitals" predict model.json small.csv --threads 0
    expect_fail "^vitals: --format: 'xml' is not csv or jsonl" "$vitals" predict model.json small.csv --format xml
    expect_fail "^vitals: --alert-budget: '1.5' is not a share" "$vitals" predict model.json small.csv --alert-budget 1.5 ;;
pipeline_split_equals_single)
    # The README's worked example: split, score the parts in parallel as a
    # Unix filter, join; the result equals one run.
    "$vitals" generate 20000 --seed 4 -o accounts.csv 2>/dev/null || fail "generate"
    "$vitals" train accounts.csv --churn churned --expansion expanded --id account_id -o model.json --quiet 2>/dev/null || fail "train"
    tail -n +2 accounts.csv >body.csv && split -n l/4 -d body.csv part.
    ls part.0? | xargs -P 4 -I{} sh -c "{ head -1 accounts.csv; cat {}; } | '$vitals' predict model.json - --quiet > {}.scores" || fail "parallel parts"
    { head -1 part.00.scores; for f in part.0?.scores; do tail -n +2 "$f"; done; } >joined.csv
    "$vitals" predict model.json accounts.csv -o single.csv --quiet || fail "single run"
    cmp -s joined.csv single.csv || fail "joined parts differ from a single run" ;;
*)
    fail "unknown case" ;;
esac
echo "ok [$case_name]"
