/* tune_run: the tune workflow (vitals tune) in one call, as train_run is
 * train's.
 *
 * Loads the card and, with model_path, the model whose churn curves
 * suggest thresholds (refused before any row is read when it shares no
 * column with the card's measures); reads the labelled rows once
 * (tune_read: a file, "-" or a query's rows); holds out a share of them,
 * stratified by the label (validate.h); with a model, suggests thresholds
 * from the fitting rows (thresholds.h) and, with retune_thresholds, puts
 * them in the card and its points; learns the weights on the fitting rows
 * (tune_fit); rescores every row with them, first setting the bands from
 * the fitting rows' shares when red_share is given (bands.h); and judges
 * the card as read and as tuned (and with the suggested thresholds) on the
 * held-out rows (metrics.h).
 *
 * It never prints: everything a report needs comes back in tune_result,
 * the tuned card with it.  Options are checked by the caller (red_share
 * and yellow_share together and below 1 in sum; retune_thresholds only
 * with model_path).  The numbers do not depend on input.threads, which
 * also runs the fit.  Errors name the card, the model or the data (file,
 * line, column); VT_ENOMEM. */
#ifndef TUNE_RUN_H
#define TUNE_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "row_stream.h"
#include "scorecard.h"
#include "thresholds.h"
#include "tune.h"
#include "vt.h"

/* What the options say; strings are borrowed for the run. */
typedef struct {
    const char *card_path;
    row_stream_options input;       /* the labelled rows */
    const char *label;              /* the outcome column */
    const char *model_path;         /* the churn curves' model, or NULL */
    int retune_thresholds;          /* write the suggested thresholds into the tuned card */
    double holdout;                 /* share of rows held out */
    uint64_t seed;                  /* of the holdout draw */
    double red_share, yellow_share; /* > 0: bands from the fitting rows' shares; 0: the card's */
} tune_spec;

/* A card on the held-out rows: its ranking of them and their buckets. */
typedef struct {
    double roc_auc, pr_auc, top_decile_capture;
    double red_below, yellow_below; /* the bands it was judged with */
    size_t rows[3], events[3];      /* per bucket (score.h's order: red, yellow, green) */
} tune_judgement;

/* A card measure whose column has no one curve in the model, and why:
 * "linear", "a curve per level", "categorical" or "absent" (static text). */
typedef struct {
    size_t column;                  /* card column */
    const char *why;
} tune_no_curve;

typedef struct {
    scorecard *card;                /* tuned: named "NAME (tuned)", the weights (and bands, thresholds) learned */
    tune_data data;                 /* the rows as read: path, counts, fingerprint */
    size_t n_fit, n_test;           /* fitting and held-out rows */
    tune_set *sets;                 /* card->n_sets: the fit of each measure set */
    double **old_weights;           /* per set, per measure: the card's own, scaled to sum to 100 */
    tune_judgement original, tuned; /* on the held-out rows */
    size_t n_changing_bucket;       /* held-out rows in another bucket under the tuned card */
    double held_out_red, held_out_yellow; /* bands from shares: the held-out rows' shares under them */
    /* with model_path: a suggestion per card column with a curve */
    threshold_suggestion *suggestions;
    size_t *suggested_column, n_suggestions;
    tune_no_curve *no_curve;        /* the measures' columns without one, in card order */
    size_t n_no_curve;
    char *model_label;              /* the model's churn label when not the label, else NULL */
    tune_judgement suggested;       /* held out: the card with the suggested thresholds, its weights and bands */
} tune_result;

/* Run spec; out is the caller's, freed with tune_result_free whatever the
 * status. */
vt_status tune_run(const tune_spec *spec, tune_result *out /* OUT */, vt_err *err);
void tune_result_free(tune_result *result);

#endif
