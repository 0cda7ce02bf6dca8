# --previous (an earlier output of predict) and --previous-data (an earlier
# snapshot) are read through the one row stream: on --threads workers, ids
# added in input order, so the output and the first error do not depend on
# the thread count (30,000 rows: three blocks of the stream's 1 MiB);
# predict's --delimiter reads them as it reads DATA.  Their PostgreSQL
# forms (--previous-query/--previous-table, --previous-data-query/
# --previous-data-table) are checked here for their usage errors.
"$vitals" generate 30000 --seed 37 -o then.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 3 == 0 { $12 = $12 - 0.2; $13 = $13 + 2 } { print }' then.csv >now.csv
"$vitals" train then.csv --churn churned --drop expanded --id account_id -o m.json --quiet 2>/dev/null || fail "train"
"$vitals" predict m.json then.csv -o scores.csv --quiet || fail "predict then"
for t in 1 2; do
    "$vitals" predict m.json now.csv --previous scores.csv --threads $t -o p$t.csv 2>p$t.txt || fail "--previous --threads $t"
    "$vitals" predict m.json now.csv --previous-data then.csv --explain-change 3 --threads $t -o x$t.csv 2>x$t.txt ||
        fail "--previous-data --threads $t"
done
cmp -s p1.csv p2.csv && cmp -s p1.txt p2.txt || fail "--previous depends on the thread count"
cmp -s x1.csv x2.csv && cmp -s x1.txt x2.txt || fail "--previous-data depends on the thread count"
grep -q '0 new ids, 0 ids no longer present' p1.txt || { cat p1.txt; fail "--previous did not join every id"; }
grep -q '0 new ids, 0 ids no longer present' x1.txt || { cat x1.txt; fail "--previous-data did not join every id"; }
for f in then now scores; do tr , ';' <$f.csv >semi_$f.csv; done
"$vitals" predict m.json semi_now.csv --delimiter ';' --previous semi_scores.csv --threads 2 -o semi_p.csv --quiet ||
    fail "--delimiter ';' --previous"
cmp -s p1.csv semi_p.csv || fail "--delimiter ';' --previous differs"
"$vitals" predict m.json semi_now.csv --delimiter ';' --previous-data semi_then.csv --threads 2 -o semi_x.csv --quiet ||
    fail "--delimiter ';' --previous-data"
cmp -s x1.csv semi_x.csv || fail "--delimiter ';' --previous-data differs"
"$vitals" predict m.json now.csv --previous-data - --threads 2 -o stdin_x.csv --quiet <then.csv || fail "--previous-data -"
cmp -s x1.csv stdin_x.csv || fail "--previous-data - differs from the file"
# The first error in input order, whatever the threads: an id repeated
# early beats a bad health late, and a bad health early beats an id
# repeated late (in another block, or in the same block: a block's rows
# are added before the error that ended it is reported).
awk -F, 'BEGIN { OFS = "," } NR == 3 { $1 = "A00000001" } NR == 25000 { $3 = "high" } { print }' scores.csv >early_dup.csv
awk -F, 'BEGIN { OFS = "," } NR == 3 { $1 = "A00000001" } NR == 10 { $3 = "high" } { print }' scores.csv >near_dup.csv
awk -F, 'BEGIN { OFS = "," } NR == 3 { $3 = "high" } NR == 25000 { $1 = "A00000001" } { print }' scores.csv >late_dup.csv
awk -F, 'BEGIN { OFS = "," } NR == 3 { $1 = "A00000001" } NR == 25000 { $5 = "lots" } { print }' then.csv >then_dup.csv
awk -F, 'BEGIN { OFS = "," } NR == 3 { $5 = "lots" } NR == 25000 { $1 = "A00000001" } { print }' then.csv >then_bad.csv
for t in 1 2; do
    expect_fail "^vitals: early_dup\.csv:3:1: id 'A00000001' appears twice$" \
        "$vitals" predict m.json now.csv --previous early_dup.csv --threads $t -o x.csv
    expect_fail "^vitals: near_dup\.csv:3:1: id 'A00000001' appears twice$" \
        "$vitals" predict m.json now.csv --previous near_dup.csv --threads $t -o x.csv
    expect_fail "^vitals: late_dup\.csv:3:3: health 'high' is not a whole number 0-100$" \
        "$vitals" predict m.json now.csv --previous late_dup.csv --threads $t -o x.csv
    expect_fail "^vitals: then_dup\.csv:3:1: id 'A00000001' appears twice$" \
        "$vitals" predict m.json now.csv --previous-data then_dup.csv --threads $t -o x.csv
    expect_fail "^vitals: then_bad\.csv:3:5: .*'lots'" \
        "$vitals" predict m.json now.csv --previous-data then_bad.csv --threads $t -o x.csv
done
# The PostgreSQL forms, and their options in their own names.
expect_fail "^vitals: --previous-table reads from PostgreSQL: --previous must be a postgresql:// URI$" \
    "$vitals" predict m.json now.csv --previous scores.csv --previous-table scores -o x.csv
expect_fail "^vitals: --previous is a PostgreSQL URI: say which rows with --previous-query or --previous-table$" \
    "$vitals" predict m.json now.csv --previous postgresql:///nowhere -o x.csv
expect_fail "^vitals: --previous-query and --previous-table: choose one$" \
    "$vitals" predict m.json now.csv --previous postgresql:///nowhere --previous-query "SELECT 1" --previous-table t -o x.csv
expect_fail "^vitals: --previous-query is empty$" \
    "$vitals" predict m.json now.csv --previous postgresql:///nowhere --previous-query " ;" -o x.csv
expect_fail "^vitals: --previous-data-query goes with --previous-data$" \
    "$vitals" predict m.json now.csv --previous-data-query "SELECT 1" -o x.csv
expect_fail "^vitals: --previous-data-table reads from PostgreSQL: --previous-data must be a postgresql:// URI$" \
    "$vitals" predict m.json now.csv --previous-data then.csv --previous-data-table accounts -o x.csv
expect_fail "^vitals: --previous-data is a PostgreSQL URI: say which rows with --previous-data-query or --previous-data-table$" \
    "$vitals" predict m.json now.csv --previous-data postgresql:///nowhere -o x.csv
no_file x.csv
"$vitals" predict --help | grep -q -- '--previous-data-table' || fail "--help does not name --previous-data-table"
