/* segments: --by, one model per level of a column.
 *
 * Each level of the --by column gets its own fit of every target on that
 * level's rows (the rows a holdout or time split keeps, never its held-out
 * ones), without the --by column's own terms (constant within the level)
 * nor a COL_missing term with too few missing cells there (see
 * SEGMENTS_MIN_MISSING: both stored as aliased terms whose reason starts
 * "left out: ", scored as 0), where the rarer outcome has at least SEGMENTS_MIN_PER_TERM rows
 * per term; otherwise, or when its fit fails, the pooled model serves the
 * level and the reason is stored.  With a validation, each level's
 * held-out rows are scored by the model that serves it (with --folds: the
 * pooled model's out-of-fold predictions on the level's rows).  And the
 * judged rows (held out; with --folds every row, each level refitted
 * without each fold) scored as predict routes them against the pooled
 * model on the same rows: m->by_routed and m->by_pooled.
 *
 * The results are written into the model (by_column, segments), which owns
 * them; everything else is borrowed.  Errors: VT_EUSAGE when the column
 * has fewer than two levels among the used rows, metrics_compute's,
 * VT_ENOMEM. */
#ifndef SEGMENTS_H
#define SEGMENTS_H

#include <stddef.h>

#include "crossfit.h"
#include "fit.h"
#include "model.h"
#include "table.h"
#include "validate.h"

/* Why: a level's coefficients need events to estimate (the 10 events per
 * variable rule, Peduzzi et al. 1996). */
#ifndef SEGMENTS_MIN_PER_TERM
#define SEGMENTS_MIN_PER_TERM 10
#endif

/* Why: a missing indicator's coefficient in a level rests on the level's
 * missing cells; below this many it is left out of the level's fits
 * (coefficient 0 there), as it is when they all have one outcome. */
#ifndef SEGMENTS_MIN_MISSING
#define SEGMENTS_MIN_MISSING 10
#endif

typedef struct {
    const char *by;                     /* the column */
    const table *data;
    const unsigned char *row_used;      /* per table row */
    const encoding *enc;                /* the pooled encoding, holding the column's levels */
    const fit_problem *problem;
    const fit_result *pooled;           /* the saved model's fit: serves levels that fall back */
    const validation_options *validation;
    const int *held_out;                /* n_used values, or NULL */
    double *const *out_of_fold;         /* --folds: n_used values per target, or NULL */
    double red_below, yellow_below;     /* the bands the levels' held-out buckets are counted under, */
    double red_share, yellow_share;     /* unless these are > 0: then bands that put these shares of the
                                           fitting rows in red and yellow, each row scored by the model
                                           that serves its level (as predict scores it) */
    const int *fold_of;                 /* --folds: each used row's fold (0 .. n_folds - 1), or NULL */
    size_t n_folds;
} segments_input;

/* The bands set from shares, and the shares they give. */
typedef struct {
    double red_below, yellow_below;
    double fit_share[2];    /* red, yellow of the fitting rows */
    size_t n_fit;
    double judged_share[2]; /* of the held-out (or out-of-fold) rows, each scored as its level is */
    size_t n_judged;        /* 0 without validation */
} segments_bands;

/* Fit every level of input->by into m (whose targets are already filled:
 * their labels are copied); with shares, bands (OUT) is filled. */
vt_status segments_fit(const segments_input *input, model *m, segments_bands *bands /* OUT */, vt_err *err);

#endif
