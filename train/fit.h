/* fit: every target fitted on one set of rows.
 *
 * The one place that calls the IRLS solver (irls_design_new, irls_fit,
 * irls_design_sds): the rows' design is prepared once, every target is
 * fitted on it in the same passes over the rows, and each plain (not
 * Firth, not ridge) fit is checked for separation.  Also the probabilities a fit gives chosen rows, as predict
 * computes them (score_eta on the saved coefficients).
 *
 * A fit_problem borrows everything it points to; the caller keeps it alive
 * while fitting.  Rows are named by their position among the used rows
 * (0 .. n_used - 1).  Not thread-safe per problem (the solver itself uses
 * problem->threads threads). */
#ifndef FIT_H
#define FIT_H

#include <stddef.h>

#include "encode.h"
#include "gam.h"
#include "irls.h"
#include "model.h"
#include "vt.h"

typedef struct {
    const design_source *rows; /* the used rows' design (borrowed) */
    char *const *term_names;   /* n_terms names, [0] the intercept */
    size_t n_terms, n_used, n_targets;
    const double *y[MODEL_MAX_TARGETS];     /* each target's 0/1 outcome, n_used values */
    const double *prior[MODEL_MAX_TARGETS]; /* each target's row weights (all set or all NULL) */
    irls_options irls;                      /* its l2 is ignored: see l2[] */
    double l2[MODEL_MAX_TARGETS];           /* each target's ridge strength, 0 for none */
    const char *path;                       /* the data file, for errors */
    size_t threads;                         /* for the solver: 0 for one per core */
    /* Or the used rows read from a file on each pass (file_rows.h), in
     * place of rows, y and prior: then only all rows are fitted
     * (positions NULL) and fit_predict is not available. */
    const irls_source *stream;
    size_t stream_events[MODEL_MAX_TARGETS]; /* events among the streamed rows */
    /* Smooth terms (gam.h): with any, every target is fitted by gam_fit,
     * its smoothing parameters chosen by REML or fixed. */
    const gam_smooth *smooths;
    size_t n_smooths;
    const char *names[MODEL_MAX_TARGETS]; /* each target's name in messages; NULL: fit_target_name's */
    char *const *left_out;                /* per term, why these fits leave it out (irls.h), or NULL */
} fit_problem;

typedef struct {
    irls_result *fits[MODEL_MAX_TARGETS];  /* NULL where skipped; owned */
    double *term_mean, *term_sd;           /* of the fitted rows' design, n_terms each; owned */
    size_t n_rows;
    size_t n_events[MODEL_MAX_TARGETS];    /* events among the fitted rows */
} fit_result;

/* "churn" or "expansion": target k's name in messages and the model. */
const char *fit_target_name(size_t k);

/* Fit every target whose skip[k] is 0 (skip may be NULL) on the used rows
 * positions[0 .. n) (all n_used rows, in order, if positions is NULL).
 * out (OUT) is filled on success and holds what was made on failure: free
 * it with fit_result_free either way.  Errors: VT_EDATA when the rows hold
 * a single outcome of a target, the solver's status (with the data path)
 * when a fit fails, VT_ENUMERIC when a plain fit is separated (see
 * separation.h), VT_ENOMEM. */
vt_status fit_rows(const fit_problem *problem, const size_t *positions, size_t n, const int *skip,
                   fit_result *out /* OUT */, vt_err *err);
/* Free what out holds (not out itself) and clear it. */
void fit_result_free(fit_result *result);

/* Probabilities (OUT, n values) that fit gives the used rows positions[0 ..
 * n) (all rows if NULL).  Errors: VT_ENOMEM. */
vt_status fit_predict(const fit_problem *problem, const irls_result *fit, const size_t *positions, size_t n,
                      double *out /* OUT */, vt_err *err);

/* S = sum_k sp_k S_k of the problem's smooths on the raw design columns
 * (n_terms x n_terms; sp NULL: every sp_k 1); NULL if no memory.  The
 * caller frees it. */
double *fit_penalty(const fit_problem *problem, const double *sp);

/* Copy a fit into a model target (its per-term arrays allocated here: the
 * encoding's terms; a smooth fit's per-smooth figures and blocks of Vp,
 * the smooths in enc's feature order; its collinear groups, each offset
 * from fit_mean, the fitted rows' term means, against enc's term_mean).
 * VT_ENOMEM if out of memory; the target may then hold part. */
vt_status fit_copy_target(model_target *target, const irls_result *fit, const double *fit_mean, const encoding *enc);

#endif
