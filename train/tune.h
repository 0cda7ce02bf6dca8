/* tune: a hand-set scorecard's weights, learned from outcomes.
 *
 * Keeps what the team owns (measures, directions, thresholds, missing
 * policies, rules, stage sets) and learns only the weights: per measure
 * set, a logistic regression of the 0/1 outcome on each measure's points
 * lost, x = (100 - points) / 100, with every coefficient constrained to be
 * non-negative (fewer points may only raise the risk), scaled so the set's
 * weights sum to 100.  The card's health is then a decreasing linear
 * function of the fitted log-odds within a set, so it ranks the rows as
 * the constrained fit does.  A measure a row leaves out ("missing":
 * "exclude") gets the measure's mean points over the set's rows in the fit
 * (the card renormalises the other weights instead; this is the nearest
 * additive stand-in).
 *
 * The constrained fit is an active-set method over the IRLS solver
 * (irls.h): fit with every measure, drop the measure with the most
 * negative z and refit until no coefficient is negative, then check the
 * Karush-Kuhn-Tucker conditions: a dropped measure whose log-likelihood
 * gradient points into the feasible side (would raise the likelihood with
 * a positive weight) is added back and the loop goes on (Lawson & Hanson,
 * Solving Least Squares Problems, 1974, ch. 23, for the same scheme in
 * least squares).  Each measure also carries its coefficient and z from
 * the unconstrained fit, so one that works backwards is named with them.
 *
 * Reading: tune_read reads labelled rows once through the card (each row's
 * outcome, set, points per card column, rules fired, health and bucket):
 * a row_stream job (row_stream.h), worker threads read blocks of rows and
 * the calling thread appends them in file order, so the rows and the first
 * error do not depend on the thread count.  The library never prints.
 * Results are owned by the caller. */
#ifndef TUNE_H
#define TUNE_H

#include <stddef.h>
#include <stdint.h>

#include "row_stream.h"
#include "scorecard.h"
#include "vt.h"

/* The rows of a labelled file as the card saw them (n rows). */
typedef struct {
    size_t n, n_columns;      /* n_columns: card->n_columns */
    double *y;                /* 0/1 outcome */
    double *points;           /* n x n_columns, row-major; NaN where the row's set leaves the column out */
    double *values;           /* n x n_columns: each card column's number as read; NaN if missing or text */
    size_t *set;              /* the measure set that judged the row */
    unsigned long long *fired; /* rules fired */
    double *health;           /* with the card's weights as read */
    unsigned char *level;     /* bucket, likewise */
    size_t cap, skipped;      /* skipped: rows without an outcome */
    uint64_t bytes, hash;     /* fingerprint of the input (row_stream.h) */
    char *path;               /* as errors name it */
} tune_data;

/* Read input (a file, "-" or a query's rows; input->threads workers)
 * through card: the label column's outcome (0/1, yes/no, true/false, t/f;
 * rows with it missing are skipped and counted).  Errors name the input,
 * line and column: a card column or the label missing from the header, a
 * bad label or measure value, a malformed record.  Free out with
 * tune_data_free whatever the status. */
vt_status tune_read(const scorecard *card, const row_stream_options *input, const char *label,
                    tune_data *out /* OUT */, vt_err *err);
void tune_data_free(tune_data *data);

typedef struct {
    double weight;            /* tuned; the set's weights sum to 100 */
    double coefficient;       /* constrained fit: log-odds per 100 points lost, >= 0 */
    double free_coefficient;  /* unconstrained fit, likewise (negative: works backwards); NaN if aliased */
    double free_z;            /* its Wald z */
    int zeroed;               /* weight 0 because the constraint binds */
    int aliased;              /* weight 0 because its points do not vary or repeat others' */
} tune_measure;

typedef struct {
    tune_measure *measures;   /* the set's measures, in card order */
    size_t n_measures, n_rows, n_events;
    double intercept;         /* constrained fit */
    int converged;            /* every IRLS fit converged and the KKT check passed */
    int steps;                /* active-set refits */
} tune_set;

/* Fit every measure set of card on the rows positions[0 .. n_fit) of data
 * (out: card->n_sets sets, caller's array; free with tune_sets_free, also on
 * failure).  threads: for the solver (0: one per core); the numbers do not
 * depend on it.  Errors (VT_EDATA naming the set): a set with no rows or one
 * outcome, a card scoring a column twice in one set, no measure that
 * lowers risk; the solver's errors; VT_ENOMEM. */
vt_status tune_fit(const scorecard *card, const tune_data *data, const size_t *positions, size_t n_fit,
                   size_t threads, tune_set *out /* OUT */, vt_err *err);
void tune_sets_free(tune_set *sets, size_t n_sets);

/* Set card's weights to the tuned ones (a set's measures with weight 0
 * stay in the card with weight 0). */
void tune_apply(scorecard *card, const tune_set *sets);

#endif
