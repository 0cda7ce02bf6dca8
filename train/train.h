/* train: labelled snapshots in, a fitted churn (and expansion) model out.
 *
 * train_run reads the CSV (column roles from the spec), encodes it, builds
 * each target's outcome and row weights, chooses the --l2 strength by
 * cross-validation if asked (ridge_cv.h), fits the model to save and, if
 * asked, validates it on rows it did not see (crossfit.h), fits one model
 * per --by level (segments.h), and writes the --fitted file.  Which fit is
 * saved: with a holdout or time split, the fit on the rows kept; otherwise
 * (also with --folds, after the folds) the fit on every used row.
 *
 * It never prints: what a command reports afterwards comes back as data in
 * train_notes.  Options are checked by the caller (train_spec_check covers
 * the ones that relate to each other).  Two runs may go at once and share
 * nothing: every allocation failure is returned where it happens.
 * Each fit uses spec->threads threads. */
#ifndef TRAIN_H
#define TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "crossfit.h"
#include "encode.h"
#include "irls.h"
#include "model.h"
#include "ridge_cv.h"
#include "interactions.h"
#include "smooth_terms.h"
#include "validate.h"
#include "vt.h"

/* What the options say.  Strings and lists are borrowed for the run. */
typedef struct {
    const char *data_path;         /* a file, "-", or a postgresql:// URI with query */
    const char *query;             /* the rows of this query (source.h): read whole, never streamed */
    const char *churn, *expansion; /* label columns; either may be NULL, not both */
    const char *id, *weight, *by;  /* NULL when not given */
    const char *fitted;            /* --fitted FILE, or NULL */
    char **drop, **categorical, **numeric, **na;
    size_t n_drop, n_categorical, n_numeric, n_na;
    missing_policy missing;
    char delimiter;
    size_t max_levels;             /* 0: table.h's default rules */
    irls_options irls;             /* irls.l2: a fixed ridge strength, 0 for none */
    long threads;                  /* for the fit: 0 for one per core; the numbers do not depend on it */
    uint64_t memory_limit;         /* bytes the table may take, 0: half the machine's memory; above it
                                      the file is read again on each pass (plain fits only) */
    size_t block_bytes;            /* the reader's block size, 0: table.h's (tests make it small) */
    int l2_cv;                     /* choose l2 per target by K-fold log-loss */
    int balance;                   /* weigh both classes the same */
    double red_below, yellow_below, confidence;
    validation_options validation; /* kind set (train_spec_check sets it) */
    const char *smooth;            /* --smooth "auto" or "COL[:K],...": smooth terms (smooth_terms.h), or NULL */
    const char *sp;                /* --sp "COL=VALUE,...": fixed smoothing parameters, or NULL */
    smooth_requests smooths;       /* parsed from the two by train_spec_check; freed by train_spec_free */
    const char *interact;          /* --interact "A:B,...|auto[:N]": pair terms (interactions.h), or NULL */
    interaction_requests interactions; /* parsed by train_spec_check; freed by train_spec_free */
    double red_share, yellow_share; /* > 0 (the default): bands that put these shares of the fitting
                                       rows in red and yellow (bands.h); 0: red_below/yellow_below as
                                       given (the absolute cut-offs of --bands) */
} train_spec;

/* The default bands: the riskiest 5% of the fitting rows red, the next 15%
 * yellow.  Why: absolute cut-offs mean a different alert load for every
 * churn rate (at 13% churn, health 40/70 left two thirds of the churners
 * green); a customer-success team sizes its at-risk list, under 5% by
 * convention. */
#define TRAIN_RED_SHARE 0.05
#define TRAIN_YELLOW_SHARE 0.15

/* What the run leaves for its report (plain data). */
typedef struct {
    encode_report rows;                             /* rows read, used, dropped */
    int streamed;                                   /* the file was read again on each pass, */
    uint64_t table_bytes;                           /* as the table would have taken this */
    size_t n_targets;
    const char *name[MODEL_MAX_TARGETS];            /* each target's name ("churn", "expansion"): the fits' order */
    const char *label[MODEL_MAX_TARGETS];           /* its label column (the spec's) */
    int validated;                                  /* validation[] is filled */
    crossfit_metrics validation[MODEL_MAX_TARGETS]; /* per target */
    int l2_chosen;                                  /* l2[] is filled (--l2 cv) */
    ridge_cv_curve l2[MODEL_MAX_TARGETS];           /* per target */
    int bands_set;                                  /* red_share: the bands and shares below are filled */
    size_t n_fit_banded;                            /* the fitting rows the shares were counted on */
    double red_below, yellow_below;                 /* the bands chosen */
    double fit_share[2];                            /* red, yellow shares on the fitting rows */
    size_t n_judged;                                /* held-out (or out-of-fold) rows; 0 without validation */
    double judged_share[2];                         /* red, yellow shares on them */
    char *smooth_linear;                            /* --smooth columns kept linear and why, or NULL */
    char *row_counters;                             /* feature columns that number the rows (1, 2, 3, ... in file
                                                       order: an index, not a feature), quoted, or NULL */
    char *collinear;                                /* one line per group of nearly collinear terms (irls.h's
                                                       rule), newline-ended, or NULL */
    int linear_compared;                            /* smooth terms validated: linear[] is filled */
    crossfit_metrics linear[MODEL_MAX_TARGETS];     /* the same validation of the linear fit */
    size_t n_smooths;                               /* smooth terms fitted */
    int pairs_searched;                             /* --interact auto: pairs is filled */
    pair_search_report pairs;
} train_notes;

/* Defaults: ',' delimited, impute, bands from the shares TRAIN_RED_SHARE
 * and TRAIN_YELLOW_SHARE (red_below/yellow_below 40/70: the absolute
 * cut-offs when the shares are set to 0, and the provisional ones the
 * validation counts buckets under until the shares set them), 95%
 * intervals, IRLS's defaults, validation seed 20261123 (fixed, so runs
 * repeat). */
void train_spec_default(train_spec *spec);
/* What train_spec_check parsed (the smooth requests). */
void train_spec_free(train_spec *spec);

/* The checks relating several options (VT_EUSAGE with one line): two
 * remedies at once, two validations at once, the same label twice,
 * --fitted with a holdout, one of the band shares without the other.  Sets spec->validation.kind, and Firth's larger
 * iteration default unless max_iter_given. */
vt_status train_spec_check(train_spec *spec, int max_iter_given, vt_err *err);

/* The targets in the fits' order, churn first when given: their label
 * columns and names (labels, names: MODEL_MAX_TARGETS each, NULL past the
 * count returned).  A model of expansion alone (a propensity model) has
 * it as its only target, and no health or bands (health comes from the
 * churn risk). */
size_t train_targets(const train_spec *spec, const char **labels /* OUT */, const char **names /* OUT */);

/* Run the training.  On success *out (OUT) is the model, owned by the
 * caller (model_free), and notes (OUT) what to report; free notes with
 * train_notes_free whatever the status.  The --fitted file, if asked, is
 * written (whole, or not at all) before returning.  Errors: the reader's,
 * the encoder's and the fits' (with the data file and line:col where
 * known), VT_ENOMEM; on failure *out is NULL. */
vt_status train_run(const train_spec *spec, model **out /* OUT */, train_notes *notes /* OUT */, vt_err *err);
void train_notes_free(train_notes *notes);

#endif
