/* gen: synthetic account snapshots drawn from known logistic models.
 *
 * Each row is an account: segment, lifecycle stage, seats, MRR, tenure,
 * logins per seat, active-user ratio, adoption of key features A/B/C, usage
 * trend, open tickets, NPS (15% unanswered: missing), unpaid invoices, days
 * since last contact; then `churned` and `expanded`, drawn from logistic
 * models of the values as written (so the truth holds exactly for the file).
 * The truth is given in vitals' own term names, so a fitted model can be
 * checked coefficient by coefficient.  Same seed, same bytes.
 *
 * Two shapes of truth.  GEN_LINEAR: both log-odds are linear in the
 * columns.  GEN_CURVED: the same rows, the same columns and the same
 * expansion labels (the random draws are the very same), but the churn
 * log-odds is additive with curved functions of three columns (the
 * gen_curve formulas: a ramp in active_user_ratio, a U in
 * days_since_contact, a saturating protection by logins_per_seat), linear
 * in the rest, plus two interactions (usage_trend's slope by lifecycle
 * stage, open tickets x unpaid invoices); only the churned column differs.  The expansion model stays
 * linear in both shapes. */
#ifndef GEN_H
#define GEN_H

#include <stdint.h>
#include <stdio.h>

#include "vt.h"

#define GEN_N_TERMS 19
#define GEN_N_CURVES 3 /* curved columns of the GEN_CURVED churn model */
#define GEN_GRID 101   /* points each curve is tabulated at in the truth */
#define GEN_N_PAIRS 3  /* interaction terms of the GEN_CURVED churn model */

typedef enum {
    GEN_LINEAR, /* every effect linear (the default, unchanged since the first release) */
    GEN_CURVED  /* churn: three curved effects, the rest linear */
} gen_shape;

/* One true curve of the GEN_CURVED churn model, centred: its mean over the
 * rows written is removed (the convention of a sum-to-zero-constrained
 * smooth) and added to the churn (Intercept). */
typedef struct {
    const char *term;    /* the column (its term name) */
    const char *formula; /* the uncentred f, as text */
    double low, high;    /* the grid's ends: the 0.5% and 99.5% quantiles of the column as written */
    double mean;         /* mean of the uncentred f over the rows written */
    double x[GEN_GRID];  /* GEN_GRID evenly spaced points from low to high */
    double f[GEN_GRID];  /* the centred f there */
} gen_curve;

typedef struct {
    const char *term_names[GEN_N_TERMS];
    double churn[GEN_N_TERMS];
    double expansion[GEN_N_TERMS];
    size_t n_rows, n_churned, n_expanded;
    double nps_mean; /* mean of the answered NPS values: the imputation value */
    gen_shape shape;
    /* GEN_CURVED only: churn_curved[t] is 1 when term t enters the churn
     * log-odds as a curve (then churn[t] is 0 and not a coefficient), and
     * the curves; churn[0], the intercept, includes their means. */
    int churn_curved[GEN_N_TERMS];
    gen_curve churn_curves[GEN_N_CURVES];
    /* and its interaction terms, R's names ("usage_trend:lifecycle_stageonboarding"),
     * each the product of two of the terms above */
    const char *pair_names[GEN_N_PAIRS];
    double churn_pairs[GEN_N_PAIRS];
} gen_truth;

/* A changed true coefficient ("what if this driver mattered more?"). */
typedef struct {
    const char *target; /* "churn" or "expansion" */
    const char *term;   /* a term name of gen_truth, not nps_missing */
    double value;
} gen_override;

/* Write n_rows rows (and a header) to out; fill truth.  override may be
 * NULL; under GEN_CURVED it may not name a churn curve (VT_EUSAGE), and a
 * churn (Intercept) it sets is the one before the curves are centred. */
vt_status gen_write(FILE *out, size_t n_rows, uint64_t seed, gen_shape shape, const gen_override *override,
                    gen_truth *truth /* OUT */, vt_err *err);

/* K monthly snapshots (months >= 2) of n_accounts accounts, month by
 * month (all of a month's rows, then the next's), with a snapshot_date
 * column after account_id: the first of each month from 2024-01-01.
 * Features drift; an account may start to decline (fewer active users,
 * usage trend down, tickets up, contact rarer) and then churns more and
 * more likely.  A row's churned label is drawn from the true model of its
 * values as written, with the intercept for a month (the truth says so);
 * an account that churned is absent afterwards.  truth->n_rows counts the
 * rows written.  Memory: one small record per account.  Under GEN_CURVED
 * the curves are those of gen_write, centred over every row written; the
 * accounts that churn differ, so later months differ from the linear
 * shape's in more than the labels. */
vt_status gen_write_months(FILE *out, size_t n_accounts, int months, uint64_t seed, gen_shape shape,
                           const gen_override *override, gen_truth *truth /* OUT */, vt_err *err);

#endif
