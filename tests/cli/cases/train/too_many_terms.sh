# More terms than a fit can hold is refused at once, naming the file
# (40,000 numeric columns ran for minutes and died without a word; found
# 2026-11-24).
awk 'BEGIN { printf "churn"; for (c = 1; c <= 6000; c++) printf ",x%d", c; print "";
             for (r = 1; r <= 30; r++) { printf "%d", r % 2; for (c = 1; c <= 6000; c++) printf ",%d", (r * c) % 7; print "" } }' >wide.csv
expect_fail "^vitals: wide\.csv: 6001 terms: more than 5000 \(X'WX alone would take 0\.3 GB\); drop columns \(--drop\)$" \
    timeout 20 "$vitals" train wide.csv --churn churn -o m.json
no_file m.json
