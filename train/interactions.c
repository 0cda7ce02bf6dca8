#include "interactions.h"

#include <stdlib.h>
#include <string.h>

#include "smooth_terms.h"

void interaction_requests_free(interaction_requests *requests)
{
    for (size_t i = 0; requests->items && i < requests->n; i++)
        free(requests->items[i]);
    free(requests->items);
    memset(requests, 0, sizeof *requests);
}

/* "auto" or "auto:N": 1 and *count set; 0 for any other item. */
static int parse_auto(const char *item, size_t len, size_t *count, vt_err *err, vt_status *status)
{
    if (len < 4 || memcmp(item, "auto", 4) != 0 || (len > 4 && item[4] != ':'))
        return 0;
    *count = INTERACT_AUTO_DEFAULT;
    *status = VT_OK;
    if (len == 4)
        return 1;
    char digits[8] = {0}, q[VT_QUOTE_SIZE];
    size_t n_digits = len - 5;
    int ok = n_digits > 0 && n_digits < sizeof digits;
    for (size_t i = 0; ok && i < n_digits; i++)
        ok = item[5 + i] >= '0' && item[5 + i] <= '9';
    if (ok) {
        memcpy(digits, item + 5, n_digits);
        *count = (size_t)strtoul(digits, NULL, 10);
    }
    if (!ok || *count < 1 || *count > INTERACT_AUTO_MAX)
        *status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: '%s': N must be a whole number from 1 to %d",
                             vt_quote(q, sizeof q, item, len), INTERACT_AUTO_MAX);
    return 1;
}

vt_status interaction_requests_parse(const char *text, interaction_requests *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return VT_OK;
    char q[VT_QUOTE_SIZE];
    vt_status status = VT_OK;
    if (*text == '\0')
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: no pair named (A:B,... or auto[:N])");
    for (const char *item = text; status == VT_OK && *item;) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item), count;
        if (parse_auto(item, len, &count, err, &status)) {
            if (status == VT_OK && out->n_auto)
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: auto is given twice");
            out->n_auto = count;
        } else if (memchr(item, ':', len) == NULL) {
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: '%s' is not A:B (two columns joined by ':')",
                                vt_quote(q, sizeof q, item, len));
        } else {
            char **grown = vt_realloc(out->items, (out->n + 1) * sizeof *grown);
            if (grown == NULL || (grown[out->n] = vt_strndup(item, len)) == NULL) {
                if (grown)
                    out->items = grown;
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            out->items = grown;
            out->n++;
        }
        item += len + (end != NULL);
        if (status == VT_OK && end && *item == '\0')
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: a trailing comma in '%s'",
                                vt_quote(q, sizeof q, text, strlen(text)));
    }
    if (status != VT_OK)
        interaction_requests_free(out);
    return status;
}

static long feature_named(const encoding *enc, const char *name, size_t len)
{
    for (size_t f = 0; f < enc->n_features; f++)
        if (strlen(enc->features[f].name) == len && memcmp(enc->features[f].name, name, len) == 0)
            return (long)f;
    return -1;
}

/* The two features of "A:B": the split at the one ':' with a feature on
 * each side. */
static vt_status split_pair(const char *item, const table_role *roles, size_t n_roles, const table *layout,
                            const encoding *enc, size_t *a, size_t *b, vt_err *err)
{
    size_t len = strlen(item), n_splits = 0;
    const char *first_colon = strchr(item, ':');
    for (const char *colon = first_colon; colon; colon = strchr(colon + 1, ':')) {
        long left = feature_named(enc, item, (size_t)(colon - item));
        long right = feature_named(enc, colon + 1, len - (size_t)(colon - item) - 1);
        if (left >= 0 && right >= 0) {
            *a = (size_t)left;
            *b = (size_t)right;
            n_splits++;
        }
    }
    char q[VT_QUOTE_SIZE];
    if (n_splits > 1)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--interact: '%s' splits into two features at more than one ':' (rename a column)",
                          vt_quote(q, sizeof q, item, len));
    if (n_splits == 1)
        return VT_OK;
    /* Name the side that is no feature, reading the first ':' as the split. */
    size_t left_len = (size_t)(first_colon - item);
    char *side = feature_named(enc, item, left_len) < 0 ? vt_strndup(item, left_len) : vt_strdup(first_colon + 1);
    if (side == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    vt_status status = smooth_terms_not_a_feature("--interact", side, roles, n_roles, layout, err);
    free(side);
    return status;
}

vt_status interactions_apply(const interaction_requests *requests, const table_role *roles, size_t n_roles,
                             const table *layout, encoding *enc, vt_err *err)
{
    for (size_t i = 0; i < requests->n; i++) {
        size_t a = 0, b = 0;
        vt_status status = split_pair(requests->items[i], roles, n_roles, layout, enc, &a, &b, err);
        vt_err why = {0};
        if (status == VT_OK && (status = encoding_add_pair(enc, a, b, &why)) != VT_OK)
            vt_err_set(err, status, NULL, 0, 0, "--interact: %s", why.msg);
        if (status != VT_OK)
            return status;
    }
    return VT_OK;
}
