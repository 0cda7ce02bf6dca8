/* report: a fitted target as people read it, R's summary.glm plus the
 * columns decision makers ask for (Wald interval, odds ratio with its
 * interval, standardised coefficient), as text or as JSON.  Used by
 * `train` (after fitting) and `summary` (from a model file).  The JSON is
 * owned by the caller (cJSON_Delete). */
#ifndef REPORT_H
#define REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "encode.h"
#include "metrics.h"
#include "model.h"
#include "train.h"

/* Whether term t belongs to the --by column (a level's table leaves it
 * out), and whether target's fit left term t out (an aliased term whose
 * reason starts "left out: ", segments.h): scored as 0. */
int report_by_term(const model *m, size_t t);
int report_left_out(const model *m, const model_target *target, size_t t);
void report_print_target(FILE *out, const model *m, const model_target *target, double level);
cJSON *report_target_json(const model *m, const model_target *target, double level);
/* Each --by level's tables, or the reason it uses the pooled model. */
void report_print_segments(FILE *out, const model *m, double level);
/* --by with a validation: the judged rows routed to their level's model
 * against the pooled model on the same rows (nothing when not stored). */
void report_print_routing(FILE *out, const model *m);

/* Validation metrics as printed after the tables.  with_buckets: the
 * health buckets come from churn risk, so only churn shows them. */
void report_print_validation(FILE *out, const char *target, const char *method, const metrics *overall,
                             const metrics *folds, size_t n_folds, int with_buckets);

/* What train_run noted about the data and the fits that a user must see
 * (rows read and used, imputed cells, aliased terms, fits that did not
 * converge or reached 0 or 1), as `vitals: ...` lines. */
void report_print_train_notes(FILE *out, const model *m, const encode_report *rows);
/* After the tables: each target's --l2 cv curve and validation metrics. */
void report_print_train_results(FILE *out, const train_notes *notes);

#endif
