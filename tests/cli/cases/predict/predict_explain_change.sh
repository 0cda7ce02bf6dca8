    # Issue 13: predict --previous-data THEN.csv --explain-change N scores the
    # earlier snapshot with the same model, joins by id and names the features
    # whose contribution to the churn log-odds moved most.  Exact, because the
    # model is linear in the log-odds: all the contributions add up to the
    # change in log-odds, checked here to 1e-12 against the two snapshots'
    # churn risks (a pooled model, and a --by model whose level moved).
    "$vitals" generate 3000 --seed 1 -o then.csv 2>/dev/null || fail "generate"
    # Now: every third account's usage falls and tickets rise; every seventh moves stage.
    awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 3 == 0 { $12 = $12 - 0.2; $13 = $13 + 2 }
             NR > 5 && NR % 7 == 0 { $3 = "onboarding" } { print }' then.csv >now.csv
    check_sums() { # MODEL: every change adds up to logit(now) - logit(then)
        "$vitals" predict "$1" then.csv --quiet -o then_scores.csv || fail "predict then"
        "$vitals" predict "$1" now.csv --previous-data then.csv --explain-change 100 --quiet -o out.csv || fail "predict now"
        awk -F, 'function logit(p) { return log(p / (1 - p)) }
            NR == FNR { if (FNR > 1) risk[$1] = $2; next }
            FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            {
                total = 0
                for (i = col["change_1_log_odds"]; i <= NF; i += 2) total += $i
                want = logit($2) - logit(risk[$1])
                d = total - want; if (d < 0) d = -d
                if (d > 1e-12) { print $1 ": changes sum to " total ", log-odds moved " want; bad = 1 }
                if ($(col["health_then"]) != $(col["health"]) - $(col["health_change"])) { print $1 ": health_then"; bad = 1 }
                rows++
            }
            END { exit bad || rows != 3000 }' then_scores.csv out.csv || fail "$1: contributions do not add up to the change"
    }
    "$vitals" train then.csv --churn churned --drop expanded --id account_id --quiet -o m.json 2>/dev/null || fail "train"
    check_sums m.json
    # The accounts whose usage fell name usage_trend among the top two, positive (riskier).
    "$vitals" predict m.json now.csv --previous-data then.csv --explain-change 2 --quiet -o two.csv || fail "predict 2"
    awk -F, 'NR > 1 && NR % 3 == 0 && !(($9 == "usage_trend" && $10 > 0) || ($11 == "usage_trend" && $12 > 0)) { bad = 1; print }
             NR > 1 && NR % 3 != 0 && NR % 7 != 0 && $9 != "" { bad = 1; print "unchanged account with a change: " $0 }
             END { exit bad }' two.csv || fail "usage_trend not named where usage fell"
    head -1 two.csv | grep -q ',alert,health_then,change_1,change_1_log_odds,change_2,change_2_log_odds$' || fail "header"
    # A --by model: an account whose stage moved is scored by another model; the rest is named after the column.
    "$vitals" train then.csv --churn churned --drop expanded --id account_id --by lifecycle_stage --quiet -o by.json 2>/dev/null ||
        fail "train --by"
    check_sums by.json
    grep -q ',lifecycle_stage,' out.csv || fail "no lifecycle_stage item where the stage moved"
    # A model with a pair term (and a curve per stage): a pair's change is named
    # as the pair, and the changes still add up.
    "$vitals" train then.csv --churn churned --drop expanded --id account_id --quiet -o pair.json \
        --smooth active_user_ratio --interact usage_trend:lifecycle_stage,active_user_ratio:segment,seats:nps \
        2>/dev/null || fail "train pairs"
    check_sums pair.json
    grep -q ',usage_trend x lifecycle_stage,' out.csv || fail "no pair named among the changes"
    # JSON lines carry the same.
    "$vitals" predict m.json now.csv --previous-data then.csv --format jsonl --quiet | head -3 | grep -q '"health_then":[0-9]*,"changes":\[' ||
        fail "jsonl"
    # Errors.
    expect_fail "^vitals: --explain-change needs --previous-data$" "$vitals" predict m.json now.csv --explain-change 2
    expect_fail "^vitals: --previous and --previous-data: choose one$" \
        "$vitals" predict m.json now.csv --previous then_scores.csv --previous-data then.csv
    awk -F, 'BEGIN { OFS = "," } NR == 5 { $1 = "A00000002" } { print }' then.csv >dup.csv
    expect_fail "^vitals: dup\.csv:5:1: id 'A00000002' appears twice$" \
        "$vitals" predict m.json now.csv --previous-data dup.csv -o x.csv
    cut -d, -f1-11,13- then.csv >no_trend.csv
    expect_fail "^vitals: no_trend\.csv:1: .*usage_trend" "$vitals" predict m.json now.csv --previous-data no_trend.csv -o x.csv
    no_file x.csv
    "$vitals" train then.csv --churn churned --drop expanded --drop account_id --quiet -o noid.json 2>/dev/null || fail "train no id"
    expect_fail "train the model with --id" "$vitals" predict noid.json now.csv --previous-data then.csv -o x.csv
    no_file x.csv
