#include "score.h"

#include <math.h>
#include <stdlib.h>

#include "linalg.h"

double *score_coefficients(const model *m)
{
    size_t n_terms = m->enc->n_terms, n_targets = m->n_targets, width = n_targets * (1 + m->n_segments);
    double *coefficients = vt_calloc(n_terms * width, sizeof(double));
    if (coefficients == NULL)
        return NULL;
    for (size_t s = 0; s <= m->n_segments; s++)
        for (size_t k = 0; k < n_targets; k++) {
            const model_target *target = s == 0 || m->segments[s - 1].fallback[k] ? &m->targets[k]
                                                                                 : &m->segments[s - 1].targets[k];
            for (size_t t = 0; t < n_terms; t++)
                coefficients[t * width + s * n_targets + k] = target->aliased[t] ? 0.0 : target->estimate[t];
        }
    return coefficients;
}

double score_log_odds(const model_target *target, const double *x, size_t n_terms)
{
    double eta = 0;
    for (size_t t = 0; t < n_terms; t++)
        if (!target->aliased[t])
            eta += target->estimate[t] * x[t];
    return eta;
}

double score_probability(double eta)
{
    if (eta >= 0)
        return 1.0 / (1.0 + exp(-eta));
    double e = exp(eta);
    return e / (1.0 + e);
}

vt_status score_block(const double *coefficients, size_t n_terms, size_t n_targets, const double *x,
                      size_t n_rows, double *probabilities)
{
    if (n_rows == 0)
        return VT_OK;
    vt_status status = x_times_matrix(x, n_rows, n_terms, coefficients, n_targets, probabilities);
    if (status != VT_OK)
        return status;
    for (size_t i = 0; i < n_rows * n_targets; i++)
        probabilities[i] = score_probability(probabilities[i]);
    return VT_OK;
}

int score_health(double churn_risk)
{
    return (int)lround(100.0 * (1.0 - churn_risk));
}

bucket score_bucket(int health, double red_below, double yellow_below)
{
    if (health < red_below)
        return BUCKET_RED;
    if (health < yellow_below)
        return BUCKET_YELLOW;
    return BUCKET_GREEN;
}

const char *bucket_name(bucket b)
{
    switch (b) {
    case BUCKET_RED: return "red";
    case BUCKET_YELLOW: return "yellow";
    case BUCKET_GREEN: return "green";
    }
    return "red";
}
