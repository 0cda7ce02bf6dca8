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
    unsigned char *is_text;   /* per column: rules compare it with text (its cells are not read as numbers) */
} scorecard;

vt_status scorecard_load(const char *path, scorecard **out /* OUT */, vt_err *err);
/* A measure's points for a present value: the first threshold met (best
 * first), else its `otherwise`. */
double scorecard_measure_points(const sc_measure *measure, double value);
void scorecard_free(scorecard *card);

/* Where the scorecard's columns are in a header; thread-safe to use. */
typedef struct scorecard_binding scorecard_binding;
vt_status scorecard_bind(const scorecard *card, const char *path, const char *const *header, size_t n_columns,
                         scorecard_binding **out /* OUT */, vt_err *err);
void scorecard_binding_free(scorecard_binding *binding);
/* The header position of the card's column (scorecard.columns index). */
long scorecard_binding_field(const scorecard_binding *binding, size_t column);

typedef struct {
    double health;
    bucket level;
    double *points;           /* per scorecard column (NaN if not a measure of the row's set) */
    unsigned long long fired; /* bit r: rule r fired */
} sc_result;

/* Score one row; result->points holds n_columns values (caller's array). */
vt_status scorecard_row(const scorecard *card, const scorecard_binding *binding, const csv_row *row,
                        const char *path, sc_result *result, vt_err *err);

/* The measure set (index in card->sets) that judges row. */
size_t scorecard_row_set(const scorecard *card, const scorecard_binding *binding, const csv_row *row);

/* Health and bucket (OUT: result->health, result->level) of a row that
 * scorecard_row judged with set `set`, from its points per column (NaN:
 * left out) and the rules that fired: what scorecard_row gives, with the
 * card's weights as they are now (tune re-weighs a card and re-scores
 * rows without reading them again).  A set must score each column once
 * (scorecard_set_columns_distinct). */
void scorecard_settle(const scorecard *card, size_t set, const double *points, unsigned long long fired,
                      sc_result *result);

/* 1 if no column is scored twice by one measure set; else 0, and *set,
 * *measure (OUT) name the second measure on a column. */
int scorecard_set_columns_distinct(const scorecard *card, size_t *set /* OUT */, size_t *measure /* OUT */);

/* The card as a scorecard file's JSON (format version 1), with the object
 * provenance (taken: owned by the tree, may be NULL) under "provenance"
 * (the loader ignores it).  NULL if out of memory.  Free: cJSON_Delete. */
struct cJSON *scorecard_to_json(const scorecard *card, struct cJSON *provenance);

#endif
