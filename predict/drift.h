/* drift: what changed between two retrains of a model, the numbers
 * `vitals diff` and `vitals report --previous` both show.
 *
 * Per term, the change in the estimate and its z statistic, change /
 * sqrt(SE_old^2 + SE_new^2), flagged above a threshold; both models' churn
 * risk on the same rows (each row scored as predict scores it); and the
 * population stability index of that risk over the old risk's deciles,
 * with the accounts moving between buckets.  Nothing here prints.  Terms
 * borrow their names from the models; drift_risks owns its arrays. */
#ifndef DRIFT_H
#define DRIFT_H

#include <stddef.h>

#include "model.h"
#include "row_stream.h"
#include "vt.h"

typedef enum {
    DRIFT_SAME,    /* in both, |z| <= flag */
    DRIFT_CHANGED, /* in both, |z| > flag */
    DRIFT_ADDED,   /* only in the new model */
    DRIFT_REMOVED, /* only in the old model */
    DRIFT_ALIASED  /* in both, aliased in either: no z */
} drift_status;

typedef struct {
    const char *term;
    drift_status status;
    double old_estimate, new_estimate, change, z; /* SAME and CHANGED only */
} drift_term;

/* Both models' terms of one target, the old model's order first, then the
 * terms only the new one has.  out holds the two models' n_terms added up;
 * returns the count filled. */
size_t drift_terms(const model *old_model, const model_target *old, const model *new_model, const model_target *new,
                   double flag, drift_term *out);

typedef struct {
    double *old_risk, *new_risk;
    size_t n, cap;
} drift_risks;

/* Both models' churn risk on every row of input (row_stream.h: a file,
 * "-" or a query; its delimiter is the caller's, the new model's unless
 * told), scored on input->threads workers and kept in input order: the
 * risks do not depend on the thread count.  out must be zeroed; free it
 * with drift_risks_free whatever the result.  Errors: the stream's, what
 * scorer_new and scorer_row report (the first in input order), VT_ENOMEM. */
vt_status drift_score(const model *old_model, const model *new_model, const row_stream_options *input,
                      drift_risks *out, vt_err *err);
void drift_risks_free(drift_risks *r);

typedef struct {
    size_t rows;
    double psi;              /* sum over old-risk deciles of (new% - old%) ln(new% / old%), shares floored at 1e-6 */
    size_t moves[3][3];      /* [old bucket][new bucket] */
    size_t changed;          /* accounts whose bucket changed */
} drift_shift;

/* The shift over r's rows: 0, or -1 when there are no rows or no memory. */
int drift_population(const model *old_model, const model *new_model, const drift_risks *r, drift_shift *out);

#endif
