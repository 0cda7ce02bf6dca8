# Every value echoed in an error is escaped (README, "Hostile input"): a
# column name with an escape sequence must come back as \x1B in the
# --smooth / --sp errors and notes, never as the raw byte.
"$vitals" generate 300 --shape curved --seed 36 -o g.csv 2>/dev/null || fail "generate"
name=$(printf 'te\033[31mxt')
awk -F, -v n="$name" 'BEGIN { OFS = "," } NR == 1 { print $0, n; next } { print $0, "v" NR % 3 }' g.csv >text.csv
awk -F, -v n="$name" 'BEGIN { OFS = "," } NR == 1 { print $0, n; next } { print $0, 7 }' g.csv >one.csv
awk -F, -v n="$name" 'BEGIN { OFS = "," } NR == 1 { print $0, n; next } { print $0, NR % 3 }' g.csv >three.csv
esc=$(printf '\033')
check() {
    grep -q "$esc" stderr.txt && fail "a raw ESC byte on stderr: $(od -c stderr.txt | head -3)"
    grep -qF 'te\x1B[31mxt' stderr.txt || fail "the name is not escaped as te\\x1B[31mxt: $(cat -v stderr.txt)"
}
expect_fail "^vitals: .*--smooth: column '.*' is (categorical|text)" \
    "$vitals" train text.csv --churn churned --id account_id --drop expanded --smooth "$name" -o x.json
check
no_file x.json
expect_fail "^vitals: .*--smooth: column '.*' has a single value" \
    "$vitals" train one.csv --churn churned --id account_id --drop expanded --smooth "$name" -o x.json
check
no_file x.json
expect_fail "^vitals: .*--sp: column '.*' stays linear" \
    "$vitals" train three.csv --churn churned --id account_id --drop expanded --smooth auto --sp "$name=1" -o x.json
check
no_file x.json
"$vitals" train three.csv --churn churned --id account_id --drop expanded --smooth "$name" --quiet -o ok.json \
    2>stderr.txt || { cat -v stderr.txt; fail "train"; }
check
