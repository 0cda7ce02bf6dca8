/* explain: why an account's score moved between two snapshots
 * (predict --previous-data THEN.csv --explain-change N).
 *
 * The earlier snapshot is scored with the same model, once, and kept per
 * id: its health and bucket (as a previous_scores table, so trends and
 * alerts are exactly --previous's), its churn log-odds, its model (pooled
 * or --by level) and each feature's contribution to the churn log-odds,
 * coefficient x (value - training mean) summed over the feature's terms
 * (scorer_effects).  The model is linear in the log-odds, so for an
 * account scored by the same model then and now the changes of the
 * features' contributions add up to the change in log-odds exactly (up to
 * rounding); when its --by level moved it to another model, the rest (the
 * two models' constants) is one more item named after the --by column.
 * Memory: the earlier snapshot's ids and their contributions only.
 * Lookups are thread-safe (previous.h). */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>

#include "model.h"
#include "previous.h"
#include "vt.h"

typedef struct explain_then explain_then;

/* Score input (row_stream.h: a file, "-" or a query, with the model's
 * columns and id column; its delimiter is the caller's) with m, which must
 * outlive the table: blocks on input->threads workers, ids added in input
 * order, so the table does not depend on the thread count.  Errors: the
 * stream's, the scorer's (missing column, bad cell, with line:col), a model
 * without an id column, an id given twice (the first error in input
 * order), VT_ENOMEM. */
vt_status explain_then_load(const model *m, const row_stream_options *input, int unseen_baseline,
                            explain_then **out /* OUT */, vt_err *err);
void explain_then_free(explain_then *then);

/* The health and bucket table (owned by then). */
previous_scores *explain_then_scores(const explain_then *then);
double explain_then_eta(const explain_then *then, long index);

/* Features that moved the churn log-odds of the account at index (in the
 * previous_scores table) now scored by model `model_now` with log-odds
 * eta_now and contributions effects_now (scorer_effects, n_features):
 * change[f] = now - then for f < n_features, change[n_features] the rest
 * (0 unless the --by model changed), merged per driver (model_merge_drivers)
 * by *drivers (OUT): the model's own when it is the same then and now,
 * else the model's moved_drivers, each fit's groups centred on its own
 * rows (model_centre_groups).  order[0 .. wanted) (OUT) the largest
 * |change| first; returns how many of them are not 0 (at most wanted and
 * n_features + 1).  change and order hold n_features + 1. */
size_t explain_change(const explain_then *then, long index, size_t model_now, const double *effects_now,
                      double eta_now, size_t wanted, double *change /* OUT */, size_t *order /* OUT */,
                      const model_drivers **drivers /* OUT */);

#endif
