#include "metrics.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

typedef struct {
    double score;
    size_t index;
} ranked;

/* Highest score first; ties by input order, so results never depend on
 * qsort's whims (they cannot anyway: tied scores are one ROC point). */
static int by_score_descending(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

static double weight_of(const double *weights, size_t i)
{
    return weights ? weights[i] : 1.0;
}

/* ROC AUC and average precision from one walk over the tied-score groups. */
static void ranking_metrics(const ranked *order, const double *y, const double *weights, size_t n, metrics *out)
{
    double total_pos = 0, total_neg = 0;
    for (size_t i = 0; i < n; i++) {
        double w = weight_of(weights, order[i].index);
        if (y[order[i].index] == 1.0)
            total_pos += w;
        else
            total_neg += w;
    }
    double tp = 0, fp = 0, last_tpr = 0, last_fpr = 0, last_recall = 0, auc = 0, ap = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        for (; j < n && order[j].score == order[i].score; j++) {
            double w = weight_of(weights, order[j].index);
            if (y[order[j].index] == 1.0)
                tp += w;
            else
                fp += w;
        }
        double tpr = tp / total_pos, fpr = fp / total_neg;
        auc += (fpr - last_fpr) * (tpr + last_tpr) / 2.0;
        if (tp + fp > 0)
            ap += (tpr - last_recall) * (tp / (tp + fp));
        last_tpr = last_recall = tpr;
        last_fpr = fpr;
        i = j;
    }
    out->roc_auc = auc;
    out->average_precision = ap;
}

static void loss_metrics(const double *y, const double *score, const double *weights, size_t n, metrics *out)
{
    double log_loss = 0, brier = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        double w = weight_of(weights, i);
        double p = fmin(fmax(score[i], DBL_EPSILON), 1.0 - DBL_EPSILON);
        log_loss -= w * (y[i] == 1.0 ? log(p) : log(1.0 - p));
        brier += w * (y[i] - score[i]) * (y[i] - score[i]);
        total += w;
    }
    out->log_loss = log_loss / total;
    out->brier = brier / total;
}

/* Deciles by rank of the score, lowest first; Hosmer-Lemeshow over them. */
static void calibration(const ranked *order, const double *y, const double *weights, size_t n, metrics *out)
{
    size_t groups = n < METRICS_DECILES ? n : METRICS_DECILES;
    out->n_deciles = groups;
    double statistic = 0;
    for (size_t g = 0; g < groups; g++) {
        double observed = 0, expected = 0, total = 0;
        size_t first = n * g / groups, last = n * (g + 1) / groups;
        for (size_t r = first; r < last; r++) {
            size_t i = order[n - 1 - r].index; /* ascending */
            double w = weight_of(weights, i);
            observed += w * y[i];
            expected += w * order[n - 1 - r].score;
            total += w;
        }
        calibration_bin *bin = &out->deciles[g];
        bin->count = last - first;
        bin->mean_predicted = total > 0 ? expected / total : 0;
        bin->observed_rate = total > 0 ? observed / total : 0;
        double variance = expected * (1.0 - expected / total);
        if (variance > 0)
            statistic += (observed - expected) * (observed - expected) / variance;
    }
    out->hosmer_lemeshow = statistic;
    out->hosmer_lemeshow_df = groups > 2 ? (double)(groups - 2) : 1.0;
    out->hosmer_lemeshow_p = gsl_cdf_chisq_Q(statistic, out->hosmer_lemeshow_df);
}

static void capture_and_buckets(const ranked *order, const double *y, const double *weights, size_t n,
                                double red_below, double yellow_below, metrics *out)
{
    size_t top = (n + METRICS_DECILES - 1) / METRICS_DECILES;
    double top_events = 0, top_total = 0, all_total = 0;
    for (size_t r = 0; r < n; r++) {
        size_t i = order[r].index;
        double w = weight_of(weights, i);
        if (r < top) {
            top_events += w * y[i];
            top_total += w;
        }
        all_total += w;
        bucket level = score_bucket(score_health(order[r].score), red_below, yellow_below);
        out->bucket_rows[level]++;
        out->bucket_events[level] += w * y[i];
    }
    out->top_decile_capture = top_events / out->events;
    out->top_decile_lift = (top_events / top_total) / (out->events / all_total);
}

vt_status metrics_compute(const double *y, const double *score, const double *weights, size_t n, double red_below,
                          double yellow_below, metrics *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    size_t positives = 0;
    for (size_t i = 0; i < n; i++) {
        out->events += weight_of(weights, i) * y[i];
        positives += y[i] == 1.0;
    }
    if (positives == 0 || positives == n)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "metrics need both outcomes among the %zu rows scored", n);
    ranked *order = vt_malloc(n * sizeof *order);
    if (order == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        order[i] = (ranked){score[i], i};
    qsort(order, n, sizeof *order, by_score_descending);
    ranking_metrics(order, y, weights, n, out);
    loss_metrics(y, score, weights, n, out);
    calibration(order, y, weights, n, out);
    capture_and_buckets(order, y, weights, n, red_below, yellow_below, out);
    free(order);
    return VT_OK;
}
