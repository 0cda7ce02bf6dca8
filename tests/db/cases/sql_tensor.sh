# vitals sql gives predict's numbers, every row, on PostgreSQL and DuckDB
# for a model with a tensor-product pair, mgcv's ti(usage_trend,
# days_since_contact, bs = "cr") beside s() of both columns (the ti margins
# have knots of their own), a curve per level of lifecycle_stage for
# usage_trend (the column of the ti, too) and a product of two linear
# columns, churn and expansion, on generated curved accounts.  The rows
# scored: blank cells in both ti columns (imputed) and in lifecycle_stage,
# an unseen stage (the baseline's curve), and on rows of their own each
# smooth column and each ti margin at every knot, the doubles either side
# and far beyond the ends, then both ti columns together at every two of
# their margins' knots and the doubles either side (smooth_edges.mjs).
# uses: postgres duckdb
export vitals
"$vitals" generate 3000 --shape curved --seed 11 -o train.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --expansion expanded --id account_id --quiet \
    --smooth open_tickets,usage_trend,days_since_contact \
    --interact usage_trend:days_since_contact,usage_trend:lifecycle_stage,seats:nps -o ti.json 2>/dev/null ||
    fail "train with a ti pair"
grep -q '"ti(usage_trend,days_since_contact).16"' ti.json || fail "the model has no ti terms"
grep -q '"s(usage_trend):lifecycle_stagematurity.1"' ti.json || fail "the model has no curve per level"
grep -q '"seats:nps"' ti.json || fail "the model has no product term"

"$vitals" generate 2000 --shape curved --seed 12 -o fresh.csv 2>/dev/null || fail "generate"
# Rows 3, 53, ...: no usage_trend; 7, 52, ...: no days_since_contact;
# 9, 49, ...: no lifecycle_stage; every 97th: a stage training never saw.
awk -F, 'BEGIN { OFS = "," }
    NR > 1 && NR % 50 == 3 { $12 = "" }
    NR > 1 && NR % 45 == 7 { $16 = "" }
    NR > 1 && NR % 40 == 9 { $3 = "" }
    NR > 1 && NR % 97 == 4 { $3 = "renewal" }
    { print }' fresh.csv >blanked.csv
node "$VITALS_DB_SCRIPTS/smooth_edges.mjs" ti.json blanked.csv 100 >score.csv || fail "edge values"
# The corners of the ti: its first margin's last knot with the second's
# first knot (0 for days_since_contact, so -1e-12 beside it) on one row.
knot_a=$(node -e 'const m = JSON.parse(require("fs").readFileSync("ti.json", "utf8"));
    const k = m.encoding.interactions[0].tensor.margins[0].knots; console.log(k[k.length - 1])')
grep -Eq ",$knot_a,[^,]*,[^,]*,[^,]*,-1e-12,[01],[01]\$" score.csv || fail "no row at two margins' knots"
"$vitals" predict ti.json score.csv --unseen baseline -o scores.csv --quiet || fail "predict"
awk 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' scores.csv >expected.csv
for engine in postgres duckdb; do
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine ti.json "$PWD/score.csv" "$PWD/expected.csv" --unseen baseline ||
        fail "$engine"
    grep -q ' \* (vt_sp0a_4 \* vt_sp0b_4)$' view-$engine.sql || fail "$engine: no ti term in the SQL"
    grep -Eq ' AS vt_sp0b_4,?$' view-$engine.sql || fail "$engine: no ti margin's column in the SQL"
done
