/* score: the scoring kernel shared by predict (and later score/compare).
 *
 * A block of encoded rows (n_rows x n_terms) times the coefficient matrix
 * (n_terms x n_targets, aliased terms 0) gives every target's log-odds in
 * one BLAS call; probabilities, health and bucket follow.  Pure functions. */
#ifndef SCORE_H
#define SCORE_H

#include <stddef.h>

#include "model.h"
#include "vt.h"

typedef enum { BUCKET_RED, BUCKET_YELLOW, BUCKET_GREEN } bucket;

/* Row-major coefficients of m, n_terms x (n_targets x (1 + n_segments)):
 * the pooled targets' columns first, then each segment's (a segment that
 * falls back repeats the pooled columns).  Caller frees. */
double *score_coefficients(const model *m);

/* probabilities (n_rows x n_targets) of a block of encoded rows. */
vt_status score_block(const double *coefficients, size_t n_terms, size_t n_targets, const double *x,
                      size_t n_rows, double *probabilities);

/* One row's log-odds under a target: its estimates (aliased terms 0) times
 * x, an encoded row of n_terms values. */
double score_log_odds(const model_target *target, const double *x, size_t n_terms);

/* 1 / (1 + exp(-eta)), without overflow for any eta. */
double score_probability(double eta);
/* round(100 * (1 - churn_risk)) */
int score_health(double churn_risk);
bucket score_bucket(int health, double red_below, double yellow_below);
const char *bucket_name(bucket b);

#endif
