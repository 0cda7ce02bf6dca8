# A curve per level where a level's accounts cover only part of the
# column's knot range (enterprise accounts have many seats): the level's
# basis columns are dependent over its rows, and the penalty identifies
# them (the alias check and summary.gam's test both allow for it), as mgcv
# fits the same model.  mgcv 1.8-41 on the same file (gam(churned ~
# segment + tenure_months + s(seats, by = segment, bs = "cr", k = 10),
# method = "REML"), run tight):
#   edf 1.909634 1.737560 1.847246, Chi.sq 1.719566 0.790381 2.386914,
#   -REML 1979.881, sp 108.6818 4.057188 0.000166754
"$vitals" generate 3000 --seed 4 --months 6 -o h.csv 2>/dev/null || fail "generate"
drop=expanded,snapshot_date,lifecycle_stage,mrr,logins_per_seat,active_user_ratio,feature_a_adoption
drop=$drop,feature_b_adoption,feature_c_adoption,usage_trend,open_tickets,nps,unpaid_invoices,days_since_contact
"$vitals" train h.csv --churn churned --id account_id --drop $drop --smooth seats --interact seats:segment \
    -o m.json --quiet 2>err.txt || fail "train: $(cat err.txt)"
"$vitals" summary m.json >summary.txt || fail "summary"
check() { # LEVEL EDF CHISQ
    awk -v term="s(seats):segment$1" -v edf="$2" -v chi="$3" '$1 == term {
        found = 1; if ($2 != edf || $4 != chi) { print term ": edf " $2 " Chi.sq " $4; exit 1 } }
        END { if (!found) { print "no " term; exit 1 } }' summary.txt || fail "$1 differs from mgcv"
}
check enterprise 1.910 1.720
check mid-market 1.738 0.790
check smb 1.847 2.387
grep -q -- '-REML = 1979.881' summary.txt || fail "REML: $(grep REML summary.txt)"
