#include "score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"

struct scorer {
    const model *m;
    char *path;            /* the scored file, for errors */
    encoder *coder;
    size_t n_terms, n_targets, n_models, churn;
    double *beta;          /* per model, per target: n_terms coefficients */
    long by_field, id_field;
    dict *segment_levels;  /* --by level -> segment index */
};

double score_eta(const double *beta, const double *x, size_t n_terms)
{
    double eta = 0.0;
    for (size_t t = 0; t < n_terms; t++)
        eta += beta[t] * x[t];
    return eta;
}

void score_coefficients(const double *estimate, const int *aliased, size_t n_terms, double *beta)
{
    for (size_t t = 0; t < n_terms; t++)
        beta[t] = aliased[t] ? 0.0 : estimate[t];
}

double score_probability(double eta)
{
    if (eta >= 0)
        return 1.0 / (1.0 + exp(-eta));
    double e = exp(eta);
    return e / (1.0 + e);
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

/* ------------------------------------------------------------- a scorer */

static long header_find(const char *const *header, size_t n_columns, const char *name)
{
    for (size_t c = 0; c < n_columns; c++)
        if (strcmp(header[c], name) == 0)
            return (long)c;
    return -1;
}

size_t score_churn_index(const model *m)
{
    const model_target *churn = model_find_target(m, "churn");
    return churn ? (size_t)(churn - m->targets) : 0;
}

/* Coefficients of every model (pooled first, then each segment's; a
 * segment that falls back repeats the pooled ones). */
static void fill_coefficients(scorer *sc)
{
    const model *m = sc->m;
    for (size_t s = 0; s < sc->n_models; s++)
        for (size_t k = 0; k < sc->n_targets; k++) {
            const model_target *target = model_scoring_target(m, s, k);
            score_coefficients(target->estimate, target->aliased, sc->n_terms, sc->beta + (s * sc->n_targets + k) * sc->n_terms);
        }
}

vt_status scorer_new(const model *m, const char *path, const char *const *header, size_t n_columns,
                     int unseen_baseline, scorer **out, vt_err *err)
{
    *out = NULL;
    scorer *sc = vt_calloc(1, sizeof *sc);
    if (sc == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    sc->m = m;
    sc->path = vt_strdup(path);
    sc->n_terms = m->enc->n_terms;
    sc->n_targets = m->n_targets;
    sc->n_models = 1 + m->n_segments;
    sc->churn = score_churn_index(m);
    sc->id_field = m->id_column ? header_find(header, n_columns, m->id_column) : -1;
    sc->by_field = m->by_column ? header_find(header, n_columns, m->by_column) : -1;
    vt_status status = encoder_new(m->enc, path, header, n_columns, unseen_baseline,
                                   (const char *const *)m->na_tokens, m->n_na_tokens, &sc->coder, err);
    if (status == VT_OK && m->by_column && sc->by_field < 0)
        status = vt_err_set(err, VT_EDATA, path, 1, 0, "the model needs column '%s' (--by), which the header lacks",
                            m->by_column);
    if (status == VT_OK &&
        (sc->path == NULL || (sc->beta = vt_calloc(sc->n_models * sc->n_targets * sc->n_terms, sizeof(double))) == NULL ||
         (m->n_segments && (sc->segment_levels = dict_new()) == NULL)))
        status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    for (size_t s = 0; status == VT_OK && s < m->n_segments; s++)
        if (dict_intern(sc->segment_levels, m->segments[s].level, strlen(m->segments[s].level)) < 0)
            status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    if (status != VT_OK) {
        scorer_free(sc);
        return status;
    }
    fill_coefficients(sc);
    *out = sc;
    return VT_OK;
}

void scorer_read_booleans(scorer *sc, const unsigned char *boolean) { encoder_read_booleans(sc->coder, boolean); }

const char *scorer_cell(const scorer *sc, size_t f, const csv_row *row) { return encoder_cell(sc->coder, f, row); }

void scorer_free(scorer *sc)
{
    if (sc == NULL)
        return;
    encoder_free(sc->coder);
    dict_free(sc->segment_levels);
    free(sc->beta);
    free(sc->path);
    free(sc);
}

size_t scorer_n_terms(const scorer *sc) { return sc->n_terms; }
size_t scorer_churn(const scorer *sc) { return sc->churn; }
long scorer_id_field(const scorer *sc) { return sc->id_field; }

vt_status scorer_row(const scorer *sc, const csv_row *row, double *x, score_result *out, score_counts *counts,
                     vt_err *err)
{
    encoder_counts encoded = {0};
    vt_status status = encoder_row(sc->coder, row, sc->path, x, &encoded, err);
    if (status != VT_OK)
        return status;
    counts->n_imputed += encoded.n_imputed;
    counts->n_unseen += encoded.n_unseen;
    out->model = 0;
    if (sc->by_field >= 0) {
        long segment = dict_find(sc->segment_levels, row->fields[sc->by_field], row->lengths[sc->by_field]);
        if (segment < 0)
            counts->n_pooled++;
        else
            out->model = (size_t)segment + 1;
    }
    const double *beta = sc->beta + out->model * sc->n_targets * sc->n_terms;
    if (sc->n_targets == 2) {
        /* Both sums in one pass over x: two independent chains, each added
         * in term order, so each equals score_eta's to the bit. */
        const double *churn = beta, *expansion = beta + sc->n_terms;
        double eta0 = 0.0, eta1 = 0.0;
        for (size_t t = 0; t < sc->n_terms; t++) {
            eta0 += churn[t] * x[t];
            eta1 += expansion[t] * x[t];
        }
        out->eta[0] = eta0;
        out->eta[1] = eta1;
    } else {
        for (size_t k = 0; k < sc->n_targets; k++)
            out->eta[k] = score_eta(beta + k * sc->n_terms, x, sc->n_terms);
    }
    for (size_t k = 0; k < sc->n_targets; k++) {
        /* Finite cells can still overflow: 1e300 x 1e10 is inf, and inf -
         * inf is no score at all. */
        if (isnan(out->eta[k]))
            return vt_err_set(err, VT_EDATA, sc->path, row->line, 0,
                              "the %s score overflows: a value in this row is too large for the model",
                              sc->m->targets[k].name);
        out->probability[k] = score_probability(out->eta[k]);
    }
    out->health = score_health(out->probability[sc->churn]);
    out->level = score_bucket(out->health, sc->m->red_below, sc->m->yellow_below);
    return VT_OK;
}

void scorer_effects(const scorer *sc, const double *x, size_t model, size_t target, double *effects)
{
    const encoding *enc = sc->m->enc;
    const double *beta = sc->beta + (model * sc->n_targets + target) * sc->n_terms;
    for (size_t e = 0; e < encoding_n_effects(enc); e++)
        effects[e] = 0.0;
    for (size_t t = 1; t < sc->n_terms; t++)
        effects[enc->term_effect[t]] += beta[t] * (x[t] - enc->term_mean[t]);
}

size_t scorer_drivers(const scorer *sc, const double *x, size_t model, size_t target, size_t wanted, double *effects,
                      size_t *order)
{
    const encoding *enc = sc->m->enc;
    const model_target *scoring = model_scoring_target(sc->m, model, target);
    const model_drivers *drivers = &scoring->drivers;
    size_t n_effects = encoding_n_effects(enc), n_drivers = 0, rest = n_effects;
    scorer_effects(sc, x, model, target, effects);
    model_merge_drivers(drivers, n_effects, effects);
    model_centre_groups(scoring, drivers, enc, 1, effects);
    for (size_t e = 0; e < n_effects; e++) /* the heads first, in effect order; the merged ones after */
        if (model_driver_head(drivers, e) == e)
            order[n_drivers++] = e;
    for (size_t e = n_effects; e-- > 0;)
        if (model_driver_head(drivers, e) != e)
            order[--rest] = e;
    if (wanted > n_drivers)
        wanted = n_drivers;
    for (size_t i = 0; i < wanted; i++) { /* partial selection sort: few drivers are wanted */
        size_t best = i;
        for (size_t j = i + 1; j < n_drivers; j++)
            if (fabs(effects[order[j]]) > fabs(effects[order[best]]))
                best = j;
        size_t keep = order[i];
        order[i] = order[best];
        order[best] = keep;
    }
    return n_drivers;
}
