# A model trained on a file whose categorical columns read as binary labels
# (yes/no, Yes/No, true/false) scores a PostgreSQL table holding them as
# BOOLEAN as it scores the file: COPY writes a boolean as t/f, which the
# encoder reads as the feature's yes/no level because the query's column is
# typed boolean.  The same rows as TEXT, and NULL booleans (missing cells),
# read as the file's.  A file's 't' stays text, and so does a boolean
# column whose feature's levels are no binary pair (on/off): unseen levels.
# uses: postgres
uri=$VITALS_PG_URI
awk 'BEGIN {
    srand(17)
    print "account,paperless,partner,autopay,mode,plan,mrr,churn"
    split("basic|pro|team", plans, "|")
    for (i = 1; i <= 3000; i++) {
        paperless = i % 37 == 0 ? "" : rand() < 0.6 ? "yes" : "no"
        partner = rand() < 0.4 ? "Yes" : "No"
        autopay = rand() < 0.5 ? "true" : "false"
        mode = rand() < 0.5 ? "on" : "off"
        plan = plans[1 + int(rand() * 3)]
        mrr = int(rand() * 50000) / 100
        z = (paperless == "yes" ? 0.8 : 0) - (partner == "Yes" ? 0.6 : 0) + (autopay == "true" ? -0.7 : 0.2) \
            + (mode == "on" ? 0.3 : 0) - mrr / 300 + (plan == "pro" ? 0.5 : 0) + (rand() - 0.5) * 3
        printf "a%05d,%s,%s,%s,%s,%s,%s,%d\n", i, paperless, partner, autopay, mode, plan, mrr, (z > 0)
    }
}' >acc.csv
"$vitals" train acc.csv --churn churn --id account --drop mode --quiet -o m.json 2>/dev/null || fail "train"
grep -q '"paperless_missing"' m.json || fail "no paperless_missing term: the blank cells were not missing"
"$vitals" predict m.json acc.csv --explain 2 -o want.csv --quiet || fail "predict on the file"
"$vitals" evaluate m.json acc.csv --json -o want.json || fail "evaluate on the file"
grep -v '"data":' want.json >want.txt

psql -q <<SQL || fail "load the tables"
CREATE TABLE typed (account TEXT, paperless BOOLEAN, partner BOOLEAN, autopay BOOLEAN, mode BOOLEAN, plan TEXT,
                    mrr DOUBLE PRECISION, churn INTEGER);
\\copy typed FROM '$PWD/acc.csv' CSV HEADER
CREATE TABLE plain (account TEXT, paperless TEXT, partner TEXT, autopay TEXT, mode TEXT, plan TEXT,
                    mrr DOUBLE PRECISION, churn INTEGER);
\\copy plain FROM '$PWD/acc.csv' CSV HEADER
SQL
[ "$(psql -Atc "SELECT count(*) FROM typed WHERE paperless IS NULL")" = 81 ] || fail "the blank cells are not NULL"
for table in typed plain; do
    for t in 1 2; do
        "$vitals" predict m.json "$uri" --query "SELECT * FROM $table ORDER BY account" --threads $t --explain 2 \
            -o got-$table-$t.csv --quiet || fail "predict --query on $table --threads $t"
        cmp -s want.csv got-$table-$t.csv || fail "predict --query on $table --threads $t differs from the file"
        "$vitals" evaluate m.json "$uri" --table $table --threads $t --json -o got-$table-$t.json ||
            fail "evaluate --table $table --threads $t"
        grep -v '"data":' got-$table-$t.json | cmp -s want.txt - ||
            fail "evaluate --table $table --threads $t differs from the file"
    done
done
named() { sed 's#labelled rows of <code>[^<]*</code>#labelled rows of <code>DATA</code>#g' "$1"; }
"$vitals" report m.json --data acc.csv -o want.html || fail "report on the file"
named want.html >want-page.txt
for table in typed plain; do
    "$vitals" report m.json --data "$uri" --table $table -o $table.html || fail "report --data --table $table"
    named $table.html | cmp -s want-page.txt - || fail "report --data --table $table differs from the file's"
done
# A boolean computed by the query is typed as one too.
"$vitals" predict m.json "$uri" --query "SELECT account, paperless::boolean AS paperless, partner, autopay,
    plan, mrr FROM plain ORDER BY account" --explain 2 -o computed.csv --quiet || fail "predict --query with a cast boolean"
cmp -s want.csv computed.csv || fail "a cast boolean differs from the file"

# A file's t and f are text: an unseen level, as before.
awk -F, 'BEGIN { OFS = "," } NR == 3 { $2 = "t" } { print }' acc.csv >t.csv
expect_fail "t.csv:3:2: column 'paperless': level 't' was not seen in training" \
    "$vitals" predict m.json t.csv -o t-scores.csv
no_file t-scores.csv
# on/off are no binary label: a boolean column of them is read as its text.
"$vitals" train acc.csv --churn churn --id account --quiet -o mode.json 2>/dev/null || fail "train with mode"
expect_fail ":2:5: column 'mode': level '[tf]' was not seen in training" \
    "$vitals" predict mode.json "$uri" --query "SELECT * FROM typed ORDER BY account" -o mode-scores.csv
no_file mode-scores.csv
"$vitals" predict mode.json "$uri" --query "SELECT * FROM plain ORDER BY account" -o mode-plain.csv --quiet ||
    fail "predict --query with mode as text"
"$vitals" predict mode.json acc.csv -o mode-want.csv --quiet || fail "predict with mode on the file"
cmp -s mode-want.csv mode-plain.csv || fail "mode as text differs from the file"

# Trained from the table, a boolean's levels are f and t (PostgreSQL's
# text; the file's spelling is not in the database): that model scores the
# typed table and a query's cast boolean alike, at any thread count.
"$vitals" train "$uri" --table typed --churn churn --id account --drop mode --quiet -o pg.json 2>/dev/null ||
    fail "train --table typed"
grep -q '"paperlesst"' pg.json || fail "the boolean's levels are not f and t"
for t in 1 2; do
    "$vitals" predict pg.json "$uri" --query "SELECT * FROM typed ORDER BY account" --threads $t -o pg-$t.csv --quiet ||
        fail "predict the table-trained model --threads $t"
done
cmp -s pg-1.csv pg-2.csv || fail "--threads 1 and 2 differ"
"$vitals" predict pg.json "$uri" --query "SELECT account, paperless::boolean AS paperless, partner::boolean AS partner,
    autopay::boolean AS autopay, plan, mrr FROM plain ORDER BY account" -o pg-cast.csv --quiet || fail "predict the table-trained model on a cast"
cmp -s pg-1.csv pg-cast.csv || fail "the table-trained model scores a cast boolean otherwise"
