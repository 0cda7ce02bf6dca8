# shellcheck shell=sh disable=SC2086,SC2154 # sourced by run.sh (vitals, here, dir, python, measure); word lists unquoted
# The smooth-term bench (vitals train --smooth auto), sourced by bench/run.sh, which
# provides vitals, here, dir, python and measure().  run_gam ROWS:
#   1. train on ROWS generated curved rows (--shape curved --seed 7), both targets: vitals
#      linear and --smooth auto; mgcv bam(discrete = TRUE, nthreads = 2) on the same file; and on
#      its first 100,000 rows vitals --smooth auto beside mgcv gam(method = "REML") (gam is not
#      run on the full file: at 100,000 rows it takes about 100 s and 1.6 GiB, and both grow
#      about linearly with the rows).
#      If vitals --smooth auto takes more than GAM_TIMEOUT seconds (default 900) on 1M rows,
#      the bench starts again at 200,000 rows and says so.
#   2. held-out ROC AUC and PR AUC on a seeded stratified 70/30 split (bench/gam_split.py) of
#      Telco and of 100,000 curved rows (seed 11), also with --smooth auto,days_since_contact:20:
#      vitals linear and --smooth auto (trained on train.csv, `vitals predict` on test.csv),
#      scikit-learn HistGradientBoostingClassifier and xgboost XGBClassifier (defaults;
#      bench/gam_trees.py) and mgcv gam(method = "REML") with vitals' formula (bench/gam_peer.R),
#      all on the same files; the largest |p_vitals - p_mgcv| on the test rows, and again with
#      mgcv's smoothing parameters fixed at vitals' (is a difference the fit or the REML optimum?).
#   3. vitals predict with the smooth model vs the linear model on the same rows (1M and the
#      first 100,000: memory stays flat).
# Results: $dir/gam/results.txt (task tool seconds MiB), $dir/gam/accuracy.txt, tables at the end.

gam_generate() { # ROWS SEED FILE
    [ -f "$3" ] || "$vitals" generate "$1" --shape curved --seed "$2" -o "$3" >/dev/null 2>&1
}

gam_has() { # RESULTS TASK TOOL: was it measured?
    grep -q "^$2 $3 " "$1"
}

# gam_train_bench ROWS: part 1 and 3; returns 1 when vitals --smooth auto timed out
gam_train_bench() {
    grows=$1
    tag=$(awk -v n="$grows" 'BEGIN { if (n % 1000000 == 0) print n / 1000000 "M"; else if (n % 1000 == 0) print n / 1000 "k"; else print n }')
    data=$dir/curved-$grows.csv
    gam_generate "$grows" 7 "$data"
    head -n 100001 "$data" >"$gdir/first-100k.csv"
    echo
    echo "== smooth terms: $grows curved rows, both targets: $data ($(du -m "$data" | cut -f1) MB), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    targets="--churn churned --expansion expanded --id account_id"
    : >"$gresults"
    measure "$gresults" "train-$tag" vitals-linear "$vitals" train "$data" $targets --quiet -o "$gdir/linear.json"
    measure "$gresults" "train-$tag" vitals-smooth timeout "${GAM_TIMEOUT:-900}" "$vitals" train "$data" $targets \
        --smooth auto --quiet -o "$gdir/smooth.json"
    if ! gam_has "$gresults" "train-$tag" vitals-smooth; then
        return 1
    fi
    measure "$gresults" "train-$tag" mgcv-bam-discrete Rscript "$here/gam_peer.R" bam "$data" --labels churned,expanded --id account_id
    cp "$dir/stderr.txt" "$gdir/bam.log"
    measure "$gresults" train-100k vitals-linear "$vitals" train "$gdir/first-100k.csv" $targets --quiet -o "$gdir/linear-100k.json"
    measure "$gresults" train-100k vitals-smooth "$vitals" train "$gdir/first-100k.csv" $targets --smooth auto --quiet -o "$gdir/smooth-100k.json"
    measure "$gresults" train-100k mgcv-gam-REML Rscript "$here/gam_peer.R" gam "$gdir/first-100k.csv" --labels churned,expanded --id account_id
    cp "$dir/stderr.txt" "$gdir/gam-100k.log"
    measure "$gresults" "predict-$tag" vitals-linear "$vitals" predict "$gdir/linear.json" "$data" -o "$gdir/scores-linear.csv"
    measure "$gresults" "predict-$tag" vitals-smooth "$vitals" predict "$gdir/smooth.json" "$data" -o "$gdir/scores-smooth.csv"
    measure "$gresults" predict-100k vitals-linear "$vitals" predict "$gdir/linear.json" "$gdir/first-100k.csv" -o "$gdir/scores-linear.csv"
    measure "$gresults" predict-100k vitals-smooth "$vitals" predict "$gdir/smooth.json" "$gdir/first-100k.csv" -o "$gdir/scores-smooth.csv"
    rm -f "$gdir/scores-linear.csv" "$gdir/scores-smooth.csv"
    return 0
}

# gam_case NAME TRAIN TEST LABELS VITALS_ARGS PEER_ARGS SMOOTH K [trees]: part 2 for one split
gam_case() {
    name=$1 train=$2 test=$3 labels=$4 vargs=$5 pargs=$6 smooth=$7 k=$8 trees=${9:-}
    out=$gdir/acc-$name
    pairs=""
    : >"$out-vitals.log"
    if [ -n "$trees" ]; then
        { "$vitals" train "$train" $vargs --quiet -o "$out-linear.json" &&
            "$vitals" predict "$out-linear.json" "$test" -o "$out-vitals-linear.csv"; } 2>>"$out-vitals.log" &&
            pairs="$pairs vitals-linear=$out-vitals-linear.csv" || echo "  $name: vitals linear failed: $(tail -1 "$out-vitals.log")" >&2
    fi
    { "$vitals" train "$train" $vargs --smooth "$smooth" -o "$out-smooth.json" >"$out-smooth.txt" &&
        "$vitals" predict "$out-smooth.json" "$test" -o "$out-vitals-smooth.csv"; } 2>>"$out-vitals.log" &&
        pairs="$pairs vitals-smooth=$out-vitals-smooth.csv" || echo "  $name: vitals --smooth failed: $(tail -1 "$out-vitals.log")" >&2
    if [ -n "$trees" ]; then # pairs found by --interact auto (AIC on the training rows: no holdout inside)
        { "$vitals" train "$train" $vargs --smooth "$smooth" --interact auto -o "$out-interact.json" >"$out-interact.txt" &&
            "$vitals" predict "$out-interact.json" "$test" -o "$out-vitals-interact.csv"; } 2>>"$out-vitals.log" &&
            pairs="$pairs vitals-smooth+interact-auto=$out-vitals-interact.csv" ||
            echo "  $name: vitals --interact auto failed: $(tail -1 "$out-vitals.log")" >&2
        grep -A8 '^Interactions' "$out-interact.txt" | sed "s/^/  $name: /"
    fi
    Rscript "$here/gam_peer.R" gam "$train" $pargs ${k:+--k "$k"} --score "$test" "$out-mgcv.csv" >"$out-mgcv.log" 2>&1 &&
        pairs="$pairs mgcv-gam-REML=$out-mgcv.csv" || echo "  $name: mgcv failed: $(tail -1 "$out-mgcv.log")" >&2
    # mgcv again with its smoothing parameters fixed at vitals' (sp =): the same fit, given the sp?
    "$python" -c 'import json, sys
for t in json.load(open(sys.argv[1]))["targets"]:
    for s in t["smooth"]["terms"]:
        print(t["label"], s["column"], repr(s["sp"]))' "$out-smooth.json" >"$out-vitals-sp.txt" &&
        Rscript "$here/gam_peer.R" gam "$train" $pargs ${k:+--k "$k"} --sp-file "$out-vitals-sp.txt" \
            --score "$test" "$out-mgcv-vsp.csv" >"$out-mgcv-vsp.log" 2>&1 &&
        pairs="$pairs mgcv-at-vitals-sp=$out-mgcv-vsp.csv" || echo "  $name: mgcv at vitals' sp failed: $(tail -1 "$out-mgcv-vsp.log")" >&2
    if [ -n "$trees" ]; then
        for tree in sklearn-HGB:hgb xgboost:xgb; do
            "$python" "$here/gam_trees.py" "${tree#*:}" "$train" "$test" "$out-${tree#*:}.csv" $pargs 2>"$out-${tree#*:}.log" &&
                pairs="$pairs ${tree%:*}=$out-${tree#*:}.csv" || echo "  $name: ${tree%:*} failed: $(tail -1 "$out-${tree#*:}.log")" >&2
        done
    fi
    "$python" "$here/gam_auc.py" "$test" "$name" "$gaccuracy" --labels "$labels" $pairs \
        --same vitals-smooth,mgcv-gam-REML --same vitals-smooth,mgcv-at-vitals-sp
}

gam_accuracy_bench() {
    echo
    echo "== smooth terms, held-out accuracy: a seeded stratified 70/30 split, every tool on the same files"
    : >"$gaccuracy"
    "$python" "$here/gam_split.py" "$here/../datasets/telco-customer-churn.csv" Churn "$gdir/telco-train.csv" "$gdir/telco-test.csv" --complete
    gam_case telco "$gdir/telco-train.csv" "$gdir/telco-test.csv" Churn \
        "--churn Churn --id customerID --missing drop" "--labels Churn --id customerID --missing drop" auto "" trees
    gam_generate 100000 11 "$dir/curved-100000-s11.csv"
    "$python" "$here/gam_split.py" "$dir/curved-100000-s11.csv" churned "$gdir/curved-train.csv" "$gdir/curved-test.csv"
    gam_case curved-100k "$gdir/curved-train.csv" "$gdir/curved-test.csv" churned,expanded \
        "--churn churned --expansion expanded --id account_id" "--labels churned,expanded --id account_id" auto "" trees
    gam_case curved-100k-dsc:20 "$gdir/curved-train.csv" "$gdir/curved-test.csv" churned,expanded \
        "--churn churned --expansion expanded --id account_id" "--labels churned,expanded --id account_id" \
        auto,days_since_contact:20 days_since_contact:20
}

gam_tables() {
    echo
    echo "smooth terms: training and scoring (wall seconds, best of up to 3 when under 10 s; peak RSS)"
    awk '
        { seconds[$1 " " $2] = $3; rss[$1 " " $2] = $4; order[++n] = $1 " " $2 }
        END {
            printf "%-13s %-20s %9s %9s %14s\n", "task", "tool", "seconds", "peak MiB", "x vitals-smooth"
            for (i = 1; i <= n; i++) {
                split(order[i], key, " ")
                base = seconds[key[1] " vitals-smooth"]
                ratio = base > 0 ? sprintf("%.2f", seconds[order[i]] / base) : "-"
                printf "%-13s %-20s %9.2f %9d %14s\n", key[1], key[2], seconds[order[i]], rss[order[i]], ratio
            }
        }' "$gresults"
    awk '
        { t[$1 " " $2] = $3; m[$1 " " $2] = $4; if ($1 ~ /^train-/ && $1 != "train-100k") big = substr($1, 7) }
        function r(a, b) { return (a > 0 && b > 0) ? sprintf("%.1f", a / b) : "n/a" }
        END {
            printf "  train %s: --smooth auto / linear %sx; mgcv bam (discrete, 2 threads) / vitals --smooth auto %sx\n", big,
                r(t["train-" big " vitals-smooth"], t["train-" big " vitals-linear"]), r(t["train-" big " mgcv-bam-discrete"], t["train-" big " vitals-smooth"])
            printf "  train 100k: mgcv gam REML / vitals --smooth auto %sx\n", r(t["train-100k mgcv-gam-REML"], t["train-100k vitals-smooth"])
            printf "  predict %s: smooth model / linear model %sx, peak %s vs %s MiB (100k rows: %s vs %s MiB)\n", big,
                r(t["predict-" big " vitals-smooth"], t["predict-" big " vitals-linear"]), m["predict-" big " vitals-smooth"],
                m["predict-" big " vitals-linear"], m["predict-100k vitals-smooth"], m["predict-100k vitals-linear"]
        }' "$gresults"
    for model in "$gdir/smooth.json" "$gdir/smooth-100k.json"; do
        [ -f "$model" ] || continue
        "$python" - "$model" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
parts = []
for t in m["targets"]:
    s = t.get("smooth") or {}
    parts.append(f"{t['name']} {s.get('outer_iterations')} Newton steps"
                 f"{'' if s.get('outer_converged') else ' (not converged)'}, edf {s.get('edf_total', 0):.1f}")
print(f"  vitals --smooth auto, {m['data']['rows_used']} rows: " + "; ".join(parts))
EOF
    done
    for log in "$gdir/bam.log" "$gdir/gam-100k.log"; do
        [ -f "$log" ] && sed -n 's/^\(bam\|gam\) \([^ ]*\): \([0-9]* rows\), \([0-9.]* s\), \([^,]*\),.*/  mgcv \1 \2, \3: \4 fitting, \5/p' "$log"
    done
    echo
    echo "smooth terms: held-out accuracy"
    "$python" "$here/gam_auc.py" --table "$gaccuracy"
}

run_gam() {
    gdir=$dir/gam
    mkdir -p "$gdir"
    gresults=$gdir/results.txt
    gaccuracy=$gdir/accuracy.txt
    if [ "${gam_part:-all}" = accuracy ]; then
        gam_accuracy_bench
        return
    fi
    if ! gam_train_bench "$1"; then
        if [ "$1" -ge 1000000 ]; then
            echo "  vitals --smooth auto took over ${GAM_TIMEOUT:-900} s on $1 rows: measuring at 200,000 rows instead" >&2
            gam_train_bench 200000 || echo "  vitals --smooth auto failed at 200,000 rows too" >&2
        fi
    fi
    gam_accuracy_bench
    gam_tables
}
