# vitals sql on PostgreSQL and DuckDB gives predict's numbers on generated
# accounts: blank cells (numeric and categorical), an unseen level, and log-odds
# beyond +-709 and +-745, where PostgreSQL's exp would raise.  Every row.
# uses: postgres duckdb
export vitals
"$vitals" generate 3000 --seed 11 -o train.csv 2>/dev/null || fail "generate"
"$vitals" train train.csv --churn churned --expansion expanded --id account_id --quiet -o model.json 2>/dev/null ||
    fail "train"
"$vitals" generate 1500 --seed 12 -o fresh.csv 2>/dev/null || fail "generate"
# Rows 2, 52, ...: no segment; 3, 53, ...: no mrr; every 97th: a lifecycle
# stage training never saw; rows 400-570: active_user_ratio from -600 to 590
# in steps of 7 (its coefficient is about -1.8: log-odds from about +1080 to
# -1060), then two of +-1e300.
awk -F, 'BEGIN { OFS = "," }
    NR > 1 && NR % 50 == 2 { $2 = "" }
    NR > 1 && NR % 50 == 3 { $5 = "" }
    NR > 1 && NR % 97 == 4 { $3 = "renewal" }
    NR >= 400 && NR <= 570 { $8 = -600 + 7 * (NR - 400) }
    NR == 571 { $8 = "1e300" }
    NR == 572 { $8 = "-1e300" }
    { print }' fresh.csv >score.csv
"$vitals" predict model.json score.csv --unseen baseline -o baseline.csv --quiet || fail "predict --unseen baseline"
# The same less the unseen rows, as predict's default refuses them: the SQL
# gives those rows no scores and a note instead.
awk -F, 'NR == FNR { unseen[FNR] = ($3 == "renewal"); next }
    FNR == 1 { print $0 ",vitals_note"; next }
    unseen[FNR] { print $1 ",,,,,unseen level of lifecycle_stage"; next }
    { print $0 "," }' score.csv baseline.csv >expected.csv
grep -v ',renewal,' score.csv >seen.csv
"$vitals" predict model.json seen.csv -o seen-scores.csv --quiet || fail "predict"
[ "$(grep -c 'unseen level' expected.csv)" -gt 10 ] || fail "too few unseen rows"
cmp -s seen-scores.csv "$(grep -v 'unseen level' expected.csv | sed 's/,$//' | sed '1s/,vitals_note$//' >seen-expected.csv; echo seen-expected.csv)" ||
    fail "predict's default and --unseen baseline disagree on the seen rows"
awk -F, 'NR > 1 { print $1 "," $2 "," $3 "," $4 "," $5 "," }' baseline.csv | sed '1i account_id,churn_risk,expansion,health,bucket,vitals_note' >expected-baseline.csv
# Extremes reached both ends: probabilities of exactly 0 and 1, and subnormal ones.
grep -q ',0,[^,]*,100,green' baseline.csv || fail "no row with churn_risk 0"
grep -q ',1,[^,]*,0,red' baseline.csv || fail "no row with churn_risk 1"
grep -Eq ',[0-9.]+e-3[0-9][0-9],' baseline.csv || fail "no subnormal churn_risk"
for engine in postgres duckdb; do
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/score.csv" "$PWD/expected.csv" || fail "$engine: default"
    sh "$VITALS_DB_SCRIPTS/check_sql.sh" $engine model.json "$PWD/score.csv" "$PWD/expected-baseline.csv" --unseen baseline ||
        fail "$engine: --unseen baseline"
done
