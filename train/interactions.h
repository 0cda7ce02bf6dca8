/* interactions: the pairs of columns --interact asks for, made pair terms
 * of the training encoding (encode.h's enc_pair: R's A:B, main effects
 * kept).
 *
 * --interact is "A:B,C:D,..." and/or "auto" or "auto:N" (the N pairs the
 * additive fit's score tests rank best, tried and kept when they improve
 * the held-out or REML criterion).  A column name may hold ':': an item
 * splits at the one ':' that leaves a feature on both sides.  Usage errors
 * are one line (VT_EUSAGE) naming the item and why: not A:B, no such
 * feature (a label, id, weight, --by or dropped column), ambiguous, paired
 * twice, a column with itself, a smooth column with a linear numeric one
 * or with a second categorical one. */
#ifndef INTERACTIONS_H
#define INTERACTIONS_H

#include <stddef.h>

#include "encode.h"
#include "fit.h"
#include "pair_search.h"
#include "smooth_terms.h"
#include "table.h"
#include "validate.h"
#include "vt.h"

#define INTERACT_AUTO_DEFAULT 3
#define INTERACT_AUTO_MAX 20

typedef struct {
    char **items;      /* "A:B" as written, split when the features are known */
    size_t n;
    size_t n_auto;     /* auto[:N]: how many ranked pairs to try; 0 without auto */
} interaction_requests;

/* Parse --interact (NULL: no pairs, out empty). */
vt_status interaction_requests_parse(const char *text, interaction_requests *out /* OUT */, vt_err *err);
void interaction_requests_free(interaction_requests *requests);

/* Add the named pairs to enc, in the order written: two smooth columns as
 * ti() (encoding_make_tensor, on the used rows of data), others as
 * encoding_add_pair's.  row_used is NULL when data is only the layout of
 * a streamed file (no smooth terms then).  roles and data name the
 * columns that are not features, for messages. */
vt_status interactions_apply(const interaction_requests *requests, const table_role *roles, size_t n_roles,
                             const table *data, const unsigned char *row_used, encoding *enc, vt_err *err);

/* --interact auto: what was found and done with each ranked pair. */
typedef struct {
    char *name;                 /* "A x B" */
    pair_score score;           /* the score test on the additive fit */
    int tried, kept;
    const char *form;           /* tried: the pair's form (encoding_pair_form) */
    double criterion;           /* the criterion with the pair added (tried ones) */
    char *why_not;              /* not tried: why (the pair cannot be built), else NULL */
} pair_trial;

typedef struct {
    pair_trial *trials;         /* the ranked pairs, strongest first: tried, then the next few */
    size_t n_trials;
    size_t n_ranked;            /* pairs scored */
    const char *criterion;      /* its name: "held-out log-loss" or "AIC" (summed over the targets) */
    double additive;            /* the criterion of the fit before any pair */
    double seconds_ranking;     /* wall time of the score tests */
} pair_search_report;

void pair_search_report_free(pair_search_report *report);

/* What the search fits with: the prepared problem (its rows, names, terms
 * and smooths are replaced for each trial; the rest is kept), the table,
 * used rows and requests behind the encoding, and the validation. */
typedef struct {
    fit_problem problem;
    const table *data;
    const unsigned char *row_used;
    const smooth_requests *smooths;
    validation_kind validation;
    const int *group;           /* holdout/time: 1 held out; folds: the fold */
    size_t folds;
    double red_below, yellow_below;
} pair_search_input;

/* Rank every pair on the additive fit of enc (the churn target, else the
 * first: pair_search.h), then try the `tries` strongest pairs that can be
 * built and whose score test is significant at 0.05 after Bonferroni's
 * correction for the pairs ranked, one at a time, each beside the ones
 * kept before it: a pair stays
 * in enc if the criterion falls (with validation the held-out log-loss,
 * out-of-fold with --folds; else AIC, which charges each pair its degrees
 * of freedom), summed over the targets.  The additive fit is ranked on
 * the fitting rows (holdout and time splits: the kept rows).  report
 * (OUT; free it whatever the status) says what was done. */
vt_status interactions_search(const pair_search_input *in, size_t tries, encoding *enc,
                              pair_search_report *report /* OUT */, vt_err *err);

#endif
