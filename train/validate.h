/* validate: which rows fit a model and which judge it.
 *
 * A stratified holdout (the same share of each outcome held out, rows drawn
 * by a seeded shuffle), stratified k folds (each outcome dealt round-robin
 * over the folds after a seeded shuffle), or a time split (rows dated after
 * a cut-off held out, ISO dates YYYY-MM-DD with an optional time).  The
 * same seed gives the same split.  Also the text and JSON that report the
 * validation metrics.  Pure computation; callers fit and score. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics.h"
#include "vt.h"

typedef enum { VALIDATE_NONE, VALIDATE_HOLDOUT, VALIDATE_FOLDS, VALIDATE_TIME } validation_kind;

typedef struct {
    validation_kind kind;
    double holdout;          /* share held out, (0, 1) */
    size_t folds;            /* >= 2 */
    uint64_t seed;
    const char *time_column; /* VALIDATE_TIME */
    const char *after;       /* ISO date: later rows are held out */
} validation_options;

/* group (OUT, n values): holdout and time split, 0 = fit and 1 = held out;
 * folds, the fold number.  stratify: the 0/1 outcome to stratify by.
 * dates/lines/date_col (time split only) name cells in errors. */
vt_status validation_split(const validation_options *options, const double *stratify, const char *const *dates,
                           const long *lines, long date_col, const char *path, size_t n, int *group, vt_err *err);

/* Is text an ISO date (YYYY-MM-DD, optionally followed by T or a space and
 * a time)?  ISO dates order as strings. */
int validation_is_date(const char *text);

void validation_describe(const validation_options *options, char *text, size_t size);
/* Mean and sample sd over folds of the four headline metrics. */
void validation_fold_summary(const metrics *folds, size_t n_folds, metrics *mean /* OUT */, metrics *sd /* OUT */);
/* with_buckets: the health buckets come from churn risk, so only the churn
 * target's record has outcomes by bucket. */
cJSON *validation_json(const char *method, const metrics *overall, const metrics *folds, size_t n_folds,
                       int with_buckets);

#endif
