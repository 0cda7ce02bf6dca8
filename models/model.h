/* model: a fitted vitals model and its JSON file.
 *
 * A model holds everything predict needs (the encoding, the coefficients of
 * each target, the bucket bands) and everything a reviewer asks about (data
 * fingerprint, options, standard errors, fit statistics, aliased terms and
 * why).  model_save writes JSON atomically; model_load reads it back and
 * refuses a file from a newer format version, a truncated or malformed file,
 * or one with any field it reads missing, of the wrong type or out of range
 * (non-finite estimates, unsorted levels, a target named twice, bands out of
 * order, a confidence outside (0, 1), ...), naming the field's path and its
 * line:col.  A model has a churn target, an expansion target or both; one
 * without churn (a propensity model) has no health bands in its file
 * (red_below and yellow_below keep model_new's values, unused).  A model owns all it points to; model_free releases it. */
#ifndef MODEL_H
#define MODEL_H

#include <stdint.h>

#include "encode.h"
#include "metrics.h"
#include "vt.h"

/* 2: smooth terms (encoding features' "smooth", targets' "smooth");
 * 3: interactions (the encoding's "interactions").  Older formats still load. */
#define MODEL_FORMAT_VERSION 3
#define MODEL_MAX_TARGETS 2

/* A target's smooth terms, in the order of encoding_smooth_blocks (s(COL)
 * in feature order, then the pairs': the curves per level of a by pair, a
 * ti pair's two penalties): what REML chose and summary.gam reports.  A
 * ti term is two entries, one per penalty, each with its own sp and the
 * term's edf, test and covariance (summary.gam's one row: print the
 * entry with penalty 0). */
typedef struct {
    size_t n_smooths;
    size_t *feature;      /* the encoding's feature of each smooth (a ti pair's first column) */
    long *level;          /* a by pair's curve: the level of its by column; -1 otherwise */
    long *tensor;         /* a ti term's pair; -1 otherwise */
    int *penalty;         /* a ti term's penalty (0, 1); 0 otherwise */
    double *sp, *edf, *edf1, *ref_df, *chi_sq, *p_value;
    double **cov;         /* per smooth: its block of the posterior covariance Vp (columns x columns) */
    double reml, edf_total;
    int outer_iterations, outer_converged;
} model_smooth_fit;

/* Entry i's name as mgcv labels its term: "s(A)", "s(A):Blevel" or
 * "ti(A,B)"; NULL if no memory (caller frees). */
char *model_smooth_name(const encoding *enc, const model_smooth_fit *fit, size_t i);
/* Entry i's basis size as mgcv's k: "10", or a ti's "5,4" (size OUT). */
void model_smooth_k(const encoding *enc, const model_smooth_fit *fit, size_t i, char *out, size_t size);

/* Whether name is one of the columns a score row writes beside the id
 * (churn_risk, expansion, health, bucket, vitals_note, line): an id
 * column so named would make two output columns of one name. */
int model_output_name(const char *name);

/* A fit of n smooths with every array allocated (cov's blocks not);
 * NULL if no memory. */
model_smooth_fit *model_smooth_fit_new(size_t n);
void model_smooth_fit_free(model_smooth_fit *fit); /* NULL ok */

/* What train measured on rows the fit did not see (--holdout, --folds,
 * --time-col), as the model file keeps it: checked when loaded (counts are
 * whole numbers, shares lie in [0, 1]), so readers take the fields as they
 * are. */
typedef struct {
    char *method;         /* how the rows were judged: "20% held out", "5-fold" */
    metrics overall;      /* all judged rows (out-of-fold rows pooled) */
    metrics *folds;       /* n_folds, or NULL */
    size_t n_folds;
    int with_buckets;     /* outcomes per health bucket are kept (the churn target) */
} model_validation;

/* A copy of the metrics (folds may be NULL); NULL if out of memory. */
model_validation *model_validation_new(const char *method, const metrics *overall, const metrics *folds,
                                       size_t n_folds, int with_buckets);
void model_validation_free(model_validation *v);

/* --l2 cv: mean out-of-fold log-loss at each ridge strength tried. */
typedef struct {
    size_t n_points;
    double *lambda, *log_loss; /* n_points each, lambda increasing */
} model_l2_curve;

/* A copy; NULL if out of memory. */
model_l2_curve *model_l2_curve_new(const double *lambda, const double *log_loss, size_t n_points);
void model_l2_curve_free(model_l2_curve *curve);

/* A group of nearly collinear terms of a fit (train/collinear.h's rule):
 * how their effect splits between them is not identified, so their signs
 * and each one's share mean nothing, and they are read as one driver. */
typedef struct {
    size_t n_terms;
    size_t *terms;          /* term indices, increasing, at least two */
    double condition_index; /* the largest that put them together (> 30) */
    double standardised;    /* the sd over the fitting rows of their summed contribution: the group's size, as
                               |estimate x sd| is one column's */
    double offset;          /* sum of estimate x (the fitting rows' mean - the encoding's term_mean) over the
                               terms: what centring at the encoding's means adds to their summed contribution (0
                               for the pooled fit, whose rows the means are; a --by level's is the level's) */
} model_collinear;

/* A fit's drivers: its effects (a feature's terms, or a pair's), except
 * that the effects holding the terms of one collinear group, or of groups
 * sharing an effect, are one driver, headed by the first, named "A + B".
 * Derived from the groups by model_finish_drivers. */
typedef struct {
    size_t *driver_of;      /* per effect: the effect heading its driver; NULL when no group joins effects */
    char **name;            /* per effect (n_named): a merged driver's name at its head, else NULL */
    size_t n_named, n_drivers;
} model_drivers;

typedef struct {
    char *name;           /* "churn" or "expansion" */
    char *label;          /* the label column */
    double *estimate, *std_error, *z_value, *p_value; /* per term; NaN if aliased */
    int *aliased;
    char **alias_reason;
    double deviance, null_deviance, log_likelihood, aic, bic;
    size_t n_obs, n_events, rank, df_residual, df_null;
    int iterations, converged;
    size_t n_boundary;
    model_validation *validation; /* metrics on held-out rows, or NULL; owned */
    double l2;                /* ridge strength used, 0 for none */
    model_l2_curve *l2_curve; /* --l2 cv: the curve the strength was chosen on, or NULL; owned */
    model_smooth_fit *smooth; /* smooth terms' fit, or NULL for a linear model; owned */
    model_collinear *collinear; /* n_collinear groups, by first term; NULL when none; owned */
    size_t n_collinear;
    model_drivers drivers;      /* derived from collinear; owned */
} model_target;

/* One level of the --by column: its own targets, or the pooled ones where
 * it has too few events (fallback[k] set, targets[k] empty). */
typedef struct {
    char *level;
    size_t n_rows;
    model_target targets[MODEL_MAX_TARGETS]; /* same names and order as the pooled */
    int fallback[MODEL_MAX_TARGETS];
    char *fallback_reason[MODEL_MAX_TARGETS];
    model_validation *validation[MODEL_MAX_TARGETS]; /* metrics on this level's held-out rows, or NULL; owned */
} model_segment;

/* How the bands were set: from shares of the fitting rows (train's default,
 * --red-share), or as absolute cut-offs (--bands; a model file from before
 * the bands had a source reads as absolute). */
typedef struct {
    int by_share;
    double asked[2];   /* by_share: the red and yellow shares asked */
    double reached[2]; /* by_share: the shares of the fitting rows the bands put in red and yellow */
    size_t rows;       /* by_share: the fitting rows they were counted on */
} model_bands_source;

typedef struct {
    int format_version;
    char *tool_version, *created_at;
    char *data_path;  /* the file, or the database's URI without its password */
    char *data_query; /* the query its rows came from, or NULL for a file */
    uint64_t data_rows, data_bytes, data_hash;
    size_t rows_used, dropped_missing_feature, dropped_missing_label;
    char delimiter;
    int max_iter;
    double epsilon;
    char **na_tokens;
    size_t n_na_tokens;
    char *id_column;      /* NULL if none */
    encoding *enc;
    model_target targets[MODEL_MAX_TARGETS];
    size_t n_targets;
    double red_below, yellow_below; /* health bands */
    model_bands_source bands_source;
    double confidence;    /* level of the intervals stored with the terms */
    int firth;            /* fitted by Firth's penalised likelihood */
    int balance;          /* classes weighted to weigh the same */
    int l2_cv;            /* ridge strength chosen by cross-validation */
    char *weight_column;  /* row weights, or NULL */
    char *by_column;      /* --by: one model per level of it, or NULL */
    model_segment *segments;
    size_t n_segments;
    /* --by with --holdout, --time-col or --folds: the judged rows (held
     * out, or out of fold) each scored by its level's model as predict
     * routes it (routed) and all by the pooled model (pooled), per target;
     * NULL where not measured (files from before it was stored).  Owned. */
    model_validation *by_routed[MODEL_MAX_TARGETS], *by_pooled[MODEL_MAX_TARGETS];
    /* --by: the churn fits' groups (the pooled one's and every level's)
     * taken together, for an account whose level moved it to another
     * model between two snapshots (explain.h).  Derived; owned. */
    model_drivers moved_drivers;
} model;

model *model_new(void); /* NULL if out of memory */
void model_free(model *m);

/* The target with this name ("churn"), or NULL. */
const model_target *model_find_target(const model *m, const char *name);

/* Whether the model scores health, buckets and bands: they come from the
 * churn risk (health = 100 x (1 - risk)), so a propensity model (an
 * expansion target alone) has none. */
int model_has_health(const model *m);

vt_status model_save(const model *m, const char *path, vt_err *err);
vt_status model_load(const char *path, model **out /* OUT */, vt_err *err);

/* Allocate a target's per-term arrays (n_terms = the encoding's). */
vt_status model_target_alloc(model_target *target, size_t n_terms);

/* ---- Drivers (model_drivers) */

/* Derive every fit's drivers (each target's, pooled and per level) and
 * the model's moved_drivers from their groups; model_load calls it, and
 * whoever builds a model calls it once the fits are in.  VT_ENOMEM. */
vt_status model_finish_drivers(model *m);
void model_drivers_free(model_drivers *drivers);
/* Effects heading a driver: encoding_n_effects without merged groups. */
size_t model_n_drivers(const model_drivers *drivers, const encoding *enc);
/* Effect e's driver name: the merged "A + B" at a group's head, else the
 * effect's own name (borrowed). */
const char *model_driver_name(const model_drivers *drivers, const encoding *enc, size_t e);
/* The effect heading e's driver. */
size_t model_driver_head(const model_drivers *drivers, size_t e);
/* Whether effect e heads a driver of several effects. */
int model_driver_merged(const model_drivers *drivers, size_t e);
/* Whether term is in one of the target's collinear groups. */
int model_in_collinear_group(const model_target *target, size_t term);
/* Contributions per effect (n_effects) to per driver, in place: each
 * merged effect's is added to its head's, in effect order, and set to 0. */
void model_merge_drivers(const model_drivers *drivers, size_t n_effects, double *contributions);
/* Subtract sign x each of target's groups' offsets at the head (under
 * drivers) of its first term's effect: a group's driver is then its
 * contribution against the fit's own average account, which the data
 * determine (against another average, its members' huge opposite
 * coefficients would make it any number). */
void model_centre_groups(const model_target *target, const model_drivers *drivers, const encoding *enc, double sign,
                         double *contributions);

/* The target that scores rows routed to `model` (0: pooled; s + 1: --by
 * level s, the pooled one where that level fell back). */
const model_target *model_scoring_target(const model *m, size_t model, size_t target);

#endif
