/* model_json: pieces of a model file's JSON that another output repeats
 * (summary --json states the bands and a --by level's fallback as the file
 * does). */
#ifndef MODEL_JSON_H
#define MODEL_JSON_H

#include <stddef.h>

#include "model.h"

struct cJSON;

/* The JSON that says a --by level's target uses the pooled model, and why. */
struct cJSON *model_fallback_json(const model *m, const model_segment *segment, size_t target);

/* The bands' members (cut-offs and how train set them) into the object bands. */
void model_bands_json(struct cJSON *bands, const model *m);

#endif
