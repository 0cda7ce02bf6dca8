#include "scorecard.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "numparse.h"
#include "table.h"

#define SCORECARD_FORMAT_VERSION 1
#define SCORECARD_MAX_RULES 64 /* fired rules are a 64-bit mask */

static void set_free(sc_measure_set *set)
{
    for (size_t m = 0; m < set->n_measures; m++) {
        free(set->measures[m].column);
        free(set->measures[m].thresholds);
    }
    free(set->measures);
    free(set->level);
}

void scorecard_free(scorecard *card)
{
    if (card == NULL)
        return;
    for (size_t s = 0; s < card->n_sets; s++)
        set_free(&card->sets[s]);
    free(card->sets);
    for (size_t r = 0; r < card->n_rules; r++) {
        free(card->rules[r].text);
        free(card->rules[r].column_index);
        rule_free(card->rules[r].condition);
    }
    free(card->is_measure);
    free(card->rules);
    for (size_t c = 0; c < card->n_columns; c++)
        free(card->columns[c]);
    free(card->columns);
    free(card->name);
    free(card->stage_column);
    free(card);
}

typedef struct {
    const char *path;
    vt_err *err;
    dict *names;          /* card->columns by name */
} loading;

static vt_status bad(loading *ld, const char *where, const char *what)
{
    return vt_err_set(ld->err, VT_EFORMAT, ld->path, 0, 0, "not a valid scorecard: %s: %s", where, what);
}

/* The index of name in card->columns, adding it if new; -1 if out of memory.
 * Found by hash: a rule naming 50,000 columns took 4.4 s to load by scan
 * (issue 9).  The array doubles when its length reaches a power of two. */
static long add_column(loading *ld, scorecard *card, const char *name)
{
    long id = dict_intern(ld->names, name, strlen(name));
    size_t n = card->n_columns;
    if (id < 0 || (size_t)id < n)
        return id;
    char **grown = (n & (n - 1)) == 0 ? realloc(card->columns, (n ? 2 * n : 1) * sizeof *grown) : card->columns;
    if (grown == NULL)
        return -1;
    card->columns = grown;
    if ((grown[card->n_columns] = vt_strdup(name)) == NULL)
        return -1;
    return (long)card->n_columns++;
}

static vt_status load_measure(loading *ld, scorecard *card, const cJSON *item, sc_measure *measure, const char *where)
{
    const cJSON *column = cJSON_GetObjectItem(item, "column"), *better = cJSON_GetObjectItem(item, "better");
    const cJSON *points = cJSON_GetObjectItem(item, "points"), *weight = cJSON_GetObjectItem(item, "weight");
    const cJSON *otherwise = cJSON_GetObjectItem(item, "otherwise"), *missing = cJSON_GetObjectItem(item, "missing");
    if (!cJSON_IsString(column))
        return bad(ld, where, "a measure needs \"column\"");
    long index = add_column(ld, card, column->valuestring);
    if ((measure->column = vt_strdup(column->valuestring)) == NULL || index < 0)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    measure->column_index = (size_t)index;
    char here[300], shown[VT_QUOTE_SIZE];
    snprintf(here, sizeof here, "%s measure '%s'", where,
             vt_quote(shown, sizeof shown, column->valuestring, strlen(column->valuestring)));
    if (!cJSON_IsString(better) || (strcmp(better->valuestring, "higher") && strcmp(better->valuestring, "lower")))
        return bad(ld, here, "\"better\" must be \"higher\" or \"lower\"");
    measure->higher_is_better = strcmp(better->valuestring, "higher") == 0;
    measure->weight = cJSON_IsNumber(weight) ? weight->valuedouble : 1.0;
    if (!(measure->weight >= 0) || !isfinite(measure->weight))
        return bad(ld, here, "\"weight\" must be a number >= 0");
    measure->otherwise = cJSON_IsNumber(otherwise) ? otherwise->valuedouble : 0.0;
    if (cJSON_IsString(missing) && strcmp(missing->valuestring, "exclude") == 0)
        measure->missing_excluded = 1;
    else if (missing && !(cJSON_IsString(missing) && strcmp(missing->valuestring, "zero") == 0))
        return bad(ld, here, "\"missing\" must be \"zero\" or \"exclude\"");
    int n = cJSON_GetArraySize(points);
    if (!cJSON_IsArray(points) || n < 1)
        return bad(ld, here, "\"points\" must list thresholds: [{\"at\": 0.8, \"points\": 100}, ...]");
    if ((measure->thresholds = calloc((size_t)n, sizeof(sc_threshold))) == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *step;
    cJSON_ArrayForEach(step, points) {
        const cJSON *at = cJSON_GetObjectItem(step, "at"), *value = cJSON_GetObjectItem(step, "points");
        if (!cJSON_IsNumber(at) || !cJSON_IsNumber(value))
            return bad(ld, here, "each threshold needs numbers \"at\" and \"points\"");
        sc_threshold *t = &measure->thresholds[measure->n_thresholds];
        t->at = at->valuedouble;
        t->points = value->valuedouble;
        if (t->points < 0 || t->points > 100)
            return bad(ld, here, "points must be within 0..100");
        if (measure->n_thresholds > 0) {
            double previous = measure->thresholds[measure->n_thresholds - 1].at;
            if (measure->higher_is_better ? !(t->at < previous) : !(t->at > previous))
                return bad(ld, here, measure->higher_is_better
                                         ? "thresholds out of order: with higher better, list them from the highest"
                                         : "thresholds out of order: with lower better, list them from the lowest");
        }
        measure->n_thresholds++;
    }
    return VT_OK;
}

static vt_status load_set(loading *ld, scorecard *card, const cJSON *list, sc_measure_set *set, const char *where)
{
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1)
        return bad(ld, where, "\"measures\" must be a non-empty list");
    if ((set->measures = calloc((size_t)n, sizeof(sc_measure))) == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    double total = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        vt_status status = load_measure(ld, card, item, &set->measures[set->n_measures++], where);
        if (status != VT_OK)
            return status;
        total += set->measures[set->n_measures - 1].weight;
    }
    if (!(total > 0))
        return bad(ld, where, "the weights sum to zero");
    return VT_OK;
}

static vt_status load_rules(loading *ld, scorecard *card, const cJSON *rules)
{
    int n = cJSON_GetArraySize(rules);
    if (rules && (!cJSON_IsArray(rules) || n > SCORECARD_MAX_RULES))
        return bad(ld, "rules", "must be a list of at most 64 rules");
    if (n == 0)
        return VT_OK;
    if ((card->rules = calloc((size_t)n, sizeof(sc_rule))) == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *item;
    cJSON_ArrayForEach(item, rules) {
        sc_rule *r = &card->rules[card->n_rules++];
        char where[32], msg[160];
        snprintf(where, sizeof where, "rule %zu", card->n_rules);
        const cJSON *when = cJSON_GetObjectItem(item, "when"), *force = cJSON_GetObjectItem(item, "bucket");
        const cJSON *points = cJSON_GetObjectItem(item, "points");
        if (!cJSON_IsString(when))
            return bad(ld, where, "needs \"when\": a condition");
        r->force_bucket = -1;
        if (cJSON_IsString(force)) {
            static const char *const names[] = {"red", "yellow", "green"};
            for (int b = 0; b < 3; b++)
                if (strcmp(force->valuestring, names[b]) == 0)
                    r->force_bucket = b;
            if (r->force_bucket < 0)
                return bad(ld, where, "\"bucket\" must be red, yellow or green");
        } else if (cJSON_IsNumber(points)) {
            r->add_points = points->valuedouble;
        } else {
            return bad(ld, where, "needs \"bucket\" (red, yellow, green) or \"points\" (a number to add)");
        }
        size_t at = 0;
        char shown[VT_QUOTE_SIZE];
        if ((r->text = vt_strdup(when->valuestring)) == NULL)
            return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
        if (rule_parse(when->valuestring, &r->condition, &at, msg, sizeof msg) != VT_OK)
            return vt_err_set(ld->err, VT_EPARSE, ld->path, 0, 0, "%s: %s at character %zu of \"%s\"", where, msg,
                              at + 1, vt_quote(shown, sizeof shown, when->valuestring, strlen(when->valuestring)));
        const char *const *names;
        size_t n_names = rule_columns(r->condition, &names);
        if ((r->column_index = calloc(n_names + 1, sizeof(size_t))) == NULL)
            return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
        for (size_t c = 0; c < n_names; c++) {
            long index = add_column(ld, card, names[c]);
            if (index < 0)
                return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
            r->column_index[c] = (size_t)index;
        }
    }
    return VT_OK;
}

static vt_status load_card(loading *ld, const cJSON *root, scorecard *card)
{
    const cJSON *format = cJSON_GetObjectItem(root, "format"), *version = cJSON_GetObjectItem(root, "format_version");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, "vitals-scorecard") != 0)
        return bad(ld, "the file", "no \"format\": \"vitals-scorecard\"");
    if (!cJSON_IsNumber(version) || version->valuedouble > SCORECARD_FORMAT_VERSION)
        return bad(ld, "format_version", "missing, or newer than this vitals reads (1)");
    const cJSON *name = cJSON_GetObjectItem(root, "name"), *bands = cJSON_GetObjectItem(root, "bands");
    card->name = vt_strdup(cJSON_IsString(name) ? name->valuestring : "scorecard");
    const cJSON *red = cJSON_GetObjectItem(bands, "red_below"), *yellow = cJSON_GetObjectItem(bands, "yellow_below");
    card->red_below = cJSON_IsNumber(red) ? red->valuedouble : 40;
    card->yellow_below = cJSON_IsNumber(yellow) ? yellow->valuedouble : 70;
    if (!(card->red_below > 0 && card->yellow_below > card->red_below && card->yellow_below <= 100))
        return bad(ld, "bands", "need 0 < red_below < yellow_below <= 100");
    const cJSON *stages = cJSON_GetObjectItem(root, "stages");
    const cJSON *levels = cJSON_GetObjectItem(stages, "levels"), *stage_column = cJSON_GetObjectItem(stages, "column");
    size_t n_sets = 1 + (size_t)(cJSON_IsObject(levels) ? cJSON_GetArraySize(levels) : 0);
    if (card->name == NULL || (card->sets = calloc(n_sets, sizeof(sc_measure_set))) == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    card->n_sets = 1;
    vt_status status = load_set(ld, card, cJSON_GetObjectItem(root, "measures"), &card->sets[0], "measures");
    if (status == VT_OK && stages) {
        if (!cJSON_IsString(stage_column) || !cJSON_IsObject(levels))
            return bad(ld, "stages", "needs \"column\" and \"levels\": {level: [measures]}");
        if ((card->stage_column = vt_strdup(stage_column->valuestring)) == NULL || add_column(ld, card, stage_column->valuestring) < 0)
            return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
        const cJSON *level;
        cJSON_ArrayForEach(level, levels) {
            sc_measure_set *set = &card->sets[card->n_sets++];
            char where[300], shown[VT_QUOTE_SIZE];
            snprintf(where, sizeof where, "stage '%s'", vt_quote(shown, sizeof shown, level->string, strlen(level->string)));
            if ((set->level = vt_strdup(level->string)) == NULL)
                return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
            if ((status = load_set(ld, card, level, set, where)) != VT_OK)
                return status;
        }
    }
    if (status == VT_OK)
        status = load_rules(ld, card, cJSON_GetObjectItem(root, "rules"));
    if (status == VT_OK && (card->is_measure = calloc(card->n_columns + 1, 1)) == NULL)
        status = vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    for (size_t set = 0; status == VT_OK && set < card->n_sets; set++)
        for (size_t m = 0; m < card->sets[set].n_measures; m++)
            card->is_measure[card->sets[set].measures[m].column_index] = 1;
    return status;
}

vt_status scorecard_load(const char *path, scorecard **out, vt_err *err)
{
    *out = NULL;
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot open the scorecard");
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(text, cap);
            if (grown == NULL) {
                free(text);
                fclose(in);
                return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, 4096, in);
        len += got;
        if (got < 4096)
            break;
    }
    fclose(in);
    text[len] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (root == NULL) {
        long line = 1, col = 1;
        for (const char *p = text; end && p < end; p++)
            col = *p == '\n' ? (line++, 1) : col + 1;
        free(text);
        return vt_err_set(err, VT_EFORMAT, path, line, col, "not a valid scorecard: malformed or truncated JSON");
    }
    free(text);
    scorecard *card = calloc(1, sizeof *card);
    loading ld = {path, err, dict_new()};
    vt_status status = card && ld.names ? load_card(&ld, root, card)
                                        : vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    dict_free(ld.names);
    cJSON_Delete(root);
    if (status != VT_OK) {
        scorecard_free(card);
        return status;
    }
    *out = card;
    return VT_OK;
}

/* ---------------------------------------------------------------- scoring */

struct scorecard_binding {
    long *field;          /* per scorecard column: its header position */
    long stage_field;
};

void scorecard_binding_free(scorecard_binding *binding)
{
    if (binding == NULL)
        return;
    free(binding->field);
    free(binding);
}

vt_status scorecard_bind(const scorecard *card, const char *path, const char *const *header, size_t n_columns,
                         scorecard_binding **out, vt_err *err)
{
    *out = NULL;
    scorecard_binding *binding = calloc(1, sizeof *binding);
    if (binding == NULL || (binding->field = calloc(card->n_columns, sizeof(long))) == NULL) {
        free(binding);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    binding->stage_field = -1;
    dict *names = dict_of_names(header, n_columns, NULL); /* a header's names are distinct */
    if (names == NULL) {
        scorecard_binding_free(binding);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    for (size_t c = 0; c < card->n_columns; c++) {
        binding->field[c] = dict_find(names, card->columns[c], strlen(card->columns[c]));
        if (binding->field[c] < 0) {
            char shown[VT_QUOTE_SIZE];
            dict_free(names);
            scorecard_binding_free(binding);
            return vt_err_set(err, VT_EDATA, path, 1, 0, "the scorecard uses column '%s', which the header lacks",
                              vt_quote(shown, sizeof shown, card->columns[c], strlen(card->columns[c])));
        }
        if (card->stage_column && strcmp(card->columns[c], card->stage_column) == 0)
            binding->stage_field = binding->field[c];
    }
    dict_free(names);
    *out = binding;
    return VT_OK;
}

static double measure_points(const sc_measure *measure, double value)
{
    for (size_t t = 0; t < measure->n_thresholds; t++) {
        const sc_threshold *step = &measure->thresholds[t];
        if (measure->higher_is_better ? value >= step->at : value <= step->at)
            return step->points;
    }
    return measure->otherwise;
}

vt_status scorecard_row(const scorecard *card, const scorecard_binding *binding, const csv_row *row,
                        const char *path, sc_result *result, vt_err *err)
{
    enum { MAX_VALUES = 256 };
    double local[MAX_VALUES], *values = card->n_columns <= MAX_VALUES ? local : malloc(card->n_columns * sizeof(double));
    if (values == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    vt_status status = VT_OK;
    for (size_t c = 0; c < card->n_columns && status == VT_OK; c++) {
        long field = binding->field[c];
        values[c] = NAN;
        result->points[c] = NAN;
        if (field == binding->stage_field || table_is_missing(row->fields[field], row->lengths[field], NULL, 0))
            continue;
        num_result parsed = num_parse(row->fields[field], row->lengths[field], &values[c]);
        char name[VT_QUOTE_SIZE], cell[VT_QUOTE_SIZE];
        if (parsed != NUM_OK)
            status = vt_err_set(err, VT_EDATA, path, row->line, field + 1, "column '%s': '%s' is %s",
                                vt_quote(name, sizeof name, card->columns[c], strlen(card->columns[c])),
                                vt_quote(cell, sizeof cell, row->fields[field], row->lengths[field]),
                                num_result_text(parsed));
    }
    const sc_measure_set *set = &card->sets[0];
    for (size_t s = 1; status == VT_OK && binding->stage_field >= 0 && s < card->n_sets; s++)
        if (strcmp(card->sets[s].level, row->fields[binding->stage_field]) == 0)
            set = &card->sets[s];
    double weighted = 0, weights = 0;
    for (size_t m = 0; status == VT_OK && m < set->n_measures; m++) {
        const sc_measure *measure = &set->measures[m];
        size_t c = measure->column_index;
        if (isnan(values[c]) && measure->missing_excluded)
            continue;
        double points = isnan(values[c]) ? 0.0 : measure_points(measure, values[c]);
        result->points[c] = points;
        weighted += measure->weight * points;
        weights += measure->weight;
    }
    result->health = weights > 0 ? weighted / weights : 0.0;
    result->fired = 0;
    int forced = -1;
    for (size_t r = 0; status == VT_OK && r < card->n_rules; r++) {
        const sc_rule *rule_item = &card->rules[r];
        const char *const *names;
        size_t n_names = rule_columns(rule_item->condition, &names);
        double rule_values[64], *picked = n_names <= 64 ? rule_values : malloc(n_names * sizeof(double));
        if (picked == NULL) {
            status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
            break;
        }
        for (size_t i = 0; i < n_names; i++)
            picked[i] = values[rule_item->column_index[i]];
        if (rule_eval(rule_item->condition, picked)) {
            result->fired |= 1ULL << r;
            if (rule_item->force_bucket >= 0 && forced < 0)
                forced = rule_item->force_bucket;
            result->health = fmin(100, fmax(0, result->health + rule_item->add_points));
        }
        if (picked != rule_values)
            free(picked);
    }
    result->level = forced >= 0 ? (bucket)forced
                                : score_bucket((int)lround(result->health), card->red_below, card->yellow_below);
    if (values != local)
        free(values);
    return status;
}
