/* scorecard: a hand-set health score, as customer-success teams keep them.
 *
 * Measures turn a column's value into points by thresholds (higher or lower
 * is better), each with a weight; health is the weighted mean of the points
 * (0..100) and falls into bucket bands.  A missing value scores zero points
 * or is left out with the weights renormalised, as the measure says.  A
 * stage column may select its own measure set per level.  Rules (see rule.h)
 * force a bucket or add points, in order.  The format is documented in
 * models/SCORECARD.md.  A scorecard owns its memory; scorecard_free. */
#ifndef SCORECARD_H
#define SCORECARD_H

#include <stddef.h>

#include "csv_reader.h"
#include "rule.h"
#include "score.h"
#include "vt.h"

typedef struct {
    double at, points;
} sc_threshold;

typedef struct {
    char *column;
    size_t column_index;      /* in scorecard.columns */
    int higher_is_better;
    sc_threshold *thresholds; /* best first */
    size_t n_thresholds;
    double otherwise;         /* points when no threshold is met */
    double weight;
    int missing_excluded;     /* 0: a missing value scores 0 points */
} sc_measure;

typedef struct {
    char *level;              /* NULL for the default set */
    sc_measure *measures;
    size_t n_measures;
} sc_measure_set;

typedef struct {
    char *text;
    rule *condition;
    size_t *column_index;     /* the rule's columns (rule_columns order) in scorecard.columns */
    int force_bucket;         /* a bucket, or -1 */
    double add_points;
} sc_rule;

typedef struct {
    char *name;
    char *stage_column;       /* NULL: one set for everyone */
    sc_measure_set *sets;     /* [0] the default */
    size_t n_sets;
    sc_rule *rules;
    size_t n_rules;
    double red_below, yellow_below;
    char **columns;           /* every column a measure or rule reads */
    size_t n_columns;
    unsigned char *is_measure; /* per column: some measure scores it (it gets points) */
} scorecard;

vt_status scorecard_load(const char *path, scorecard **out /* OUT */, vt_err *err);
void scorecard_free(scorecard *card);

/* Where the scorecard's columns are in a header; thread-safe to use. */
typedef struct scorecard_binding scorecard_binding;
vt_status scorecard_bind(const scorecard *card, const char *path, const char *const *header, size_t n_columns,
                         scorecard_binding **out /* OUT */, vt_err *err);
void scorecard_binding_free(scorecard_binding *binding);

typedef struct {
    double health;
    bucket level;
    double *points;           /* per scorecard column (NaN if not a measure of the row's set) */
    unsigned long long fired; /* bit r: rule r fired */
} sc_result;

/* Score one row; result->points holds n_columns values (caller's array). */
vt_status scorecard_row(const scorecard *card, const scorecard_binding *binding, const csv_row *row,
                        const char *path, sc_result *result, vt_err *err);

#endif
