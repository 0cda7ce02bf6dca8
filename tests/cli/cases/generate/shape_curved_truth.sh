# --shape curved's truth: each of the three curves tabulated on 101 evenly
# spaced points from its column's 0.5% to its 99.5% quantile (type 1) over
# the rows written, centred so that its mean over the rows is 0, the means
# moved into the churn intercept (here set before centring); the linear
# terms' coefficients, without the curved columns' for churn; expansion
# linear throughout.  The formulas are checked against the file: f + mean
# at each x, and the mean over the rows.  The churn rate stays realistic.
"$vitals" generate 20000 --seed 23 --shape curved --set 'churn:(Intercept)=-1' -o d.csv 2>/dev/null \
    || fail "generate --shape curved"
truth=d.csv.truth.json
grep -q '"shape":[[:space:]]*"curved"' $truth || fail "the truth does not say curved"
grep -q '"curves_convention":[[:space:]]*".*centred' $truth || fail "the truth does not state the centring"

# Coefficients: 16 for churn (19 terms less the 3 curved), 19 for expansion.
awk '/"coefficients":/ { inside = 1; n = 0; next }
     inside && /}/ { counts = counts n " "; inside = 0 }
     inside { n++; if (/"(active_user_ratio|logins_per_seat|days_since_contact)"/) curved[target] = 1 }
     /"churn":/ { target = "churn" } /"expansion":/ { target = "expansion" }
     END { if (counts != "16 19 ") { print "counts " counts; exit 1 } }' $truth \
    || fail "churn should have 16 coefficients and expansion 19"
sed -n '/"churn":/,/"curves":/p' $truth | grep -q '"\(active_user_ratio\|logins_per_seat\|days_since_contact\)":[[:space:]]*-\?[0-9]' \
    && fail "a curved column has a churn coefficient"

# The grids, one line per curve: name low high mean n_x n_f and the checks.
awk -F'\t' '
    function numbers(text, out) { sub(/^[^[]*\[/, "", text); sub(/\].*$/, "", text); return split(text, out, /, /) }
    function f(name, x, l) {
        if (name == "active_user_ratio") return x >= 0.8 ? 0 : x >= 0.5 ? 6 * (0.8 - x) * (0.8 - x) / 0.6 : 6 * (0.65 - x)
        if (name == "logins_per_seat") return -3 * (1 - exp(-x / 3))
        l = log((x + 10) / 40); return 1.75 * l * l
    }
    /"(active_user_ratio|logins_per_seat|days_since_contact)":[[:space:]]*\{/ { name = $0; gsub(/[^a-z_]/, "", name) }
    /"mean_removed":/ { mean[name] = $NF + 0 }
    /"low":/ { low[name] = $NF + 0 } /"high":/ { high[name] = $NF + 0 }
    /"x":/ { nx[name] = numbers($0, xs); for (i = 1; i <= nx[name]; i++) x[name, i] = xs[i] }
    /"f":/ { nf[name] = numbers($0, fs); for (i = 1; i <= nf[name]; i++) fx[name, i] = fs[i] }
    /"\(Intercept\)":/ { if (intercept == "") intercept = $NF + 0 }
    END {
        split("active_user_ratio logins_per_seat days_since_contact", names, " ")
        for (k = 1; k <= 3; k++) {
            n = names[k]
            if (nx[n] != 101 || nf[n] != 101) { print n ": " nx[n] " x and " nf[n] " f, not 101"; bad = 1; continue }
            if (x[n, 1] != low[n] || x[n, 101] != high[n] || !(low[n] < high[n])) { print n ": grid ends"; bad = 1 }
            for (i = 1; i <= 101; i++) {
                step = (high[n] - low[n]) / 100
                if (i > 1 && (x[n, i] - x[n, i - 1] - step)^2 > 1e-18) { print n ": uneven grid at " i; bad = 1; break }
                if ((fx[n, i] + mean[n] - f(n, x[n, i]))^2 > 1e-18) { print n ": f at " x[n, i] " is " fx[n, i]; bad = 1; break }
            }
            sum += mean[n]
            printf "%s %.17g %.17g %.17g\n", n, low[n], high[n], mean[n]
        }
        if ((intercept - (-1 + sum))^2 > 1e-18) { print "intercept " intercept " is not -1 + " sum; bad = 1 }
        exit bad
    }' $truth >curves.txt || { cat curves.txt; fail "the curves of the truth"; }

# Quantiles and means against the rows: logins_per_seat column 7, active 8, days 16.
for spec in "active_user_ratio 8" "logins_per_seat 7" "days_since_contact 16"; do
    set -- $spec
    tail -n +2 d.csv | cut -d, -f$2 | sort -g >column.txt
    read -r _ low high mean <<EOF2
$(grep "^$1 " curves.txt)
EOF2
    awk -v low="$low" -v high="$high" 'NR == 100 && $1 != low { print "0.5% quantile " $1 " not " low; bad = 1 }
        NR == 19900 && $1 != high { print "99.5% quantile " $1 " not " high; bad = 1 } END { exit bad }' column.txt \
        || fail "$1: quantiles"
    tail -n +2 d.csv | cut -d, -f$2 | awk -v name="$1" -v mean="$mean" '
        function f(name, x, l) {
            if (name == "active_user_ratio") return x >= 0.8 ? 0 : x >= 0.5 ? 6 * (0.8 - x) * (0.8 - x) / 0.6 : 6 * (0.65 - x)
            if (name == "logins_per_seat") return -3 * (1 - exp(-x / 3))
            l = log((x + 10) / 40); return 1.75 * l * l
        }
        { sum += f(name, $1) } END { if ((sum / NR - mean)^2 > 1e-18) { print name ": mean " sum / NR " not " mean; exit 1 } }' \
        || fail "$1: the curve is not centred over the rows"
done

churned=$(tail -n +2 d.csv | cut -d, -f17 | grep -c 1)
grep -q "\"churned\":[[:space:]]*$churned," $truth || fail "the truth's churned count"
[ "$churned" -ge 1000 ] && [ "$churned" -le 4000 ] || fail "churn rate $churned / 20000 outside 5-20%"
