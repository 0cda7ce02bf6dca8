#include "smooth_terms.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void smooth_requests_free(smooth_requests *requests)
{
    for (size_t i = 0; requests->items && i < requests->n; i++)
        free(requests->items[i].column);
    free(requests->items);
    memset(requests, 0, sizeof *requests);
}

static smooth_request *find_request(smooth_requests *requests, const char *column, size_t len)
{
    for (size_t i = 0; i < requests->n; i++)
        if (strlen(requests->items[i].column) == len && memcmp(requests->items[i].column, column, len) == 0)
            return &requests->items[i];
    return NULL;
}

static smooth_request *add_request(smooth_requests *requests, const char *column, size_t len)
{
    smooth_request *grown = vt_realloc(requests->items, (requests->n + 1) * sizeof *grown);
    if (grown == NULL)
        return NULL;
    requests->items = grown;
    smooth_request *item = &grown[requests->n];
    memset(item, 0, sizeof *item);
    if ((item->column = vt_strndup(column, len)) == NULL)
        return NULL;
    requests->n++;
    return item;
}

/* text[0 .. len) as an error may echo it (vt_quote: escaped, cut). */
#define QUOTED(buffer, text, len) vt_quote(buffer, sizeof buffer, text, len)

/* "auto" and "COL[:K]" items of --smooth; the column ends at the last ':'
 * followed by digits. */
static vt_status parse_smooth(const char *text, smooth_requests *out, vt_err *err)
{
    char q[VT_QUOTE_SIZE];
    if (*text == '\0')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: no column named (auto, or COL[:K],...)");
    for (const char *item = text; *item;) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item), name_len = len;
        if (len == 4 && memcmp(item, "auto", 4) == 0) { /* every numeric feature; named ones keep their K */
            out->automatic = 1;
            item += len + (end != NULL);
            continue;
        }
        long k = 0;
        const char *colon = memrchr(item, ':', len);
        if (colon && colon + 1 < item + len) {
            char digits[16] = {0};
            size_t n_digits = (size_t)(item + len - colon - 1);
            int all_digits = n_digits < sizeof digits;
            for (size_t i = 0; all_digits && i < n_digits; i++)
                all_digits = colon[1 + i] >= '0' && colon[1 + i] <= '9';
            if (!all_digits)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: '%s': K must be a whole number", QUOTED(q, item, len));
            memcpy(digits, colon + 1, n_digits);
            k = strtol(digits, NULL, 10);
            name_len = (size_t)(colon - item);
            if (k < SMOOTH_MIN_K || k > SMOOTH_MAX_K)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: '%s': K must be %d to %d (basis size)", QUOTED(q, item, len), SMOOTH_MIN_K, SMOOTH_MAX_K);
        }
        if (name_len == 0)
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: an empty column name in '%s'",
                              QUOTED(q, text, strlen(text)));
        if (find_request(out, item, name_len))
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: column '%s' is named twice", QUOTED(q, item, name_len));
        smooth_request *request = add_request(out, item, name_len);
        if (request == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        request->k = (size_t)k;
        item += len + (end != NULL);
        if (end && *item == '\0')
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: a trailing comma in '%s'",
                              QUOTED(q, text, strlen(text)));
    }
    return VT_OK;
}

/* "COL=VALUE" items of --sp. */
static vt_status parse_sp(const char *text, smooth_requests *out, vt_err *err)
{
    char q[VT_QUOTE_SIZE];
    if (*text == '\0')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--sp: no COL=VALUE given");
    for (const char *item = text; *item;) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item);
        const char *equals = memrchr(item, '=', len);
        char number[64] = {0};
        size_t n_number = equals ? (size_t)(item + len - equals - 1) : 0;
        if (equals == NULL || equals == item || n_number == 0 || n_number >= sizeof number)
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--sp: '%s' is not COL=VALUE", QUOTED(q, item, len));
        memcpy(number, equals + 1, n_number);
        char *stop = NULL;
        double value = strtod(number, &stop);
        if (*stop != '\0' || !(value > 0) || !isfinite(value))
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--sp: '%s': the value must be a number above 0", QUOTED(q, item, len));
        size_t name_len = (size_t)(equals - item);
        smooth_request *request = find_request(out, item, name_len);
        if (request == NULL && !out->automatic)
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--sp: column '%s' is not in --smooth", QUOTED(q, item, name_len));
        if (request == NULL && (request = add_request(out, item, name_len)) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        if (request->sp > 0)
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--sp: column '%s' is named twice", QUOTED(q, item, name_len));
        request->sp = value;
        item += len + (end != NULL);
    }
    return VT_OK;
}

vt_status smooth_requests_parse(const char *smooth, const char *sp, smooth_requests *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    vt_status status = VT_OK;
    if (sp && !smooth)
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--sp fixes the smoothing parameters of --smooth columns: "
                                                        "give --smooth too");
    if (status == VT_OK && smooth)
        status = parse_smooth(smooth, out, err);
    if (status == VT_OK && sp)
        status = parse_sp(sp, out, err);
    if (status != VT_OK)
        smooth_requests_free(out);
    return status;
}

static long feature_named(const encoding *enc, const char *name)
{
    for (size_t f = 0; f < enc->n_features; f++)
        if (strcmp(enc->features[f].name, name) == 0)
            return (long)f;
    return -1;
}

vt_status smooth_terms_not_a_feature(const char *option, const char *column, const table_role *roles, size_t n_roles,
                                     const table *data, vt_err *err)
{
    char name[VT_QUOTE_SIZE];
    vt_quote(name, sizeof name, column, strlen(column));
    for (size_t r = 0; r < n_roles; r++)
        if (strcmp(roles[r].name, column) == 0)
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: column '%s' is the %s column, not a feature", option,
                              name, roles[r].option);
    if (table_find((table *)data, column))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: column '%s' is text, not a feature", option, name);
    return vt_err_set(err, VT_EUSAGE, data->path, 0, 0, "%s: no column '%s' in the data", option, name);
}

size_t smooth_terms_distinct(const table_column *column, const table *data, const unsigned char *row_used, size_t stop)
{
    double seen[SMOOTH_MAX_K + 1];
    size_t n = 0;
    for (size_t r = 0; r < data->n_rows && n < stop; r++) {
        if (!row_used[r])
            continue;
        if (isnan(column->values[r]))
            continue; /* the imputation value is no value of the column's own */
        double v = column->values[r];
        size_t i = 0;
        while (i < n && seen[i] != v)
            i++;
        if (i == n)
            seen[n++] = v;
    }
    return n;
}

vt_status smooth_terms_apply(const smooth_requests *requests, const table_role *roles, size_t n_roles,
                             encoding *enc, const table *data, const unsigned char *row_used, char **note, vt_err *err)
{
    *note = NULL;
    text linear = {0};
    char q[VT_QUOTE_SIZE];
    vt_status status = VT_OK;
    for (size_t i = 0; status == VT_OK && i < requests->n; i++) { /* every name checked before any work */
        long f = feature_named(enc, requests->items[i].column);
        if (f < 0)
            status = smooth_terms_not_a_feature("--smooth", requests->items[i].column, roles, n_roles, data, err);
        else if (enc->features[f].type != TYPE_NUMERIC)
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: column '%s' is categorical; a smooth needs numbers",
                                QUOTED(q, enc->features[f].name, strlen(enc->features[f].name)));
    }
    for (size_t f = 0; status == VT_OK && f < enc->n_features; f++) {
        enc_feature *feature = &enc->features[f];
        const smooth_request *request = NULL;
        for (size_t i = 0; i < requests->n; i++)
            if (strcmp(requests->items[i].column, feature->name) == 0)
                request = &requests->items[i];
        int named = request && (!requests->automatic || request->k > 0);
        if (feature->type != TYPE_NUMERIC || (!requests->automatic && request == NULL))
            continue;
        const table_column *column = table_find((table *)data, feature->name);
        size_t k = request && request->k ? request->k : SMOOTH_DEFAULT_K;
        size_t distinct = smooth_terms_distinct(column, data, row_used, k > 4 ? k : 4);
        if (distinct < 2 && named) {
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth: column '%s' has a single value",
                                QUOTED(q, feature->name, strlen(feature->name)));
            break;
        }
        if (distinct < 4) {
            text_printf(&linear, "%s%s (%zu distinct values)", linear.len ? ", " : "",
                        QUOTED(q, feature->name, strlen(feature->name)), distinct);
            if (request && request->sp > 0) {
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--sp: column '%s' stays linear (%zu distinct values)",
                                    QUOTED(q, feature->name, strlen(feature->name)), distinct);
                break;
            }
            continue;
        }
        if (distinct < k)
            k = distinct;
        status = encoding_make_smooth(enc, f, k, data, (size_t)(column - data->columns), row_used, err);
    }
    if (status == VT_OK && linear.len)
        *note = text_finish(&linear);
    else
        text_free(&linear);
    return status;
}

vt_status smooth_terms_penalties(const smooth_requests *requests, const encoding *enc, gam_smooth **out,
                                 size_t *n_out, vt_err *err)
{
    *out = NULL;
    *n_out = 0;
    size_t n = encoding_smooth_blocks(enc, NULL);
    enc_smooth_block *blocks = vt_calloc(n ? n : 1, sizeof *blocks);
    gam_smooth *smooths = vt_calloc(n ? n : 1, sizeof *smooths);
    vt_status status = VT_OK;
    if (blocks == NULL || smooths == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    else
        encoding_smooth_blocks(enc, blocks);
    for (size_t i = 0; status == VT_OK && i < n; i++) {
        const enc_smooth_block *block = &blocks[i];
        gam_smooth *sm = &smooths[i];
        sm->first = block->first_term;
        sm->n = block->n_terms;
        if (block->tensor) { /* ti(): one of its two penalties, chosen by REML (no --sp form for a pair) */
            sm->penalty = block->tensor->penalty[block->penalty];
            sm->rank = tensor_penalty_rank(block->tensor, block->penalty);
            continue;
        }
        sm->penalty = block->spec->penalty;
        sm->rank = block->spec->k - 2;
        for (size_t r = 0; r < requests->n; r++) /* --sp: every level's curve of a by pair */
            if (strcmp(requests->items[r].column, enc->features[block->feature].name) == 0)
                sm->sp = requests->items[r].sp;
        status = smooth_penalty_log_pdet(block->spec, &sm->log_pdet, err);
    }
    free(blocks);
    if (status != VT_OK) {
        free(smooths);
        return status;
    }
    *out = smooths;
    *n_out = n;
    return VT_OK;
}
