/* vitals diff: what changed between two retrains of a model. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "buf.h"
#include "commands.h"
#include "curve.h"
#include "db_args.h"
#include "drift.h"
#include "encode.h"
#include "inference.h"
#include "json.h"
#include "model.h"
#include "outfile.h"

static const char diff_help[] =
    "usage: vitals diff OLD.json NEW.json [--data DATA.csv] [--flag Z] [--json] [-o FILE]\n"
    "                   [--delimiter D] [--threads N]\n"
    "       vitals diff OLD.json NEW.json --data postgresql://... --query SQL|--table NAME\n"
    "                   [options]\n"
    "\n"
    "Per term: old and new estimate, the change and its z statistic\n"
    "(change / sqrt(SE_old^2 + SE_new^2)), flagged when |z| > Z (default 3); terms\n"
    "added or removed.  Per smooth column (smooth in either model), instead of its\n"
    "basis terms: the edf in each model and the two curves on a grid spanning both\n"
    "models' knots, each centred over the grid (a curve's level is the intercept's):\n"
    "the largest |change| / sqrt(se_old^2 + se_new^2), flagged when above Z, and the\n"
    "largest change.  A column linear in one model is compared as its line.\n"
    "How the fits differ besides the data's values: the data's source and content,\n"
    "Firth or maximum likelihood, the ridge per target, row weights, balanced\n"
    "classes, --by, the missing policy (a change there is a change of method, not\n"
    "drift).  Encoding changes (columns, types from and to, levels, imputation\n"
    "values, smooth or linear); fit\n"
    "statistics and validation metrics side by side.  With --data, the population\n"
    "stability index of churn risk between the two models on those rows, and how\n"
    "many accounts change bucket.  Models with different targets are refused.\n"
    "\n"
    "--data may be - (standard input) or a postgresql:// URI with:\n"
    DB_ARGS_HELP_READ;

/* ------------------------------------------------------------ the terms */

static void add_number(cJSON *object, const char *key, double value)
{
    json_add_exact(object, key, value);
}

/* One target's terms: both models' terms, old order first, then new ones. */
static cJSON *diff_terms(const model *old_model, const model_target *old, const model *new_model,
                         const model_target *new, double flag, size_t *n_flagged)
{
    static const char *const statuses[] = {"same", "changed", "added", "removed", "aliased"};
    cJSON *terms = cJSON_CreateArray();
    drift_term *list = vt_calloc(old_model->enc->n_terms + new_model->enc->n_terms, sizeof *list);
    size_t n = list ? drift_terms(old_model, old, new_model, new, flag, list) : 0;
    for (size_t i = 0; i < n; i++) {
        if (curve_term_in_curve(old_model, new_model, list[i].term))
            continue; /* compared as a curve: diff_curves */
        cJSON *item = json_append_object(terms);
        cJSON_AddStringToObject(item, "term", list[i].term);
        cJSON_AddStringToObject(item, "status", statuses[list[i].status]);
        if (list[i].status != DRIFT_SAME && list[i].status != DRIFT_CHANGED)
            continue;
        add_number(item, "old", list[i].old_estimate);
        add_number(item, "new", list[i].new_estimate);
        add_number(item, "change", list[i].change);
        add_number(item, "z", list[i].z);
        *n_flagged += list[i].status == DRIFT_CHANGED;
    }
    free(list);
    return terms;
}

static int has_level(const enc_feature *feature, const char *level);

static void add_curve(cJSON *curves, const curve_change *c)
{
    cJSON *item = json_append_object(curves);
    cJSON_AddStringToObject(item, "column", c->column);
    if (c->level)
        cJSON_AddStringToObject(item, "level", c->level);
    cJSON_AddStringToObject(item, "status", c->flagged ? "changed" : "same");
    cJSON_AddStringToObject(item, "old", c->old_smooth ? "smooth" : "linear");
    cJSON_AddStringToObject(item, "new", c->new_smooth ? "smooth" : "linear");
    add_number(item, "old_edf", c->old_edf);
    add_number(item, "new_edf", c->new_edf);
    add_number(item, "grid_from", c->lo);
    add_number(item, "grid_to", c->hi);
    add_number(item, "x", c->x);
    add_number(item, "old_value", c->old_value);
    add_number(item, "new_value", c->new_value);
    add_number(item, "change", c->change);
    add_number(item, "z", c->z);
    add_number(item, "largest_change", c->largest_change);
    add_number(item, "largest_change_x", c->largest_change_x);
    add_number(item, "largest_change_z", c->largest_change_z);
}

/* The levels of the by column of m's curve per level of `column`, or NULL. */
static const enc_feature *by_levels(const model *m, const char *column)
{
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (strcmp(m->enc->features[f].name, column) == 0 && m->enc->features[f].smooth_by)
            return &m->enc->features[encoding_by_column(m->enc, f)];
    return NULL;
}

/* One target's smooth columns (smooth in either model), old order: the
 * curves compared over the grid (curve.h), a curve per level level by
 * level (the old model's levels, then the new one's others); NULL when
 * there are none. */
static cJSON *diff_curves(const model *old_model, const model_target *old, const model *new_model,
                          const model_target *new, double flag, size_t *n_flagged)
{
    cJSON *curves = NULL;
    for (size_t f = 0; f < old_model->enc->n_features; f++) {
        const char *column = old_model->enc->features[f].name;
        const enc_feature *by[2] = {by_levels(old_model, column), by_levels(new_model, column)};
        for (int side = 0; side < 3; side++) {
            const enc_feature *levels = side == 0 ? NULL : by[side - 1];
            for (size_t l = 0; l < (levels ? levels->n_levels : side == 0); l++) {
                const char *level = levels ? levels->levels[l] : NULL;
                curve_change c;
                if ((side == 2 && by[0] && by[1] && has_level(by[0], level)) ||
                    curve_compare_level(old_model, old, new_model, new, column, level, flag, &c) != 0)
                    continue;
                if (curves == NULL)
                    curves = cJSON_CreateArray();
                add_curve(curves, &c);
                *n_flagged += c.flagged != 0;
            }
        }
    }
    return curves;
}

/* One target's ti terms held by both models: the surfaces compared over
 * the grid (curve_compare_tensor); NULL when there are none. */
static cJSON *diff_surfaces(const model *old_model, const model_target *old, const model *new_model,
                            const model_target *new, double flag, size_t *n_flagged)
{
    cJSON *surfaces = NULL;
    for (size_t p = 0; p < old_model->enc->n_pairs; p++) {
        const enc_pair *pair = &old_model->enc->pairs[p];
        surface_change c;
        if (pair->tensor == NULL ||
            curve_compare_tensor(old_model, old, new_model, new, old_model->enc->features[pair->a].name,
                                 old_model->enc->features[pair->b].name, flag, &c) != 0)
            continue;
        if (surfaces == NULL)
            surfaces = cJSON_CreateArray();
        cJSON *item = json_append_object(surfaces);
        char *name = encoding_tensor_name(old_model->enc, p);
        cJSON_AddStringToObject(item, "term", name ? name : "");
        free(name);
        cJSON_AddStringToObject(item, "status", c.flagged ? "changed" : "same");
        add_number(item, "old_edf", c.old_edf);
        add_number(item, "new_edf", c.new_edf);
        add_number(item, "x_a", c.x_a);
        add_number(item, "x_b", c.x_b);
        add_number(item, "old_value", c.old_value);
        add_number(item, "new_value", c.new_value);
        add_number(item, "change", c.change);
        add_number(item, "z", c.z);
        *n_flagged += c.flagged != 0;
    }
    return surfaces;
}

static const enc_feature *find_feature(const model *m, const char *name)
{
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (strcmp(m->enc->features[f].name, name) == 0)
            return &m->enc->features[f];
    return NULL;
}

static int has_level(const enc_feature *feature, const char *level)
{
    for (size_t l = 0; l < feature->n_levels; l++)
        if (strcmp(feature->levels[l], level) == 0)
            return 1;
    return 0;
}

static void add_change(cJSON *changes, const char *column, const char *what)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "column", column);
    cJSON_AddStringToObject(item, "change", what);
    json_append(changes, item);
}

/* The form of m's pair of columns a and b (either order), or NULL. */
static const char *pair_form(const model *m, const char *a, const char *b)
{
    for (size_t p = 0; p < m->enc->n_pairs; p++) {
        const enc_pair *pair = &m->enc->pairs[p];
        const char *pa = m->enc->features[pair->a].name, *pb = m->enc->features[pair->b].name;
        if ((strcmp(pa, a) == 0 && strcmp(pb, b) == 0) || (strcmp(pa, b) == 0 && strcmp(pb, a) == 0))
            return encoding_pair_form(m->enc, p);
    }
    return NULL;
}

/* The interactions of `from` that `to` lacks (what: "interaction
 * removed" or "added"), and those whose form changed.  R's A:B terms go
 * unremarked; a curve per level or a ti() is named. */
static void diff_pairs(cJSON *changes, const model *from, const model *to, const char *what)
{
    int removed = strcmp(what, "interaction removed") == 0;
    for (size_t p = 0; p < from->enc->n_pairs; p++) {
        const enc_pair *pair = &from->enc->pairs[p];
        const char *a = from->enc->features[pair->a].name, *b = from->enc->features[pair->b].name;
        const char *form = encoding_pair_form(from->enc, p), *other = pair_form(to, a, b);
        int plain = !pair->by_smooth && pair->tensor == NULL;
        char text[160];
        if (other == NULL && plain)
            snprintf(text, sizeof text, "%s", what);
        else if (other == NULL)
            snprintf(text, sizeof text, "%s (%s a %s)", what, removed ? "it was" : "as", form);
        else if (removed && strcmp(form, other) != 0)
            snprintf(text, sizeof text, "interaction now a %s (was a %s)", other, form);
        else
            continue;
        add_change(changes, pair->name, text);
    }
}

static const char *type_name(column_type type) { return type == TYPE_NUMERIC ? "numeric" : "categorical"; }

/* Columns added or removed, types, levels, imputation values, interactions. */
static cJSON *diff_encoding(const model *old_model, const model *new_model)
{
    cJSON *changes = cJSON_CreateArray();
    char what[512];
    for (size_t f = 0; f < old_model->enc->n_features; f++) {
        const enc_feature *a = &old_model->enc->features[f], *b = find_feature(new_model, a->name);
        if (b == NULL) {
            add_change(changes, a->name, "column removed");
            continue;
        }
        if (a->type != b->type) {
            snprintf(what, sizeof what, "type changed from %s to %s", type_name(a->type), type_name(b->type));
            add_change(changes, a->name, what);
            continue;
        }
        if (a->smooth && !b->smooth) {
            snprintf(what, sizeof what, "was a smooth term (k = %zu), now linear", a->smooth->k);
            add_change(changes, a->name, what);
        } else if (!a->smooth && b->smooth) {
            snprintf(what, sizeof what, "was linear, now a smooth term (k = %zu)", b->smooth->k);
            add_change(changes, a->name, what);
        } else if (a->smooth && b->smooth && a->smooth->k != b->smooth->k) {
            snprintf(what, sizeof what, "smooth basis k = %zu -> %zu", a->smooth->k, b->smooth->k);
            add_change(changes, a->name, what);
        }
        /* The imputation value (the mean) moves with every retrain; it only
         * matters where cells were imputed. */
        if (a->type == TYPE_NUMERIC && (a->missing_term || b->missing_term) && a->impute != b->impute) {
            snprintf(what, sizeof what, "imputation value %.6g -> %.6g", a->impute, b->impute);
            add_change(changes, a->name, what);
        }
        for (size_t l = 0; a->type == TYPE_CATEGORICAL && l < a->n_levels; l++)
            if (!has_level(b, a->levels[l])) {
                snprintf(what, sizeof what, "level '%.400s' vanished", a->levels[l]);
                add_change(changes, a->name, what);
            }
        for (size_t l = 0; b->type == TYPE_CATEGORICAL && l < b->n_levels; l++)
            if (!has_level(a, b->levels[l])) {
                snprintf(what, sizeof what, "new level '%.400s'", b->levels[l]);
                add_change(changes, a->name, what);
            }
    }
    for (size_t f = 0; f < new_model->enc->n_features; f++)
        if (find_feature(old_model, new_model->enc->features[f].name) == NULL)
            add_change(changes, new_model->enc->features[f].name, "column added");
    diff_pairs(changes, old_model, new_model, "interaction removed");
    diff_pairs(changes, new_model, old_model, "interaction added");
    return changes;
}

/* ------------------------------------------------------------ the training */

static void add_training(cJSON *list, const char *what, const char *old, const char *new)
{
    cJSON *item = json_append_object(list);
    cJSON_AddStringToObject(item, "what", what);
    cJSON_AddStringToObject(item, "old", old);
    cJSON_AddStringToObject(item, "new", new);
}

static void ridge_text(char *out, size_t size, const model *m, const model_target *target)
{
    if (target->l2 > 0)
        snprintf(out, size, "l2 = %.6g%s", target->l2, m->l2_cv ? " (chosen by --l2 cv)" : "");
    else
        snprintf(out, size, "none");
}

/* How the two fits differ other than by their data's values: where the
 * rows came from, and the options that change what an estimate means
 * (Firth, ridge, weights, balance, --by, the missing policy).  A change
 * in coefficients beside one of these is not drift. */
static cJSON *diff_training(const model *old_model, const model *new_model)
{
    cJSON *list = cJSON_CreateArray();
    char old[600], new[600];
    const char *old_query = old_model->data_query ? old_model->data_query : "",
               *new_query = new_model->data_query ? new_model->data_query : "";
    if (strcmp(old_model->data_path, new_model->data_path) != 0 || strcmp(old_query, new_query) != 0) {
        snprintf(old, sizeof old, "%.400s%s%.150s", old_model->data_path, *old_query ? ", query " : "", old_query);
        snprintf(new, sizeof new, "%.400s%s%.150s", new_model->data_path, *new_query ? ", query " : "", new_query);
        add_training(list, "data source", old, new);
    }
    if (old_model->data_hash != new_model->data_hash || old_model->data_rows != new_model->data_rows) {
        snprintf(old, sizeof old, "%llu rows, hash %016llx", (unsigned long long)old_model->data_rows,
                 (unsigned long long)old_model->data_hash);
        snprintf(new, sizeof new, "%llu rows, hash %016llx", (unsigned long long)new_model->data_rows,
                 (unsigned long long)new_model->data_hash);
        add_training(list, "data content", old, new);
    }
    if (old_model->firth != new_model->firth)
        add_training(list, "estimation", old_model->firth ? "Firth's penalised likelihood" : "maximum likelihood",
                     new_model->firth ? "Firth's penalised likelihood" : "maximum likelihood");
    for (size_t k = 0; k < old_model->n_targets && k < new_model->n_targets; k++) {
        ridge_text(old, sizeof old, old_model, &old_model->targets[k]);
        ridge_text(new, sizeof new, new_model, &new_model->targets[k]);
        if (strcmp(old, new) != 0) {
            char what[64];
            snprintf(what, sizeof what, "%s ridge", old_model->targets[k].name);
            add_training(list, what, old, new);
        }
    }
    if (old_model->balance != new_model->balance)
        add_training(list, "classes", old_model->balance ? "balanced" : "as observed",
                     new_model->balance ? "balanced" : "as observed");
    const char *old_weight = old_model->weight_column ? old_model->weight_column : "none",
               *new_weight = new_model->weight_column ? new_model->weight_column : "none";
    if (strcmp(old_weight, new_weight) != 0)
        add_training(list, "row weights", old_weight, new_weight);
    const char *old_by = old_model->by_column ? old_model->by_column : "none",
               *new_by = new_model->by_column ? new_model->by_column : "none";
    if (strcmp(old_by, new_by) != 0)
        add_training(list, "--by", old_by, new_by);
    if (old_model->enc->missing != new_model->enc->missing)
        add_training(list, "missing cells", missing_policy_name(old_model->enc->missing),
                     missing_policy_name(new_model->enc->missing));
    return list;
}

static cJSON *side_by_side(const model_target *old, const model_target *new)
{
    cJSON *fit = cJSON_CreateObject();
    const char *names[] = {"rows", "events", "deviance", "aic", "bic", "mcfadden_r2"};
    double olds[] = {(double)old->n_obs, (double)old->n_events, old->deviance, old->aic, old->bic,
                     inference_mcfadden(old)};
    double news[] = {(double)new->n_obs, (double)new->n_events, new->deviance, new->aic, new->bic,
                     inference_mcfadden(new)};
    for (int i = 0; i < 6; i++) {
        cJSON *pair = cJSON_AddObjectToObject(fit, names[i]);
        add_number(pair, "old", olds[i]);
        add_number(pair, "new", news[i]);
    }
    if (old->validation && new->validation) {
        const metrics *was = &old->validation->overall, *is = &new->validation->overall;
        const char *keys[] = {"roc_auc", "pr_auc", "log_loss", "brier"};
        double olds_judged[] = {was->roc_auc, was->average_precision, was->log_loss, was->brier};
        double news_judged[] = {is->roc_auc, is->average_precision, is->log_loss, is->brier};
        for (int i = 0; i < 4; i++) {
            cJSON *pair = cJSON_AddObjectToObject(fit, keys[i]);
            add_number(pair, "old", olds_judged[i]);
            add_number(pair, "new", news_judged[i]);
        }
    }
    return fit;
}

/* ------------------------------------------------------------ the data */

/* PSI over the deciles of the old model's risk, and the bucket moves. */
static cJSON *population_shift(const model *old_model, const model *new_model, const drift_risks *r)
{
    cJSON *item = cJSON_CreateObject();
    drift_shift shift;
    if (drift_population(old_model, new_model, r, &shift) != 0)
        return item;
    cJSON_AddNumberToObject(item, "rows", (double)shift.rows);
    add_number(item, "psi_churn_risk", shift.psi);
    cJSON_AddNumberToObject(item, "accounts_changing_bucket", (double)shift.changed);
    cJSON *matrix = cJSON_AddObjectToObject(item, "bucket_moves");
    static const char *const names[] = {"red", "yellow", "green"};
    for (int a = 0; a < 3; a++) {
        cJSON *row = cJSON_AddObjectToObject(matrix, names[a]);
        for (int b = 0; b < 3; b++)
            cJSON_AddNumberToObject(row, names[b], (double)shift.moves[a][b]);
    }
    return item;
}

/* ------------------------------------------------------------ output */

static void print_edf(FILE *out, const cJSON *curve, const char *side)
{
    char key[16];
    snprintf(key, sizeof key, "%s_edf", side);
    if (strcmp(cJSON_GetObjectItem(curve, side)->valuestring, "linear") == 0)
        fprintf(out, " %8s", "linear");
    else
        fprintf(out, " %8.2f", json_number(curve, key));
}

static void print_surfaces(FILE *out, const cJSON *surfaces, double flag)
{
    if (surfaces == NULL)
        return;
    const cJSON *item;
    fprintf(out, "tensor terms (each surface compared on a %d x %d grid over both models' ranges; flagged above "
                 "%g standard errors):\n", CURVE_SURFACE, CURVE_SURFACE, flag);
    cJSON_ArrayForEach(item, surfaces)
        fprintf(out, "  %s: edf %.2f -> %.2f, max |z| %.2f at (%.4g, %.4g): %.4g -> %.4g%s\n",
                cJSON_GetObjectItem(item, "term")->valuestring, json_number(item, "old_edf"),
                json_number(item, "new_edf"), fabs(json_number(item, "z")), json_number(item, "x_a"),
                json_number(item, "x_b"), json_number(item, "old_value"), json_number(item, "new_value"),
                strcmp(cJSON_GetObjectItem(item, "status")->valuestring, "changed") == 0 ? "  <-- changed" : "");
}

static void print_curves(FILE *out, const cJSON *curves, double flag)
{
    if (curves == NULL)
        return;
    const cJSON *curve;
    int flagged = 0;
    cJSON_ArrayForEach(curve, curves)
        flagged += strcmp(cJSON_GetObjectItem(curve, "status")->valuestring, "changed") == 0;
    fprintf(out, "smooth columns: %d curve%s changed by more than %g standard errors somewhere on the grid\n", flagged,
            flagged == 1 ? "" : "s", flag);
    fprintf(out, "%-28s %8s %8s %10s %10s %8s %10s %11s %14s %10s\n", "column", "edf old", "edf new", "grid from",
            "to", "max |z|", "at x", "change", "largest change", "at x");
    cJSON_ArrayForEach(curve, curves) {
        const cJSON *level = cJSON_GetObjectItem(curve, "level");
        char label[256];
        snprintf(label, sizeof label, "%s%s%s%s", cJSON_GetObjectItem(curve, "column")->valuestring,
                 level ? " (" : "", level ? level->valuestring : "", level ? ")" : "");
        fprintf(out, "%-28s", label);
        print_edf(out, curve, "old");
        print_edf(out, curve, "new");
        fprintf(out, " %10.4g %10.4g %8.2f %10.4g %11.4g %14.4g %10.4g%s\n", json_number(curve, "grid_from"),
                json_number(curve, "grid_to"), json_number(curve, "z"), json_number(curve, "x"),
                json_number(curve, "change"), json_number(curve, "largest_change"),
                json_number(curve, "largest_change_x"),
                strcmp(cJSON_GetObjectItem(curve, "status")->valuestring, "changed") == 0 ? "  <-- changed" : "");
    }
    int switched = 0;
    cJSON_ArrayForEach(curve, curves) {
        const char *before = cJSON_GetObjectItem(curve, "old")->valuestring,
                   *after = cJSON_GetObjectItem(curve, "new")->valuestring;
        if (strcmp(before, after) != 0) {
            fprintf(out, "  %s: %s in the old model, %s in the new; the line compared is beta (x - mean)\n",
                    cJSON_GetObjectItem(curve, "column")->valuestring, before, after);
            switched = 1;
        }
    }
    if (switched)
        fprintf(out, "  (Intercept): a line's level (beta x mean) is in the intercept, a curve's is not: its change "
                     "is not comparable\n");
}

/* Any difference but the data's: the estimates are not comparable as drift. */
static int json_has_method_change(const cJSON *training)
{
    const cJSON *change;
    cJSON_ArrayForEach(change, training) {
        const char *what = cJSON_GetObjectItem(change, "what")->valuestring;
        if (strncmp(what, "data ", 5) != 0)
            return 1;
    }
    return 0;
}

static void print_diff(FILE *out, const cJSON *root, double flag)
{
    const cJSON *target;
    cJSON_ArrayForEach(target, cJSON_GetObjectItem(root, "targets")) {
        fprintf(out, "\n%s: %d terms changed by more than %g standard errors\n",
                cJSON_GetObjectItem(target, "name")->valuestring, (int)json_number(target, "flagged"), flag);
        fprintf(out, "%-36s %13s %13s %13s %9s\n", "term", "old", "new", "change", "z");
        const cJSON *term;
        cJSON_ArrayForEach(term, cJSON_GetObjectItem(target, "terms")) {
            const char *status = cJSON_GetObjectItem(term, "status")->valuestring;
            const char *name = cJSON_GetObjectItem(term, "term")->valuestring;
            if (strcmp(status, "same") != 0 && strcmp(status, "changed") != 0) {
                fprintf(out, "%-36s %s\n", name, status);
                continue;
            }
            fprintf(out, "%-36s %13.6g %13.6g %13.6g %9.2f%s\n", name, json_number(term, "old"), json_number(term, "new"),
                    json_number(term, "change"), json_number(term, "z"), strcmp(status, "changed") == 0 ? "  <-- changed" : "");
        }
        print_curves(out, cJSON_GetObjectItem(target, "curves"), flag);
        print_surfaces(out, cJSON_GetObjectItem(target, "tensor_terms"), flag);
        const cJSON *fit = cJSON_GetObjectItem(target, "fit"), *pair;
        fprintf(out, "%-36s %13s %13s\n", "fit", "old", "new");
        cJSON_ArrayForEach(pair, fit)
            fprintf(out, "%-36s %13.6g %13.6g\n", pair->string, json_number(pair, "old"), json_number(pair, "new"));
    }
    const cJSON *change;
    cJSON *training = cJSON_GetObjectItem(root, "training_changes");
    fprintf(out, "\ntraining: %d difference%s%s\n", cJSON_GetArraySize(training),
            cJSON_GetArraySize(training) == 1 ? "" : "s",
            json_has_method_change(training) ? " (an estimate's change may come from the method, not the data)" : "");
    cJSON_ArrayForEach(change, training)
        fprintf(out, "  %s: %s -> %s\n", cJSON_GetObjectItem(change, "what")->valuestring,
                cJSON_GetObjectItem(change, "old")->valuestring, cJSON_GetObjectItem(change, "new")->valuestring);
    cJSON *changes = cJSON_GetObjectItem(root, "encoding_changes");
    fprintf(out, "\nencoding: %d changes\n", cJSON_GetArraySize(changes));
    cJSON_ArrayForEach(change, changes)
        fprintf(out, "  %s: %s\n", cJSON_GetObjectItem(change, "column")->valuestring,
                cJSON_GetObjectItem(change, "change")->valuestring);
    const cJSON *data = cJSON_GetObjectItem(root, "data");
    if (data)
        fprintf(out, "\non %.0f rows: PSI of churn risk %.4f; %.0f accounts change bucket\n", json_number(data, "rows"),
                json_number(data, "psi_churn_risk"), json_number(data, "accounts_changing_bucket"));
}

static vt_status same_targets(const model *a, const model *b, const char *path_a, const char *path_b, vt_err *err)
{
    int same = a->n_targets == b->n_targets;
    for (size_t k = 0; same && k < a->n_targets; k++)
        same = strcmp(a->targets[k].name, b->targets[k].name) == 0 &&
               strcmp(a->targets[k].label, b->targets[k].label) == 0;
    if (!same)
        return vt_err_set(err, VT_EDATA, path_b, 0, 0, "its targets (%s%s%s) differ from %s's (%s%s%s)",
                          b->targets[0].name, b->n_targets > 1 ? ", " : "", b->n_targets > 1 ? b->targets[1].name : "",
                          path_a, a->targets[0].name, a->n_targets > 1 ? ", " : "",
                          a->n_targets > 1 ? a->targets[1].name : "");
    return VT_OK;
}

typedef struct {
    const char *old_path, *new_path, *data, *output;
    double flag;
    int json;
    db_args db;  /* --data's rows, delimiter and threads */
} diff_args;

static vt_status run_diff(const diff_args *args, vt_err *err)
{
    const char *old_path = args->old_path, *new_path = args->new_path, *data = args->data, *output = args->output;
    double flag = args->flag;
    int json = args->json;
    model *old_model = NULL, *new_model = NULL;
    cJSON *root = NULL;
    drift_risks r = {0};
    vt_status status = model_load(old_path, &old_model, err);
    if (status == VT_OK)
        status = model_load(new_path, &new_model, err);
    if (status == VT_OK)
        status = same_targets(old_model, new_model, old_path, new_path, err);
    if (status == VT_OK && data) {
        row_stream_options input = db_args_input(data, &args->db, new_model->delimiter);
        status = drift_score(old_model, new_model, &input, &r, err);
    }
    unsigned long failures = vt_alloc_failures();
    if (status == VT_OK) {
        root = cJSON_CreateObject();
        cJSON *targets = cJSON_AddArrayToObject(root, "targets");
        for (size_t k = 0; k < old_model->n_targets; k++) {
            size_t flagged = 0;
            cJSON *target = json_append_object(targets);
            cJSON_AddStringToObject(target, "name", old_model->targets[k].name);
            json_attach(target, "terms", diff_terms(old_model, &old_model->targets[k], new_model,
                                                              &new_model->targets[k], flag, &flagged));
            cJSON_AddNumberToObject(target, "flagged", (double)flagged);
            size_t curves_flagged = 0;
            cJSON *curves = diff_curves(old_model, &old_model->targets[k], new_model, &new_model->targets[k], flag,
                                        &curves_flagged);
            if (curves) { /* a linear model's report keeps its bytes */
                json_attach(target, "curves", curves);
                cJSON_AddNumberToObject(target, "curves_flagged", (double)curves_flagged);
            }
            size_t surfaces_flagged = 0;
            cJSON *surfaces = diff_surfaces(old_model, &old_model->targets[k], new_model, &new_model->targets[k],
                                            flag, &surfaces_flagged);
            if (surfaces) {
                json_attach(target, "tensor_terms", surfaces);
                cJSON_AddNumberToObject(target, "tensor_terms_flagged", (double)surfaces_flagged);
            }
            json_attach(target, "fit", side_by_side(&old_model->targets[k], &new_model->targets[k]));
        }
        json_attach(root, "training_changes", diff_training(old_model, new_model));
        json_attach(root, "encoding_changes", diff_encoding(old_model, new_model));
        if (data)
            json_attach(root, "data", population_shift(old_model, new_model, &r));
        if (json) {
            status = json_write_file(root, output, failures, err);
            root = NULL;
        } else if (vt_alloc_failures() != failures) { /* a part of the tree was never built */
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            outfile *file = NULL;
            if ((status = outfile_open(output, &file, err)) == VT_OK) {
                print_diff(outfile_stream(file), root, flag);
                status = outfile_commit(file, err);
            }
        }
    }
    cJSON_Delete(root);
    drift_risks_free(&r);
    model_free(old_model);
    model_free(new_model);
    return status;
}

static const arg_spec diff_options[] = {
    {"--data", NULL, ARG_STRING, ARG_AT(diff_args, data)},
    {"--flag", NULL, ARG_POSITIVE, ARG_AT(diff_args, flag), .what = "a positive z"},
    {"--json", NULL, ARG_FLAG, ARG_AT(diff_args, json)},
    {"--output", "-o", ARG_STRING, ARG_AT(diff_args, output)},
    DB_ARGS_OPTIONS(diff_args, db),
    {0},
};

static const arg_spec diff_positionals[] = {
    {"OLD.json", NULL, ARG_STRING, ARG_AT(diff_args, old_path)},
    {"NEW.json", NULL, ARG_STRING, ARG_AT(diff_args, new_path)},
    {0},
};

vt_status cmd_diff(int argc, char **argv, vt_err *err)
{
    diff_args args = {.output = "-", .flag = 3};
    args_result parsed = args_parse(argc, argv, diff_options, diff_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, diff_help, err);
    vt_status status = db_args_resolve_optional("--data", args.data, &args.db, err);
    if (status == VT_OK)
        status = run_diff(&args, err);
    db_args_free(&args.db);
    return status;
}
