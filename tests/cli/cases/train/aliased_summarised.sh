# A wide file with many aliased columns: train names the first five per
# target on stderr and counts the rest in one line (a file of 1,598
# columns printed 3,162 lines), and the model and summary hold them all.
awk 'BEGIN {
    srand(3); printf "id"; for (i = 0; i < 40; i++) printf ",x%d", i; print ",churn"
    for (r = 0; r < 300; r++) {
        for (j = 0; j < 4; j++) base[j] = rand()
        printf "%d", r; for (i = 0; i < 40; i++) printf ",%.6f", base[i % 4] * (1 + int(i / 4))
        print "," (rand() < 0.3 ? 1 : 0)
    }
}' >wide.csv
"$vitals" train wide.csv --churn churn --id id -o m.json --quiet 2>err.txt || fail "train: $(tail -1 err.txt)"
[ "$(grep -c 'dropped as aliased:' err.txt)" = 5 ] || fail "not five named: $(grep -c 'dropped as aliased:' err.txt)"
line=$(grep 'more terms dropped as aliased' err.txt) || fail "no count line: $(tail -2 err.txt)"
more=$(echo "$line" | sed -n 's/^vitals: churn: \([0-9]*\) more terms dropped as aliased (\([0-9]*\) in all; vitals summary lists them)$/\1 \2/p')
set -- $more
[ $# = 2 ] && [ $(($1 + 5)) = "$2" ] && [ "$2" -gt 10 ] || fail "the count line: $line"
[ "$(grep -c '"aliased":[[:space:]]*true' m.json)" = "$2" ] || fail "the model does not hold $2 aliased terms"
"$vitals" summary m.json >summary.txt || fail "summary"
[ "$(grep -c '^x[0-9]* *NA ' summary.txt)" = "$2" ] || fail "summary does not list $2: $(grep -c ' NA ' summary.txt)"
# (the bands line is one per run, not per term)
[ "$(grep -c 'nearly collinear' err.txt)" -le 4 ] || fail "collinear groups not capped: $(grep -c collinear err.txt)"
[ "$(grep -v '^vitals: bands ' err.txt | grep -vc 'nearly collinear')" -le 7 ] || fail "stderr has $(wc -l <err.txt) lines"
