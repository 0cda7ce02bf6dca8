/* fuzz_model: model_load on arbitrary bytes, then what predict does with
 * an accepted model, then a save and reload that must give the model back.
 *
 * An accepted model is scored as predict scores: an encoder over a header
 * of its feature names (and its --by column), three fixed rows (known
 * values, all missing, all out of range or unseen), through the one row
 * scorer with every target's drivers.  A model that saves must load again with
 * the same encoding, terms and coefficients, bit for bit (a model that
 * cannot be saved, e.g. one whose intervals overflow, is refused with an
 * error, which is allowed). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "fuzz_util.h"
#include "model.h"
#include "score.h"

/* The text of feature f in fixed row r. */
static const char *cell(const enc_feature *feature, size_t r)
{
    if (r == 1)
        return "";
    if (feature->type == TYPE_NUMERIC)
        return r == 0 ? "1.5" : "-1e300";
    return r == 0 ? feature->levels[feature->n_levels - 1] : "\x01unseen";
}

static void score_rows(const model *m)
{
    const encoding *enc = m->enc;
    size_t n_features = enc->n_features, n_columns = n_features + (m->by_column != NULL);
    const char **header = calloc(n_columns + 1, sizeof(char *));
    const char **fields = calloc(n_columns + 1, sizeof(char *));
    size_t *lengths = calloc(n_columns + 1, sizeof(size_t));
    double *x = calloc(enc->n_terms, sizeof(double));
    double *effects = calloc(n_features + 1, sizeof(double));
    size_t *order = calloc(n_features + 1, sizeof(size_t));
    fuzz_check(header && fields && lengths && x && effects && order, "out of memory");
    for (size_t f = 0; f < n_features; f++)
        header[f] = enc->features[f].name;
    if (m->by_column)
        header[n_features] = m->by_column;
    scorer *sc = NULL;
    vt_err err = {0};
    if (scorer_new(m, "fuzz", header, n_columns, 1, &sc, &err) == VT_OK) {
        for (size_t r = 0; r < 3; r++) {
            for (size_t f = 0; f < n_features; f++) {
                fields[f] = cell(&enc->features[f], r);
                lengths[f] = strlen(fields[f]);
            }
            if (m->by_column) { /* a level of its own, then the pooled model */
                fields[n_features] = r == 0 && m->n_segments ? m->segments[0].level : "\x01unseen";
                lengths[n_features] = strlen(fields[n_features]);
            }
            csv_row row = {n_columns, fields, lengths, 2};
            score_counts counts = {0};
            score_result result;
            if (scorer_row(sc, &row, x, &result, &counts, &err) != VT_OK)
                continue; /* e.g. a missing cell under the policy 'error' */
            fuzz_check(x[0] == 1.0, "the intercept term is %g", x[0]);
            fuzz_check(result.health >= 0 && result.health <= 100, "health %d", result.health);
            for (size_t k = 0; k < m->n_targets; k++)
                scorer_drivers(sc, x, result.model, k, 3, effects, order);
        }
    }
    scorer_free(sc);
    free(header);
    free(fields);
    free(lengths);
    free(x);
    free(effects);
    free(order);
}

static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void check_same_target(const model_target *a, const model_target *b, size_t n_terms)
{
    fuzz_check(strcmp(a->name, b->name) == 0 && strcmp(a->label, b->label) == 0, "target names differ");
    for (size_t t = 0; t < n_terms; t++) {
        fuzz_check(a->aliased[t] == b->aliased[t], "term %zu aliased differs", t);
        fuzz_check(same_double(a->estimate[t], b->estimate[t]) && same_double(a->std_error[t], b->std_error[t]) &&
                       same_double(a->z_value[t], b->z_value[t]) && same_double(a->p_value[t], b->p_value[t]),
                   "term %zu of '%s': estimate %a came back as %a", t, a->name, a->estimate[t], b->estimate[t]);
    }
    fuzz_check(a->n_obs == b->n_obs && a->n_events == b->n_events && a->rank == b->rank &&
                   a->converged == b->converged && same_double(a->deviance, b->deviance),
               "fit of '%s' differs", a->name);
}

static void check_same_model(const model *a, const model *b)
{
    const encoding *ea = a->enc, *eb = b->enc;
    fuzz_check(ea->n_features == eb->n_features && ea->n_terms == eb->n_terms && ea->missing == eb->missing,
               "encoding differs: %zu/%zu features, %zu/%zu terms", ea->n_features, eb->n_features, ea->n_terms,
               eb->n_terms);
    for (size_t f = 0; f < ea->n_features; f++) {
        const enc_feature *fa = &ea->features[f], *fb = &eb->features[f];
        fuzz_check(strcmp(fa->name, fb->name) == 0 && fa->type == fb->type && fa->n_levels == fb->n_levels &&
                       fa->missing_term == fb->missing_term && same_double(fa->impute, fb->impute),
                   "feature %zu differs", f);
        for (size_t l = 0; l < fa->n_levels; l++)
            fuzz_check(strcmp(fa->levels[l], fb->levels[l]) == 0, "level %zu of '%s' differs", l, fa->name);
    }
    for (size_t t = 0; t < ea->n_terms; t++)
        fuzz_check(strcmp(ea->term_names[t], eb->term_names[t]) == 0 && same_double(ea->term_mean[t], eb->term_mean[t]) &&
                       same_double(ea->term_sd[t], eb->term_sd[t]),
                   "term %zu differs", t);
    fuzz_check(a->n_targets == b->n_targets && a->n_segments == b->n_segments, "targets or segments differ");
    for (size_t k = 0; k < a->n_targets; k++)
        check_same_target(&a->targets[k], &b->targets[k], ea->n_terms);
    for (size_t s = 0; s < a->n_segments; s++) {
        fuzz_check(strcmp(a->segments[s].level, b->segments[s].level) == 0, "segment %zu differs", s);
        for (size_t k = 0; k < a->n_targets; k++) {
            fuzz_check(a->segments[s].fallback[k] == b->segments[s].fallback[k], "segment %zu fallback differs", s);
            if (!a->segments[s].fallback[k])
                check_same_target(&a->segments[s].targets[k], &b->segments[s].targets[k], ea->n_terms);
        }
    }
    fuzz_check(same_double(a->red_below, b->red_below) && same_double(a->yellow_below, b->yellow_below) &&
                   a->delimiter == b->delimiter && a->n_na_tokens == b->n_na_tokens,
               "header fields differ");
}

/* m saved and loaded back, or NULL if the save was refused.  The directory
 * lives only for the call: libFuzzer ends a run with _Exit, so nothing left
 * for atexit would be removed. */
static model *save_and_reload(const model *m)
{
    char dir[64] = "/tmp/vitals-fuzz-model-XXXXXX", path[96];
    fuzz_check(mkdtemp(dir) != NULL, "mkdtemp failed");
    snprintf(path, sizeof path, "%s/model.json", dir);
    vt_err err = {0};
    model *again = NULL;
    if (model_save(m, path, &err) == VT_OK) {
        vt_status status = model_load(path, &again, &err);
        unlink(path);
        fuzz_check(status == VT_OK, "a saved model does not load: %s", err.msg);
    }
    rmdir(dir);
    return again;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    model *m = NULL;
    vt_err err = {0};
    if (model_load(fuzz_file_path(data, size), &m, &err) != VT_OK) {
        fuzz_check(m == NULL, "a refused model was returned");
        fuzz_check(err.msg[0] != '\0', "refused without a message");
        return 0;
    }
    fuzz_check(m->n_targets >= 1 && m->n_targets <= MODEL_MAX_TARGETS, "%zu targets", m->n_targets);
    fuzz_check(model_find_target(m, "churn") != NULL, "no churn target");
    fuzz_check(m->enc->n_terms >= 1 && strcmp(m->enc->term_names[0], "(Intercept)") == 0, "no intercept");
    score_rows(m);
    model *again = save_and_reload(m);
    if (again != NULL)
        check_same_model(m, again);
    model_free(again);
    model_free(m);
    return 0;
}
