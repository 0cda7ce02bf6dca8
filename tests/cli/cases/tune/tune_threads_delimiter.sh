# tune reads its rows through row_stream (workers read blocks, the rows are
# appended in file order): the tuned card, its fingerprint and the report are
# the same bytes with --threads 1 and 2 (a file of several blocks), and
# --delimiter ';' reads the same rows.
cards=$(dirname "$fixtures")/../models/scorecards
"$vitals" generate 25000 --seed 3 -o g.csv 2>/dev/null || fail "generate"
[ "$(wc -c <g.csv)" -gt 2000000 ] || fail "the file is smaller than two blocks"
for t in 1 2; do
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --red-share 0.1 --yellow-share 0.2 \
        --threads $t --json --report r$t.json -o t$t.json || fail "tune --threads $t"
    grep -v '"created_at"' t$t.json >card$t.json
done
cmp -s card1.json card2.json || fail "--threads 1 and 2 tuned different cards"
cmp -s r1.json r2.json || fail "--threads 1 and 2 gave different reports"
grep -q '"rows":	25000' card1.json || fail "the provenance lacks the rows: $(grep -A4 '"data"' card1.json)"
tr , ';' <g.csv >semicolon.csv
"$vitals" tune "$cards/equal-weights.json" semicolon.csv --label churned --red-share 0.1 --yellow-share 0.2 \
    --delimiter ';' --json --report semi.json -o semi_card.json || fail "tune --delimiter ';'"
cmp -s r1.json semi.json || fail "--delimiter ';' gave a different report"
grep -Ev '"(created_at|path|fnv1a64)"' semi_card.json >semi.card
grep -Ev '"(path|fnv1a64)"' card1.json >comma.card
cmp -s comma.card semi.card || fail "--delimiter ';' tuned a different card"
expect_fail "^vitals: semicolon\.csv:1: the header is one field, .*give --delimiter ';'$" \
    "$vitals" tune "$cards/equal-weights.json" semicolon.csv --label churned -o x.json
no_file x.json
# The first error in file order whatever the threads: a bad label at line
# 9000 before a bad cell at 20000, a bad cell at 9000 before a bad label.
awk -F, 'BEGIN { OFS = "," } NR == 9000 { $17 = "maybe" } NR == 20000 { $14 = "lots" } { print }' g.csv >label_first.csv
awk -F, 'BEGIN { OFS = "," } NR == 9000 { $14 = "lots" } NR == 9001 { $17 = "maybe" } { print }' g.csv >cell_first.csv
for t in 1 2; do
    expect_fail "^vitals: label_first\.csv:9000:17: 'maybe' is not 0/1, yes/no, true/false or t/f$" \
        "$vitals" tune "$cards/equal-weights.json" label_first.csv --label churned --threads $t -o x.json
    expect_fail "^vitals: cell_first\.csv:9000:14: column 'nps': 'lots' is not a number$" \
        "$vitals" tune "$cards/equal-weights.json" cell_first.csv --label churned --threads $t -o x.json
    no_file x.json
done
expect_fail "^vitals: --table reads from PostgreSQL: DATA must be a postgresql:// URI$" \
    "$vitals" tune "$cards/equal-weights.json" g.csv --label churned --table accounts -o x.json
no_file x.json
