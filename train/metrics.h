/* metrics: how well scores rank and calibrate outcomes.
 *
 * ROC AUC, average precision, log-loss and Brier score are computed as
 * scikit-learn 1.2 computes roc_auc_score (trapezoids over the ROC curve,
 * tied scores one point), average_precision_score (sum over distinct
 * thresholds of recall step x precision), log_loss (probabilities clipped
 * to [eps, 1 - eps], eps the double epsilon) and brier_score_loss, with
 * optional sample weights.  Also: calibration by decile of the score (rank
 * deciles, weighted means) with the Hosmer-Lemeshow statistic on 8 degrees
 * of freedom, the share of events captured by the top-scored decile and its
 * lift, and rows, events and event rate per health bucket.  weights may be
 * NULL (all ones).  Pure computation. */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>

#include "vt.h"

#define METRICS_DECILES 10

typedef struct {
    double mean_predicted, observed_rate;
    size_t count;
} calibration_bin;

typedef struct {
    size_t n;
    double events;                   /* weighted */
    double roc_auc, average_precision, log_loss, brier;
    calibration_bin deciles[METRICS_DECILES]; /* lowest scores first */
    size_t n_deciles;
    double hosmer_lemeshow, hosmer_lemeshow_df, hosmer_lemeshow_p;
    double top_decile_capture, top_decile_lift;
    size_t bucket_rows[3];           /* indexed by bucket (red, yellow, green) */
    double bucket_events[3];
} metrics;

/* y: 0/1 outcomes; score: predicted probabilities.  Both classes must be
 * present (else VT_EDATA). */
vt_status metrics_compute(const double *y, const double *score, const double *weights, size_t n, double red_below,
                          double yellow_below, metrics *out /* OUT */, vt_err *err);

#endif
