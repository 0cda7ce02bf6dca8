/* riskiest: the accounts a customer-success lead calls first, for the
 * report's table: the RISKIEST_ROWS rows of DATA with the highest risk of
 * one target (the churn target's: the buckets'), each with its id (or
 * line), health, bucket and its RISKIEST_DRIVERS largest drivers as
 * predict --explain computes them (scorer_drivers: coefficient x (value -
 * training mean), summed per column, a collinear group's columns as one),
 * with the row's cell for each.
 *
 * Scored by score.h's scorer through row_stream, so the rows and their
 * order do not depend on the thread count or the block size: ties in risk
 * go to the earlier row.  Rows need no label.  Owns its strings
 * (riskiest_free).  Errors: the scorer's (FILE:LINE:COL), VT_ENOMEM. */
#ifndef RISKIEST_H
#define RISKIEST_H

#include <stddef.h>

#include "model.h"
#include "row_stream.h"
#include "vt.h"

#define RISKIEST_ROWS 20
#define RISKIEST_DRIVERS 3

typedef struct {
    char *id;                           /* the model's id column, else the row's line */
    long line;
    double risk;
    int health, bucket;                 /* bucket: score.h's */
    size_t n_drivers;
    const model_target *scoring;        /* the target that scored the row (model_scoring_target), the model's */
    size_t effect[RISKIEST_DRIVERS];    /* encoding_n_effects index: a driver's first (model_driver_name) */
    double effect_value[RISKIEST_DRIVERS]; /* its part of the log-odds against the average account */
    char *cell[RISKIEST_DRIVERS];       /* the column's cell in the row, or NULL (a pair, a collinear group) */
} riskiest_row;

typedef struct {
    riskiest_row rows[RISKIEST_ROWS];   /* riskiest first */
    size_t n;
    size_t read;                        /* rows scored */
} riskiest;

vt_status riskiest_read(const model *m, size_t target, const row_stream_options *input, riskiest *out, vt_err *err);
void riskiest_free(riskiest *r);

#endif
