#include "scorecard.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "json.h"
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
    free(card->is_text);
    free(card->rules);
    for (size_t c = 0; c < card->n_columns; c++)
        free(card->columns[c]);
    free(card->columns);
    free(card->name);
    free(card->stage_column);
    free(card);
}

/* Weights are relative; a bound keeps their sum finite (two weights of
 * 1e308 summed to inf, and health became inf / inf: found by fuzzing). */
#define SCORECARD_MAX_WEIGHT 1e6

/* Largest scorecard file read: far above any hand-written card. */
#define SCORECARD_MAX_BYTES (16u << 20)

/* Every field is checked as it is read; an error names the file, the
 * field's path and its line:col. */
typedef struct {
    json_doc doc;
    vt_err *err;
    dict *names;          /* card->columns by name */
} loading;

static vt_status no_memory(loading *ld)
{
    return vt_err_set(ld->err, VT_ENOMEM, ld->doc.file, 0, 0, "out of memory");
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
    char **grown = (n & (n - 1)) == 0 ? vt_realloc(card->columns, (n ? 2 * n : 1) * sizeof *grown) : card->columns;
    if (grown == NULL)
        return -1;
    card->columns = grown;
    if ((grown[card->n_columns] = vt_strdup(name)) == NULL)
        return -1;
    return (long)card->n_columns++;
}

/* Points: a finite number in 0..100 (fallback when optional and absent). */
static vt_status get_points(loading *ld, const cJSON *object, const char *key, int optional, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (optional && (item == NULL || cJSON_IsNull(item)))
        return VT_OK;
    return json_get_range(&ld->doc, object, key, 0, 100, out, ld->err);
}

/* One of names (NULL-terminated) at object.key; *out its index.  With
 * fallback >= 0 the field may be absent (or null): *out = fallback. */
static vt_status get_choice(loading *ld, const cJSON *object, const char *key, const char *const *names,
                            const char *what, int fallback, int *out)
{
    const char *text = NULL;
    vt_status status = fallback >= 0 ? json_opt_string(&ld->doc, object, key, &text, ld->err)
                                     : json_get_string(&ld->doc, object, key, &text, ld->err);
    if (status != VT_OK || text == NULL) {
        *out = fallback;
        return status;
    }
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return VT_OK;
        }
    return json_expected(&ld->doc, object, key, ld->err, what);
}

static vt_status load_thresholds(loading *ld, const cJSON *item, sc_measure *measure)
{
    const cJSON *points = NULL, *step;
    vt_status status = json_get_array(&ld->doc, item, "points", 1, SIZE_MAX, &points, ld->err);
    if (status != VT_OK)
        return status;
    if ((measure->thresholds = vt_calloc((size_t)cJSON_GetArraySize(points), sizeof(sc_threshold))) == NULL)
        return no_memory(ld);
    cJSON_ArrayForEach(step, points) {
        sc_threshold *t = &measure->thresholds[measure->n_thresholds];
        if (!cJSON_IsObject(step))
            return json_expected(&ld->doc, step, NULL, ld->err, "a threshold: {\"at\": 0.8, \"points\": 100}");
        if ((status = json_get_number(&ld->doc, step, "at", &t->at, ld->err)) != VT_OK ||
            (status = get_points(ld, step, "points", 0, &t->points)) != VT_OK)
            return status;
        if (measure->n_thresholds > 0) {
            double previous = measure->thresholds[measure->n_thresholds - 1].at;
            if (measure->higher_is_better ? !(t->at < previous) : !(t->at > previous))
                return json_fail(&ld->doc, step, "at", ld->err, "thresholds of '%.60s' out of order: %s",
                                 measure->column, measure->higher_is_better ? "with higher better, list them from the highest"
                                                           : "with lower better, list them from the lowest");
        }
        measure->n_thresholds++;
    }
    return VT_OK;
}

static vt_status load_measure(loading *ld, scorecard *card, const cJSON *item, sc_measure *measure)
{
    static const char *const betters[] = {"lower", "higher", NULL}, *const missings[] = {"zero", "exclude", NULL};
    const char *column = NULL;
    vt_status status;
    if (!cJSON_IsObject(item))
        return json_expected(&ld->doc, item, NULL, ld->err, "an object (a measure)");
    if ((status = json_get_string(&ld->doc, item, "column", &column, ld->err)) != VT_OK)
        return status;
    if (column[0] == '\0')
        return json_expected(&ld->doc, item, "column", ld->err, "a column name");
    long index = add_column(ld, card, column);
    if ((measure->column = vt_strdup(column)) == NULL || index < 0)
        return no_memory(ld);
    measure->column_index = (size_t)index;
    const char *better = "\"higher\" or \"lower\"", *missing = "\"zero\" or \"exclude\"";
    if ((status = get_choice(ld, item, "better", betters, better, -1, &measure->higher_is_better)) != VT_OK ||
        (status = get_choice(ld, item, "missing", missings, missing, 0, &measure->missing_excluded)) != VT_OK ||
        (status = json_opt_number(&ld->doc, item, "weight", 1.0, &measure->weight, ld->err)) != VT_OK)
        return status;
    if (!(measure->weight >= 0 && measure->weight <= SCORECARD_MAX_WEIGHT))
        return json_expected(&ld->doc, item, "weight", ld->err, "a number from 0 to 1000000");
    measure->otherwise = 0;
    if ((status = get_points(ld, item, "otherwise", 1, &measure->otherwise)) != VT_OK)
        return status;
    return load_thresholds(ld, item, measure);
}

/* The measures at object.key (at least one, weights not all zero). */
static vt_status load_set(loading *ld, scorecard *card, const cJSON *object, const char *key, sc_measure_set *set)
{
    const cJSON *list = NULL, *item;
    vt_status status = json_get_array(&ld->doc, object, key, 1, SIZE_MAX, &list, ld->err);
    if (status != VT_OK)
        return status;
    if ((set->measures = vt_calloc((size_t)cJSON_GetArraySize(list), sizeof(sc_measure))) == NULL)
        return no_memory(ld);
    double total = 0;
    cJSON_ArrayForEach(item, list) {
        if ((status = load_measure(ld, card, item, &set->measures[set->n_measures++])) != VT_OK)
            return status;
        total += set->measures[set->n_measures - 1].weight;
    }
    if (!(total > 0))
        return json_fail(&ld->doc, object, key, ld->err, "the weights sum to zero");
    return VT_OK;
}

static vt_status load_rule(loading *ld, scorecard *card, const cJSON *item, sc_rule *r)
{
    static const char *const buckets[] = {"red", "yellow", "green", NULL};
    const char *when = NULL;
    vt_status status;
    if (!cJSON_IsObject(item))
        return json_expected(&ld->doc, item, NULL, ld->err, "an object (a rule)");
    if ((status = json_get_string(&ld->doc, item, "when", &when, ld->err)) != VT_OK)
        return status;
    int has_bucket = cJSON_GetObjectItemCaseSensitive(item, "bucket") != NULL;
    if (has_bucket == (cJSON_GetObjectItemCaseSensitive(item, "points") != NULL))
        return json_fail(&ld->doc, item, NULL, ld->err,
                         "a rule needs \"bucket\" (red, yellow, green) or \"points\" (a number to add), not %s",
                         has_bucket ? "both" : "neither");
    r->force_bucket = -1;
    if (has_bucket)
        status = get_choice(ld, item, "bucket", buckets, "\"red\", \"yellow\" or \"green\"", -1, &r->force_bucket);
    else
        status = json_get_number(&ld->doc, item, "points", &r->add_points, ld->err);
    if (status != VT_OK)
        return status;
    char msg[160];
    size_t at = 0;
    if ((r->text = vt_strdup(when)) == NULL)
        return no_memory(ld);
    if (rule_parse(when, &r->condition, &at, msg, sizeof msg) != VT_OK) {
        json_fail(&ld->doc, item, "when", ld->err, "%s at character %zu of \"%.80s\"", msg, at + 1, when);
        if (ld->err != NULL)
            ld->err->code = VT_EPARSE; /* a condition that does not parse, as rule_parse says */
        return VT_EPARSE;
    }
    const char *const *names;
    size_t n_names = rule_columns(r->condition, &names);
    if ((r->column_index = vt_calloc(n_names + 1, sizeof(size_t))) == NULL)
        return no_memory(ld);
    for (size_t c = 0; c < n_names; c++) {
        long index = add_column(ld, card, names[c]);
        if (index < 0)
            return no_memory(ld);
        r->column_index[c] = (size_t)index;
    }
    return VT_OK;
}

static vt_status load_rules(loading *ld, scorecard *card, const cJSON *root)
{
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules"), *item;
    if (rules == NULL || cJSON_IsNull(rules))
        return VT_OK;
    vt_status status = json_get_array(&ld->doc, root, "rules", 0, SCORECARD_MAX_RULES, &rules, ld->err);
    if (status != VT_OK)
        return status;
    if ((card->rules = vt_calloc((size_t)cJSON_GetArraySize(rules), sizeof(sc_rule))) == NULL)
        return no_memory(ld);
    cJSON_ArrayForEach(item, rules) {
        if ((status = load_rule(ld, card, item, &card->rules[card->n_rules++])) != VT_OK)
            return status;
    }
    return VT_OK;
}

static vt_status load_stages(loading *ld, scorecard *card, const cJSON *root)
{
    const cJSON *stages = NULL, *levels = NULL, *level;
    char *column = NULL;
    vt_status status;
    if ((status = json_opt_object(&ld->doc, root, "stages", &stages, ld->err)) != VT_OK || stages == NULL)
        return status;
    if ((status = json_copy_string(&ld->doc, stages, "column", &column, ld->err)) != VT_OK ||
        (status = json_get_object(&ld->doc, stages, "levels", &levels, ld->err)) != VT_OK) {
        free(column);
        return status;
    }
    card->stage_column = column;
    if (column[0] == '\0')
        return json_expected(&ld->doc, stages, "column", ld->err, "a column name");
    if (add_column(ld, card, column) < 0)
        return no_memory(ld);
    cJSON_ArrayForEach(level, levels) {
        for (size_t s = 1; s < card->n_sets; s++)
            if (strcmp(card->sets[s].level, level->string) == 0)
                return json_fail(&ld->doc, level, NULL, ld->err, "stage \"%.60s\" appears twice", level->string);
        sc_measure_set *set = &card->sets[card->n_sets++];
        if ((set->level = vt_strdup(level->string)) == NULL)
            return no_memory(ld);
        if ((status = load_set(ld, card, levels, level->string, set)) != VT_OK)
            return status;
    }
    return VT_OK;
}

static vt_status load_bands(loading *ld, const cJSON *root, scorecard *card)
{
    const cJSON *bands = NULL;
    vt_status status;
    card->red_below = 40;
    card->yellow_below = 70;
    if ((status = json_opt_object(&ld->doc, root, "bands", &bands, ld->err)) != VT_OK || bands == NULL)
        return status;
    if ((status = json_opt_number(&ld->doc, bands, "red_below", 40, &card->red_below, ld->err)) != VT_OK ||
        (status = json_opt_number(&ld->doc, bands, "yellow_below", 70, &card->yellow_below, ld->err)) != VT_OK)
        return status;
    if (!(card->red_below > 0 && card->yellow_below > card->red_below && card->yellow_below <= 100))
        return json_fail(&ld->doc, root, "bands", ld->err, "need 0 < red_below < yellow_below <= 100");
    return VT_OK;
}

/* A column is read either as numbers (measures, comparisons with a number)
 * or as text (=, != or IN with text): a cell holding text is not a number,
 * and a number compared as text would match '5' but not '5.0'.  Refused at
 * load rather than at the first row that shows it. */
static vt_status check_column_kinds(loading *ld, scorecard *card, const cJSON *rules)
{
    unsigned char *kinds = vt_calloc(card->n_columns + 1, 1);
    long *first = vt_calloc(card->n_columns + 1, sizeof(long)); /* -1: a measure; r: rules[r] */
    if (kinds == NULL || first == NULL || (card->is_text = vt_calloc(card->n_columns + 1, 1)) == NULL) {
        free(kinds);
        free(first);
        return no_memory(ld);
    }
    for (size_t set = 0; set < card->n_sets; set++)
        for (size_t m = 0; m < card->sets[set].n_measures; m++) {
            kinds[card->sets[set].measures[m].column_index] = RULE_NUMBER;
            first[card->sets[set].measures[m].column_index] = -1;
        }
    vt_status status = VT_OK;
    for (size_t r = 0; status == VT_OK && r < card->n_rules; r++) {
        const char *const *names;
        size_t n_names = rule_columns(card->rules[r].condition, &names);
        for (size_t i = 0; status == VT_OK && i < n_names; i++) {
            size_t at = 0, c = card->rules[r].column_index[i];
            int kind = rule_column_kind(card->rules[r].condition, i, &at);
            if (kinds[c] == 0) {
                kinds[c] = (unsigned char)kind;
                first[c] = (long)r;
            } else if (kinds[c] != kind) {
                char name[VT_QUOTE_SIZE], where[32];
                if (first[c] < 0)
                    snprintf(where, sizeof where, "a measure");
                else
                    snprintf(where, sizeof where, "rules[%ld]", first[c]);
                status = json_fail(&ld->doc, cJSON_GetArrayItem(rules, (int)r), "when", ld->err,
                                   "column '%s' is compared with %s at character %zu but read as %s by %s; a column "
                                   "is read as numbers or as text, not both",
                                   vt_quote(name, sizeof name, names[i], strlen(names[i])),
                                   kind == RULE_TEXT ? "text" : "a number", at + 1,
                                   kind == RULE_TEXT ? "a number" : "text", where);
                if (ld->err != NULL)
                    ld->err->code = VT_EPARSE; /* as a rule that does not parse */
                status = VT_EPARSE;
            }
        }
    }
    for (size_t c = 0; c < card->n_columns; c++)
        card->is_text[c] = kinds[c] == RULE_TEXT;
    free(kinds);
    free(first);
    return status;
}

static vt_status load_card(loading *ld, const cJSON *root, scorecard *card)
{
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format"), *levels = NULL;
    if (!cJSON_IsString(format) || strcmp(format->valuestring, "vitals-scorecard") != 0)
        return vt_err_set(ld->err, VT_EFORMAT, ld->doc.file, 0, 0,
                          "not a vitals scorecard (no \"format\": \"vitals-scorecard\")");
    double version = 0;
    long long whole = 0;
    const char *name = NULL;
    vt_status status = json_get_number(&ld->doc, root, "format_version", &version, ld->err);
    if (status == VT_OK && version > SCORECARD_FORMAT_VERSION)
        return vt_err_set(ld->err, VT_EFORMAT, ld->doc.file, 0, 0,
                          "scorecard format version %g is newer than this vitals reads (%d); upgrade vitals", version,
                          SCORECARD_FORMAT_VERSION);
    if (status != VT_OK ||
        (status = json_get_integer(&ld->doc, root, "format_version", 1, SCORECARD_FORMAT_VERSION, &whole, ld->err)) !=
            VT_OK ||
        (status = json_opt_string(&ld->doc, root, "name", &name, ld->err)) != VT_OK ||
        (status = load_bands(ld, root, card)) != VT_OK)
        return status;
    if ((card->name = vt_strdup(name ? name : "scorecard")) == NULL)
        return no_memory(ld);
    /* Sets: the default, then one a stage level (load_stages checks the types). */
    const cJSON *stages = cJSON_GetObjectItemCaseSensitive(root, "stages");
    levels = cJSON_GetObjectItemCaseSensitive(stages, "levels");
    size_t n_sets = 1 + (size_t)(cJSON_IsObject(stages) && cJSON_IsObject(levels) ? cJSON_GetArraySize(levels) : 0);
    if ((card->sets = vt_calloc(n_sets, sizeof(sc_measure_set))) == NULL)
        return no_memory(ld);
    card->n_sets = 1;
    if ((status = load_set(ld, card, root, "measures", &card->sets[0])) != VT_OK ||
        (status = load_stages(ld, card, root)) != VT_OK || (status = load_rules(ld, card, root)) != VT_OK)
        return status;
    if ((card->is_measure = vt_calloc(card->n_columns + 1, 1)) == NULL)
        return no_memory(ld);
    for (size_t set = 0; set < card->n_sets; set++)
        for (size_t m = 0; m < card->sets[set].n_measures; m++)
            card->is_measure[card->sets[set].measures[m].column_index] = 1;
    return check_column_kinds(ld, card, cJSON_GetObjectItemCaseSensitive(root, "rules"));
}

vt_status scorecard_load(const char *path, scorecard **out, vt_err *err)
{
    loading ld = {{0}, err, NULL};
    scorecard *card = NULL;
    *out = NULL;
    vt_status status = json_doc_read(path, SCORECARD_MAX_BYTES, "scorecard", &ld.doc, err);
    if (status == VT_OK && ((card = vt_calloc(1, sizeof *card)) == NULL || (ld.names = dict_new()) == NULL))
        status = no_memory(&ld);
    if (status == VT_OK)
        status = load_card(&ld, ld.doc.root, card);
    dict_free(ld.names);
    json_doc_free(&ld.doc);
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

long scorecard_binding_field(const scorecard_binding *binding, size_t column)
{
    return binding->field[column];
}

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
    scorecard_binding *binding = vt_calloc(1, sizeof *binding);
    if (binding == NULL || (binding->field = vt_calloc(card->n_columns, sizeof(long))) == NULL) {
        free(binding);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    binding->stage_field = -1;
    dict *names = dict_of_names(header, n_columns, NULL); /* a header's names are distinct */
    if (names == NULL) {
        scorecard_binding_free(binding);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    size_t n_lacking = 0;
    for (size_t c = 0; c < card->n_columns; c++) {
        binding->field[c] = dict_find(names, card->columns[c], strlen(card->columns[c]));
        if (binding->field[c] < 0) { /* every column lacking is named, the first as the error */
            char shown[VT_QUOTE_SIZE];
            vt_quote(shown, sizeof shown, card->columns[c], strlen(card->columns[c]));
            if (n_lacking++ == 0)
                vt_err_set(err, VT_EDATA, path, 1, 0, "the scorecard uses column '%s', which the header lacks", shown);
            else
                vt_err_more(err, "the scorecard also uses column '%s', which the header lacks", shown);
            continue;
        }
        if (card->stage_column && strcmp(card->columns[c], card->stage_column) == 0)
            binding->stage_field = binding->field[c];
    }
    dict_free(names);
    if (n_lacking > 0) {
        scorecard_binding_free(binding);
        return VT_EDATA;
    }
    *out = binding;
    return VT_OK;
}

double scorecard_measure_points(const sc_measure *measure, double value)
{
    for (size_t t = 0; t < measure->n_thresholds; t++) {
        const sc_threshold *step = &measure->thresholds[t];
        if (measure->higher_is_better ? value >= step->at : value <= step->at)
            return step->points;
    }
    return measure->otherwise;
}

size_t scorecard_row_set(const scorecard *card, const scorecard_binding *binding, const csv_row *row)
{
    for (size_t s = 1; binding->stage_field >= 0 && s < card->n_sets; s++)
        if (strcmp(card->sets[s].level, row->fields[binding->stage_field]) == 0)
            return s;
    return 0;
}

/* The fired rules, in order, on result->health; then the bucket: the first
 * forcing rule's, else the health's band. */
static void apply_rules(const scorecard *card, sc_result *result)
{
    int forced = -1;
    for (size_t r = 0; r < card->n_rules; r++) {
        if (!(result->fired >> r & 1))
            continue;
        if (card->rules[r].force_bucket >= 0 && forced < 0)
            forced = card->rules[r].force_bucket;
        result->health = fmin(100, fmax(0, result->health + card->rules[r].add_points));
    }
    result->level = forced >= 0 ? (bucket)forced
                                : score_bucket((int)lround(result->health), card->red_below, card->yellow_below);
}

vt_status scorecard_row(const scorecard *card, const scorecard_binding *binding, const csv_row *row,
                        const char *path, sc_result *result, vt_err *err)
{
    enum { MAX_VALUES = 256 };
    rule_value local[MAX_VALUES],
        *values = card->n_columns <= MAX_VALUES ? local : vt_malloc(card->n_columns * sizeof(rule_value));
    if (values == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    vt_status status = VT_OK;
    for (size_t c = 0; c < card->n_columns && status == VT_OK; c++) {
        long field = binding->field[c];
        values[c] = (rule_value){NAN, NULL, 0};
        result->points[c] = NAN;
        if (table_is_missing(row->fields[field], row->lengths[field], NULL, 0))
            continue;
        values[c].text = row->fields[field];
        values[c].length = row->lengths[field];
        if (field == binding->stage_field || card->is_text[c])
            continue;
        num_result parsed = num_parse(row->fields[field], row->lengths[field], &values[c].number);
        char name[VT_QUOTE_SIZE], cell[VT_QUOTE_SIZE];
        if (parsed != NUM_OK)
            status = vt_err_set(err, VT_EDATA, path, row->line, field + 1, "column '%s': '%s' is %s",
                                vt_quote(name, sizeof name, card->columns[c], strlen(card->columns[c])),
                                vt_quote(cell, sizeof cell, row->fields[field], row->lengths[field]),
                                num_result_text(parsed));
    }
    const sc_measure_set *set = &card->sets[status == VT_OK ? scorecard_row_set(card, binding, row) : 0];
    double weighted = 0, weights = 0;
    for (size_t m = 0; status == VT_OK && m < set->n_measures; m++) {
        const sc_measure *measure = &set->measures[m];
        size_t c = measure->column_index;
        double value = values[c].number;
        if (isnan(value) && measure->missing_excluded)
            continue;
        double points = isnan(value) ? 0.0 : scorecard_measure_points(measure, value);
        result->points[c] = points;
        weighted += measure->weight * points;
        weights += measure->weight;
    }
    result->health = weights > 0 ? weighted / weights : 0.0;
    result->fired = 0;
    for (size_t r = 0; status == VT_OK && r < card->n_rules; r++) {
        const sc_rule *rule_item = &card->rules[r];
        const char *const *names;
        size_t n_names = rule_columns(rule_item->condition, &names);
        rule_value rule_values[64], *picked = n_names <= 64 ? rule_values : vt_malloc(n_names * sizeof(rule_value));
        if (picked == NULL) {
            status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
            break;
        }
        for (size_t i = 0; i < n_names; i++)
            picked[i] = values[rule_item->column_index[i]];
        if (rule_eval(rule_item->condition, picked))
            result->fired |= 1ULL << r;
        if (picked != rule_values)
            free(picked);
    }
    apply_rules(card, result);
    if (values != local)
        free(values);
    return status;
}

void scorecard_settle(const scorecard *card, size_t set, const double *points, unsigned long long fired,
                      sc_result *result)
{
    const sc_measure_set *measures = &card->sets[set];
    double weighted = 0, weights = 0;
    for (size_t m = 0; m < measures->n_measures; m++) {
        double value = points[measures->measures[m].column_index];
        if (isnan(value))
            continue; /* a missing value the measure leaves out */
        weighted += measures->measures[m].weight * value;
        weights += measures->measures[m].weight;
    }
    result->health = weights > 0 ? weighted / weights : 0.0;
    result->fired = fired;
    apply_rules(card, result);
}

int scorecard_set_columns_distinct(const scorecard *card, size_t *set, size_t *measure)
{
    for (size_t s = 0; s < card->n_sets; s++)
        for (size_t m = 1; m < card->sets[s].n_measures; m++)
            for (size_t k = 0; k < m; k++)
                if (card->sets[s].measures[k].column_index == card->sets[s].measures[m].column_index) {
                    *set = s;
                    *measure = m;
                    return 0;
                }
    return 1;
}

/* ---------------------------------------------------------------- writing */

static cJSON *measures_json(const sc_measure_set *set)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t m = 0; list && m < set->n_measures; m++) {
        const sc_measure *measure = &set->measures[m];
        cJSON *item = json_append_object(list), *steps;
        cJSON_AddStringToObject(item, "column", measure->column);
        cJSON_AddStringToObject(item, "better", measure->higher_is_better ? "higher" : "lower");
        steps = cJSON_AddArrayToObject(item, "points");
        for (size_t t = 0; t < measure->n_thresholds; t++) {
            cJSON *step = json_append_object(steps);
            json_add_exact(step, "at", measure->thresholds[t].at);
            json_add_exact(step, "points", measure->thresholds[t].points);
        }
        json_add_exact(item, "otherwise", measure->otherwise);
        json_add_exact(item, "weight", measure->weight);
        if (measure->missing_excluded)
            cJSON_AddStringToObject(item, "missing", "exclude");
    }
    return list;
}

cJSON *scorecard_to_json(const scorecard *card, cJSON *provenance)
{
    static const char *const buckets[] = {"red", "yellow", "green"};
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        cJSON_Delete(provenance);
        return NULL;
    }
    cJSON_AddStringToObject(root, "format", "vitals-scorecard");
    cJSON_AddNumberToObject(root, "format_version", SCORECARD_FORMAT_VERSION);
    cJSON_AddStringToObject(root, "name", card->name);
    cJSON *bands = cJSON_AddObjectToObject(root, "bands");
    json_add_exact(bands, "red_below", card->red_below);
    json_add_exact(bands, "yellow_below", card->yellow_below);
    json_attach(root, "measures", measures_json(&card->sets[0]));
    if (card->stage_column) {
        cJSON *stages = cJSON_AddObjectToObject(root, "stages");
        cJSON_AddStringToObject(stages, "column", card->stage_column);
        cJSON *levels = cJSON_AddObjectToObject(stages, "levels");
        for (size_t s = 1; s < card->n_sets; s++)
            json_attach(levels, card->sets[s].level, measures_json(&card->sets[s]));
    }
    if (card->n_rules > 0) {
        cJSON *rules = cJSON_AddArrayToObject(root, "rules");
        for (size_t r = 0; r < card->n_rules; r++) {
            cJSON *item = json_append_object(rules);
            cJSON_AddStringToObject(item, "when", card->rules[r].text);
            if (card->rules[r].force_bucket >= 0)
                cJSON_AddStringToObject(item, "bucket", buckets[card->rules[r].force_bucket]);
            else
                json_add_exact(item, "points", card->rules[r].add_points);
        }
    }
    if (provenance)
        json_attach(root, "provenance", provenance);
    return root;
}
