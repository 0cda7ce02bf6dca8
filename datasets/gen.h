/* gen: synthetic account snapshots drawn from known logistic models.
 *
 * Each row is an account: segment, lifecycle stage, seats, MRR, tenure,
 * logins per seat, active-user ratio, adoption of key features A/B/C, usage
 * trend, open tickets, NPS (15% unanswered: missing), unpaid invoices, days
 * since last contact; then `churned` and `expanded`, drawn from logistic
 * models of the values as written (so the truth holds exactly for the file).
 * The truth is given in vitals' own term names, so a fitted model can be
 * checked coefficient by coefficient.  Same seed, same bytes. */
#ifndef GEN_H
#define GEN_H

#include <stdint.h>
#include <stdio.h>

#include "vt.h"

#define GEN_N_TERMS 19

typedef struct {
    const char *term_names[GEN_N_TERMS];
    double churn[GEN_N_TERMS];
    double expansion[GEN_N_TERMS];
    size_t n_rows, n_churned, n_expanded;
    double nps_mean; /* mean of the answered NPS values: the imputation value */
} gen_truth;

/* A changed true coefficient ("what if this driver mattered more?"). */
typedef struct {
    const char *target; /* "churn" or "expansion" */
    const char *term;   /* a term name of gen_truth, not nps_missing */
    double value;
} gen_override;

/* Write n_rows rows (and a header) to out; fill truth.  override may be
 * NULL. */
vt_status gen_write(FILE *out, size_t n_rows, uint64_t seed, const gen_override *override, gen_truth *truth /* OUT */,
                    vt_err *err);

/* K monthly snapshots (months >= 2) of n_accounts accounts, month by
 * month (all of a month's rows, then the next's), with a snapshot_date
 * column after account_id: the first of each month from 2024-01-01.
 * Features drift; an account may start to decline (fewer active users,
 * usage trend down, tickets up, contact rarer) and then churns more and
 * more likely.  A row's churned label is drawn from the true model of its
 * values as written, with the intercept for a month (the truth says so);
 * an account that churned is absent afterwards.  truth->n_rows counts the
 * rows written.  Memory: one small record per account. */
vt_status gen_write_months(FILE *out, size_t n_accounts, int months, uint64_t seed, const gen_override *override,
                           gen_truth *truth /* OUT */, vt_err *err);

#endif
