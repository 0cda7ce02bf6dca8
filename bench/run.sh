#!/bin/sh
# make bench: time vitals and its peers on the same generated accounts.
# usage: bench/run.sh [VITALS] [--large] [--rows N]
# Every tool runs as a user would run it (whole process, wall clock, peak
# RSS from GNU time), on the same file.  Ratios are peer time / vitals time.
set -eu
vitals=$(realpath "${1:-build/vitals}")
[ $# -gt 0 ] && shift
rows=1000000
while [ $# -gt 0 ]; do
    case $1 in
    --large) rows=10000000 ;;
    --rows) rows=$2; shift ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
here=$(cd "$(dirname "$0")" && pwd)
dir=$here/data
mkdir -p "$dir"
data=$dir/accounts-$rows.csv
python=/usr/bin/python3 # Debian's, which has scikit-learn, pandas, statsmodels

if [ ! -f "$data" ]; then
    echo "generating $rows rows..."
    /usr/bin/time -f "%e %M" -o "$dir/gen.time" "$vitals" generate "$rows" --seed 42 -o "$data" 2>/dev/null
    echo "  vitals generate: $(cut -d' ' -f1 "$dir/gen.time") s"
fi
echo "data: $data ($(du -m "$data" | cut -f1) MB, $rows rows), $(nproc) cores"
echo

results=$dir/results.txt
: >"$results"

# measure TASK TOOL COMMAND...: one run, wall seconds and peak RSS.
measure() {
    task=$1
    tool=$2
    shift 2
    if /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt"; then
        read -r seconds kib <"$dir/time.txt"
        echo "$task $tool $seconds $((kib / 1024))" >>"$results"
    else
        echo "$task $tool failed: $(tail -1 "$dir/stderr.txt")" >&2
    fi
}

measure train vitals "$vitals" train "$data" --churn churned --expansion expanded --id account_id --quiet -o "$dir/model.json"
measure train sklearn "$python" "$here/peer_sklearn.py" train "$data" "$dir/sklearn.pkl"
measure train statsmodels "$python" "$here/peer_statsmodels.py" "$data"
if [ "$rows" -le 2000000 ]; then
    measure train R-glm Rscript "$here/peer_glm.R" "$data"
fi
measure predict vitals "$vitals" predict "$dir/model.json" "$data" -o "$dir/scores-vitals.csv"
measure predict sklearn "$python" "$here/peer_sklearn.py" predict "$dir/sklearn.pkl" "$data" "$dir/scores-sklearn.csv"

if command -v liblinear-train >/dev/null 2>&1; then
    [ -f "$dir/accounts-$rows.svm" ] || "$python" "$here/to_libsvm.py" "$data" "$dir/accounts-$rows.svm"
    measure train liblinear-churn-only liblinear-train -s 0 -e 0.0001 -q "$dir/accounts-$rows.svm" "$dir/liblinear.model"
    measure predict liblinear-churn-only liblinear-predict -b 1 -q "$dir/accounts-$rows.svm" "$dir/liblinear.model" "$dir/scores-liblinear.txt"
fi

awk '
    { seconds[$1 " " $2] = $3; rss[$1 " " $2] = $4; order[++n] = $1 " " $2 }
    END {
        printf "%-8s %-22s %9s %10s %14s\n", "task", "tool", "seconds", "peak MiB", "x vitals time"
        for (i = 1; i <= n; i++) {
            split(order[i], key, " ")
            base = seconds[key[1] " vitals"]
            ratio = base > 0 ? sprintf("%.1f", seconds[order[i]] / base) : "-"
            printf "%-8s %-22s %9.2f %10d %14s\n", key[1], key[2], seconds[order[i]], rss[order[i]], ratio
        }
    }' "$results"
