/* outcomes: each target's 0/1 outcome and row weight on the used rows of a
 * table, the whole file or one block of it at a time.
 *
 * Weights are the --weight column (non-negative, not all 0) times, with
 * --balance, n / (2 x rows of the row's class), so that both classes weigh
 * the same (scikit-learn's "balanced").  Add every table (or block) once
 * to count the classes and check the weights, check, then fill any rows'
 * outcomes and weights: a row's values do not depend on how the file was
 * cut.  Pure computation on tables the caller owns. */
#ifndef OUTCOMES_H
#define OUTCOMES_H

#include <stddef.h>

#include "model.h"
#include "table.h"
#include "vt.h"

typedef struct {
    size_t n_targets;
    size_t label[MODEL_MAX_TARGETS]; /* each target's label column */
    long weight;                     /* the weight column, -1 for none */
    int balance;
    /* counted by outcomes_add */
    size_t n_used, events[MODEL_MAX_TARGETS];
    double weight_total;
} outcomes;

/* Whether rows carry weights other than 1 (fill's prior is then needed). */
int outcomes_weighted(const outcomes *o);

/* Count the classes of data's used rows; VT_EDATA at a negative weight. */
vt_status outcomes_add(outcomes *o, const table *data, const unsigned char *row_used, vt_err *err);

/* After every row was added: VT_EDATA when a target holds a single class
 * or every weight is 0.  layout names the columns and the file. */
vt_status outcomes_check(const outcomes *o, const table *layout, vt_err *err);

/* Target k's outcomes (y, OUT) and, when weighted, weights (prior, OUT) of
 * the used rows first .. first + count - 1 of data (counted among its used
 * rows). */
void outcomes_fill(const outcomes *o, const table *data, const unsigned char *row_used, size_t k, size_t first,
                   size_t count, double *y, double *prior);

#endif
