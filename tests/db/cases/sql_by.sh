# vitals sql routes a --by model's rows as predict does: each level to its
# own model where it has one, to the pooled model where it fell back or was
# not seen in training (with --unseen baseline; by default such a row is
# unscored, since the --by column is also a feature).
# uses: postgres duckdb
export vitals
"$vitals" generate 6000 --seed 21 -o train.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --expansion expanded --id account_id --by lifecycle_stage --quiet \
    -o model.json 2>/dev/null || fail "train"
grep -q '"fallback' model.json || fail "no level falls back to the pooled model: the case needs one"
"$vitals" generate 1500 --seed 22 -o fresh.csv 2>/dev/null || fail "generate"
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 31 == 5 { $3 = "renewal" } { print }' fresh.csv >score.csv
"$vitals" predict model.json score.csv --unseen baseline -o baseline.csv --quiet 2>pooled.txt || fail "predict"
awk -F, 'NR == 1 { print $0 ",vitals_note"; next } { print $0 "," }' baseline.csv >expected-baseline.csv
awk -F, 'NR == FNR { unseen[FNR] = ($3 == "renewal"); next }
    FNR == 1 { print $0 ",vitals_note"; next }
    unseen[FNR] { print $1 ",,,,,unseen level of lifecycle_stage"; next }
    { print $0 "," }' score.csv baseline.csv >expected.csv
for engine in postgres duckdb; do
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/score.csv" "$PWD/expected-baseline.csv" --unseen baseline ||
        fail "$engine: --unseen baseline"
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/score.csv" "$PWD/expected.csv" || fail "$engine: default"
done
