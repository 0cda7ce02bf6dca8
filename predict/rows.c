#include "rows.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "numformat.h"

static void put_str(buf *b, const char *text) { buf_put(b, text, strlen(text)); }
static void put_double(buf *b, double value) { b->len += num_format(value, b->data + b->len); }

static void put_int(buf *b, long value)
{
    if (value < 0) {
        buf_put_char(b, '-');
        value = -value;
    }
    b->len += num_format_uint((unsigned long long)value, b->data + b->len);
}

/* ------------------------------------------------------------ model rows */

void rows_layout_finish(row_layout *layout)
{
    const encoding *enc = layout->m->enc;
    layout->health = model_has_health(layout->m);
    size_t longest = 0;
    const model *m = layout->m;
    for (size_t s = 0; s <= m->n_segments + 1; s++) /* a collinear group's driver is named by all its columns */
        for (size_t k = 0; k < m->n_targets; k++)
            for (size_t e = 0; e < encoding_n_effects(enc); e++) {
                const model_drivers *drivers = s <= m->n_segments ? &model_scoring_target(m, s, k)->drivers
                                                                  : &m->moved_drivers;
                size_t length = strlen(model_driver_name(drivers, enc, e));
                longest = length > longest ? length : longest;
            }
    if (layout->m->by_column && strlen(layout->m->by_column) > longest)
        longest = strlen(layout->m->by_column);
    size_t one_driver = BUF_JSON_BOUND(longest) + NUM_FORMAT_MAX + 32;
    layout->bound_fixed = 128 + layout->m->n_targets * (NUM_FORMAT_MAX + 64 + layout->explain * one_driver) +
                          (layout->explain_change ? 64 + layout->explain_change * one_driver : 0);
}

size_t rows_model_bound(const row_layout *layout, size_t id_len)
{
    return layout->bound_fixed + BUF_JSON_BOUND(id_len); /* JSON escaping is the larger */
}

/* ---------------------------------------------------------- the columns */

static void add_column(row_columns *columns, column_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_column(row_columns *columns, column_kind kind, const char *fmt, ...)
{
    if (columns->failed)
        return;
    text name = {0};
    va_list args;
    va_start(args, fmt);
    text_vprintf(&name, fmt, args);
    va_end(args);
    char *done = text_finish(&name);
    void **arrays[] = {(void **)&columns->names, (void **)&columns->kinds};
    size_t sizes[] = {sizeof(char *), sizeof(column_kind)};
    if (done == NULL || vt_grow_columns(arrays, sizes, 2, &columns->cap, columns->n + 1) != 0) {
        free(done);
        columns->failed = 1;
        return;
    }
    columns->names[columns->n] = done;
    columns->kinds[columns->n++] = kind;
}

/* The columns built, and the id's name (first) taken by no other: a model
 * from before train refused such an --id, a scorecard's --id. */
static vt_status columns_done(row_columns *columns, vt_err *err)
{
    if (columns->failed) {
        rows_columns_free(columns);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 1; i < columns->n; i++)
        if (strcmp(columns->names[0], columns->names[i]) == 0) {
            char name[VT_QUOTE_SIZE];
            vt_quote(name, sizeof name, columns->names[0], strlen(columns->names[0]));
            rows_columns_free(columns);
            return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                              "the id column '%s' has the name of an output column: rename it in the data and "
                              "train again (or score with another --id)", name);
        }
    return VT_OK;
}

vt_status rows_model_columns(const row_layout *layout, row_columns *columns, vt_err *err)
{
    const model *m = layout->m;
    *columns = (row_columns){0};
    add_column(columns, COLUMN_TEXT, "%s", m->id_column ? m->id_column : "line");
    for (size_t k = 0; k < m->n_targets; k++)
        add_column(columns, COLUMN_DOUBLE, "%s", layout->health && k == layout->churn ? "churn_risk" : "expansion");
    if (layout->health) {
        add_column(columns, COLUMN_INTEGER, "health");
        add_column(columns, COLUMN_TEXT, "bucket");
    }
    for (size_t k = 0; k < m->n_targets; k++)
        for (size_t i = 1; i <= layout->explain; i++) {
            add_column(columns, COLUMN_TEXT, "%s_driver_%zu", m->targets[k].name, i);
            add_column(columns, COLUMN_DOUBLE, "%s_driver_%zu_effect", m->targets[k].name, i);
        }
    if (layout->trend_columns) {
        add_column(columns, COLUMN_TEXT, "previous_bucket");
        add_column(columns, COLUMN_INTEGER, "health_change");
    }
    if (layout->trend_columns || layout->alert_column)
        add_column(columns, COLUMN_INTEGER, "alert");
    if (layout->explain_change)
        add_column(columns, COLUMN_INTEGER, "health_then");
    for (size_t i = 1; i <= layout->explain_change; i++) {
        add_column(columns, COLUMN_TEXT, "change_%zu", i);
        add_column(columns, COLUMN_DOUBLE, "change_%zu_log_odds", i);
    }
    return columns_done(columns, err);
}

vt_status rows_card_columns(const scorecard *card, const char *id_column, row_columns *columns, vt_err *err)
{
    *columns = (row_columns){0};
    add_column(columns, COLUMN_TEXT, "%s", id_column ? id_column : "line");
    add_column(columns, COLUMN_INTEGER, "health");
    add_column(columns, COLUMN_TEXT, "bucket");
    for (size_t c = 0; c < card->n_columns; c++)
        if (card->is_measure[c])
            add_column(columns, COLUMN_DOUBLE, "points_%s", card->columns[c]);
    add_column(columns, COLUMN_TEXT, "rules_fired");
    return columns_done(columns, err);
}

void rows_columns_free(row_columns *columns)
{
    for (size_t i = 0; i < columns->n; i++)
        free(columns->names[i]);
    free(columns->names);
    free(columns->kinds);
    *columns = (row_columns){0};
}

void rows_write_header(FILE *out, const row_columns *columns)
{
    for (size_t i = 0; i < columns->n; i++) {
        if (i)
            fputc(',', out);
        csv_write_field(out, columns->names[i]);
    }
    fputc('\n', out);
}

/* A change item's name: a driver (a feature, a pair or a collinear
 * group), or past them the --by column (its model changed). */
static const char *change_name(const row_layout *layout, const row_change *change, size_t e)
{
    const encoding *enc = layout->m->enc;
    return e < encoding_n_effects(enc) ? model_driver_name(change->drivers, enc, e)
                                       : layout->m->by_column ? layout->m->by_column : "(model)";
}

/* health_then and the changes, largest first; empty (or null) for an id
 * not in the earlier snapshot. */
static void put_change(buf *b, const row_layout *layout, int json, const row_change *change)
{
    if (json) {
        put_str(b, ",\"health_then\":");
        if (!change->known) {
            put_str(b, "null,\"changes\":null");
            return;
        }
        put_int(b, change->health_then);
        put_str(b, ",\"changes\":[");
        for (size_t i = 0; i < change->n_ordered; i++) {
            const char *name = change_name(layout, change, change->order[i]);
            put_str(b, i ? ",{\"feature\":" : "{\"feature\":");
            buf_put_json(b, name, strlen(name));
            put_str(b, ",\"log_odds\":");
            put_double(b, change->change[change->order[i]]);
            buf_put_char(b, '}');
        }
        buf_put_char(b, ']');
        return;
    }
    buf_put_char(b, ',');
    if (change->known)
        put_int(b, change->health_then);
    for (size_t i = 0; i < layout->explain_change; i++) {
        buf_put_char(b, ',');
        if (change->known && i < change->n_ordered) {
            const char *name = change_name(layout, change, change->order[i]);
            buf_put_csv(b, name, strlen(name));
            buf_put_char(b, ',');
            put_double(b, change->change[change->order[i]]);
        } else {
            buf_put_char(b, ',');
        }
    }
}

static void put_drivers_csv(buf *b, const row_layout *layout, size_t model, const double *effects,
                            const size_t *order)
{
    const encoding *enc = layout->m->enc;
    size_t n_effects = encoding_n_effects(enc);
    for (size_t k = 0; k < layout->m->n_targets; k++) {
        const model_target *target = model_scoring_target(layout->m, model, k);
        for (size_t i = 0; i < layout->explain; i++) {
            buf_put_char(b, ',');
            if (i < model_n_drivers(&target->drivers, enc)) {
                size_t e = order[k * n_effects + i];
                const char *name = model_driver_name(&target->drivers, enc, e);
                buf_put_csv(b, name, strlen(name));
                buf_put_char(b, ',');
                put_double(b, effects[k * n_effects + e]);
            } else {
                buf_put_char(b, ',');
            }
        }
    }
}

static void put_drivers_json(buf *b, const row_layout *layout, size_t model, const double *effects,
                             const size_t *order)
{
    const encoding *enc = layout->m->enc;
    size_t n_effects = encoding_n_effects(enc);
    for (size_t k = 0; k < layout->m->n_targets; k++) {
        const model_target *target = model_scoring_target(layout->m, model, k);
        size_t n_drivers = model_n_drivers(&target->drivers, enc);
        size_t wanted = layout->explain < n_drivers ? layout->explain : n_drivers;
        put_str(b, ",\"");
        put_str(b, layout->m->targets[k].name);
        put_str(b, "_drivers\":[");
        for (size_t i = 0; i < wanted; i++) {
            size_t e = order[k * n_effects + i];
            const char *name = model_driver_name(&target->drivers, enc, e);
            put_str(b, i ? ",{\"feature\":" : "{\"feature\":");
            buf_put_json(b, name, strlen(name));
            put_str(b, ",\"effect\":");
            put_double(b, effects[k * n_effects + e]);
            buf_put_char(b, '}');
        }
        buf_put_char(b, ']');
    }
}

static void put_trend(buf *b, int json, const previous_trend *trend, int alert)
{
    if (json) {
        put_str(b, ",\"previous_bucket\":");
        if (trend->index >= 0) {
            buf_put_char(b, '"');
            put_str(b, bucket_name((bucket)trend->previous_bucket));
            buf_put_char(b, '"');
        } else {
            put_str(b, "null");
        }
        put_str(b, ",\"health_change\":");
        if (trend->index >= 0)
            put_int(b, trend->health_change);
        else
            put_str(b, "null");
        put_str(b, alert ? ",\"alert\":true" : ",\"alert\":false");
        return;
    }
    buf_put_char(b, ',');
    if (trend->index >= 0)
        put_str(b, bucket_name((bucket)trend->previous_bucket));
    buf_put_char(b, ',');
    if (trend->index >= 0)
        put_int(b, trend->health_change);
    put_str(b, alert ? ",1" : ",0");
}

void rows_put_model(buf *b, const row_layout *layout, const char *id, size_t id_len, const score_result *result,
                    const double *effects, const size_t *order, const previous_trend *trend, int alert,
                    const row_change *change)
{
    int json = layout->format == FORMAT_JSONL;
    if (json) {
        put_str(b, "{\"id\":");
        buf_put_json(b, id, id_len);
    } else {
        buf_put_csv(b, id, id_len);
    }
    for (size_t k = 0; k < layout->m->n_targets; k++) {
        if (json)
            put_str(b, layout->health && k == layout->churn ? ",\"churn_risk\":" : ",\"expansion\":");
        else
            buf_put_char(b, ',');
        put_double(b, result->probability[k]);
    }
    if (layout->health) {
        put_str(b, json ? ",\"health\":" : ",");
        put_int(b, result->health);
        put_str(b, json ? ",\"bucket\":\"" : ",");
        put_str(b, bucket_name(result->level));
        if (json)
            buf_put_char(b, '"');
    }
    if (layout->explain)
        (json ? put_drivers_json : put_drivers_csv)(b, layout, result->model, effects, order);
    if (layout->trend_columns)
        put_trend(b, json, trend, alert);
    else if (layout->alert_column)
        put_str(b, json ? (alert ? ",\"alert\":true" : ",\"alert\":false") : (alert ? ",1" : ",0"));
    if (layout->explain_change)
        put_change(b, layout, json, change);
    put_str(b, json ? "}\n" : "\n");
}

/* -------------------------------------------------------- scorecard rows */

size_t rows_card_bound(const scorecard *card, size_t id_len)
{
    return BUF_CSV_BOUND(id_len) + 64 + card->n_columns * (NUM_FORMAT_MAX + 2) + card->n_rules * 24;
}

void rows_put_card(buf *b, const scorecard *card, const char *id, size_t id_len, const sc_result *result)
{
    buf_put_csv(b, id, id_len);
    buf_put_char(b, ',');
    put_int(b, lround(result->health));
    buf_put_char(b, ',');
    put_str(b, bucket_name(result->level));
    for (size_t c = 0; c < card->n_columns; c++) {
        if (!card->is_measure[c])
            continue;
        buf_put_char(b, ',');
        if (!isnan(result->points[c]))
            put_double(b, result->points[c]);
    }
    buf_put_char(b, ',');
    int first = 1;
    for (size_t r = 0; r < card->n_rules; r++)
        if (result->fired & (1ULL << r)) {
            if (!first)
                buf_put_char(b, ';');
            put_int(b, (long)r + 1);
            first = 0;
        }
    buf_put_char(b, '\n');
}
