/* inference: what a reader of summary.glm asks of each coefficient.
 *
 * Wald intervals (R's confint.default): estimate +/- z * SE with z the
 * normal quantile of (1 + level) / 2; odds ratios and their intervals by
 * exponentiation; standardised coefficients (estimate x the column's
 * sample standard deviation) so weights on different scales compare;
 * McFadden's pseudo-R^2.  Pure functions. */
#ifndef INFERENCE_H
#define INFERENCE_H

#include "model.h"

typedef struct {
    double low, high;                 /* Wald interval of the estimate */
    double odds_ratio, odds_low, odds_high;
    double standardised;
} term_inference;

void inference_term(double estimate, double std_error, double level, double column_sd, term_inference *out);

/* 1 - deviance / null deviance (for 0/1 responses, 1 - logLik / logLik0). */
double inference_mcfadden(const model_target *target);

/* R's significance codes: "***", "**", "*", ".", "". */
const char *inference_stars(double p);

#endif
