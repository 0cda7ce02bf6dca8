/* report: a fitted target as people read it, R's summary.glm plus the
 * columns decision makers ask for (Wald interval, odds ratio with its
 * interval, standardised coefficient), as text or as JSON.  Used by
 * `train` (after fitting) and `summary` (from a model file).  The JSON is
 * owned by the caller (cJSON_Delete). */
#ifndef REPORT_H
#define REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model.h"

void report_print_target(FILE *out, const model *m, const model_target *target, double level);
cJSON *report_target_json(const model *m, const model_target *target, double level);
/* Each --by level's tables, or the reason it uses the pooled model. */
void report_print_segments(FILE *out, const model *m, double level);

#endif
