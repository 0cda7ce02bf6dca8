/* score: the one way vitals scores a row.
 *
 * A scorer binds a model to the header of the file being scored once
 * (columns looked up by name, --by levels to their models), then encodes
 * and scores rows one at a time: log-odds and probability per target,
 * health and bucket, and on request the drivers of each target.
 *
 * One row, one answer: a row's numbers depend only on the row and the
 * model.  The log-odds is a plain sum over the model's terms in term order
 * (score_eta), in double precision, with no BLAS and no reassociation (the
 * project builds with -ffp-contract=off and without -ffast-math), so the
 * result does not depend on the block a row falls in, its neighbours, the
 * thread count or the CPU's vector units.  Training's fitted values use the
 * same score_eta on the same encoded rows.
 *
 * A scorer borrows its model (which must outlive it) and is read-only once
 * made: scorer_row may run on many threads at once, each with its own
 * scratch row x and counts. */
#ifndef SCORE_H
#define SCORE_H

#include <stddef.h>

#include "csv_reader.h"
#include "encode.h"
#include "model.h"
#include "vt.h"

typedef enum { BUCKET_RED, BUCKET_YELLOW, BUCKET_GREEN } bucket;

/* beta . x over n_terms terms, added in term order from term 0.  Aliased
 * terms carry a coefficient of 0 (see score_coefficients). */
double score_eta(const double *beta, const double *x, size_t n_terms);

/* Coefficients for score_eta from a fit's estimates: 0 where aliased
 * (R's NA).  beta has n_terms values. */
void score_coefficients(const double *estimate, const int *aliased, size_t n_terms, double *beta);

/* 1 / (1 + exp(-eta)), without overflow for any eta. */
double score_probability(double eta);
/* round(100 * (1 - churn_risk)) */
int score_health(double churn_risk);
bucket score_bucket(int health, double red_below, double yellow_below);
const char *bucket_name(bucket b);

/* The index of m's churn target (health and buckets come from it); 0 when
 * it has none. */
size_t score_churn_index(const model *m);

typedef struct scorer scorer;

/* Bind m to a header of n_columns names read from path.  A column the
 * model needs and the header lacks is an error naming it (FILE:1).
 * unseen_baseline: an unseen level scores as its column's baseline
 * (counted) instead of failing the row. */
vt_status scorer_new(const model *m, const char *path, const char *const *header, size_t n_columns,
                     int unseen_baseline, scorer **out /* OUT */, vt_err *err);
void scorer_free(scorer *sc); /* NULL ok */
/* The header's BOOLEAN columns (row_stream_booleans, or NULL), before
 * scoring: encoder_read_booleans. */
void scorer_read_booleans(scorer *sc, const unsigned char *boolean);
/* Feature f's cell in row as the model reads it (encoder_cell). */
const char *scorer_cell(const scorer *sc, size_t f, const csv_row *row);

size_t scorer_n_terms(const scorer *sc);  /* length of the scratch row x */
size_t scorer_churn(const scorer *sc);    /* index of the churn target */
long scorer_id_field(const scorer *sc);   /* header position of the model's id column, or -1
                                             (absent, or the model has none) */

typedef struct {
    size_t model;                         /* 0: pooled; s + 1: --by segment s */
    double eta[MODEL_MAX_TARGETS];        /* log-odds per target, the model's target order */
    double probability[MODEL_MAX_TARGETS];
    int health;                           /* from the churn target */
    bucket level;
} score_result;

typedef struct {
    size_t n_imputed;                     /* missing cells filled in */
    size_t n_unseen;                      /* unseen levels scored as the baseline */
    size_t n_pooled;                      /* --by rows whose level has no model: pooled */
} score_counts;

/* Encode row into x (scorer_n_terms values, the caller's scratch; it
 * holds the encoded row afterwards, for scorer_drivers) and score it.
 * Counts are added to.  A bad cell is an error naming its line and column. */
vt_status scorer_row(const scorer *sc, const csv_row *row, double *x, score_result *out /* OUT */,
                     score_counts *counts, vt_err *err);

/* Each effect's contribution to one target's log-odds for an encoded row
 * x scored by model `model`: effects[e] = sum over effect e's terms (a
 * feature's, or a pair's: encoding_n_effects) of coefficient x (x -
 * training mean), in term order. */
void scorer_effects(const scorer *sc, const double *x, size_t model, size_t target, double *effects);

/* The drivers: scorer_effects with the effects of a collinear group added
 * up at its head (model_merge_drivers; the others 0), less the group's
 * offset (model_centre_groups), order[0 .. n_drivers) the effects that
 * head a driver, the `wanted` largest |effect| first (ties by effect
 * order).  Returns n_drivers (model_n_drivers of the scoring target's
 * drivers).  effects and order hold encoding_n_effects values. */
size_t scorer_drivers(const scorer *sc, const double *x, size_t model, size_t target, size_t wanted, double *effects,
                      size_t *order);

#endif
