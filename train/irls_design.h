/* irls_design: the prepared design's insides, shared by the two solvers
 * that read it (irls.c, gam.c) and by nobody else.
 *
 * The scaled design the solvers work on: column 0 the intercept, then each
 * kept column centred and divided by its centred norm.  Rows are scaled as
 * they arrive from the source, in every pass. */
#ifndef IRLS_DESIGN_H
#define IRLS_DESIGN_H

#include "irls.h"

/* Row chunks per pass: fixed, so sums do not depend on the thread count. */
#define ROW_CHUNKS 16
/* R's logit link cuts eta off here (src/library/stats/src/family.c). */
#define ETA_THRESHOLD 30.0

struct irls_design {
    irls_source source;
    size_t threads, n_chunks;
    size_t n_rows, n_terms; /* as given */
    size_t n_kept;          /* kept columns, the intercept included */
    size_t *term_of;        /* kept column -> original term */
    double *center, *scale; /* per kept column (0 and 1 for the intercept) */
    double *inverse_scale;  /* 1 / scale */
    int *aliased;           /* per original term */
    char **alias_reason;    /* per original term */
    double *mean;           /* per original term */
    double *sd;             /* per original term: sample standard deviation */
    /* per target, over all rows: sum of prior weights, of weighted outcomes,
     * and rows of positive weight (glm.fit's wtdmu and n.ok) */
    double total_weight[IRLS_MAX_TARGETS], event_weight[IRLS_MAX_TARGETS];
    size_t n_obs[IRLS_MAX_TARGETS];
    /* per target with prior weights, per original term: the weighted sum of
     * squares about the weighted mean (ridge's sd_j, as glmnet weighs it);
     * NULL without weights */
    double *weighted_mean[IRLS_MAX_TARGETS], *weighted_ss[IRLS_MAX_TARGETS];
};


/* R's logit_linkinv and logit_mu_eta from one exp(): mu and dmu/deta. */
void irls_logit_inverse(double eta, double *mu, double *mu_eta);
/* y log(y / mu), 0 at y = 0. */
double irls_y_log_y(double y, double mu);

/* One pass over the source's rows on threads: chunk c's rows go to visit
 * with contexts[c]; callers combine the chunks in order.  The first
 * failing chunk's error, in row order. */
vt_status irls_run_pass(const irls_design *d, irls_visit_fn visit, void **contexts, vt_err *err);

/* An empty result for the design's terms, its aliased terms marked. */
irls_result *irls_result_new(const irls_design *d);

#endif
