#include "table.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_reader.h"
#include "numparse.h"
#include "row_stream.h"
#include "source.h"

/* Cells of the first row arrays, shared among the columns. */
#define TABLE_FIRST_ROWS_BUDGET (512u << 10)

/* Per-column reading state, beside the stored column. */
typedef struct {
    column_role role;
    int mixed;            /* an auto column that met text after numbers */
    size_t n_numbers, n_texts;
    long first_text_line, first_number_line;
    char first_text[VT_QUOTE_BYTES + 4]; /* enough for vt_quote to show and cut it */
    size_t first_text_len;
} column_state;

/* A table being built with its reading state: the whole table, or one
 * block's part of it (see table_read_threads). */
typedef struct {
    table *data;
    column_state *states;
    long *stored_of_field; /* csv field -> stored column, -1 if skipped */
    size_t rows_cap;
    const table_options *options;
} reading;

/* A name or cell for an error message (see vt_quote); buf has VT_QUOTE_SIZE bytes. */
static const char *shown(char *buf, const char *text, size_t len)
{
    return vt_quote(buf, VT_QUOTE_SIZE, text, len);
}

/* table_is_missing's fast answer, inline: most cells are not missing. */
static inline int may_be_missing(const char *text, size_t len, const table_options *options)
{
    return len == 0 || options->n_na_tokens > 0 || text[0] == ' ' || text[0] == '\t' || text[0] == 'n' ||
           text[0] == 'N';
}

int table_is_missing(const char *text, size_t len, const char *const *na_tokens, size_t n_na_tokens)
{
    /* Fast answer for the common cases: without extra tokens, only a blank
     * cell or one starting with n/N (NA, NaN, null) can be missing. */
    if (len > 0 && n_na_tokens == 0 && text[0] != ' ' && text[0] != '\t' && text[0] != 'n' && text[0] != 'N')
        return 0;
    size_t start = 0;
    while (start < len && (text[start] == ' ' || text[start] == '\t'))
        start++;
    if (start == len)
        return 1;
    if ((len == 2 && strncasecmp(text, "na", 2) == 0) ||
        (len == 3 && strncasecmp(text, "nan", 3) == 0) ||
        (len == 4 && strncasecmp(text, "null", 4) == 0))
        return 1;
    for (size_t i = 0; i < n_na_tokens; i++)
        if (strlen(na_tokens[i]) == len && memcmp(na_tokens[i], text, len) == 0)
            return 1;
    return 0;
}

int table_parse_label(const char *text, size_t len, double *value)
{
    if (len == 1 && (text[0] == '0' || text[0] == '1')) { /* the usual spelling, without eight compares */
        *value = text[0] == '1';
        return 0;
    }
    /* t and f: PostgreSQL's text for a boolean (DATA from a query) */
    static const char *const positive[] = {"1", "yes", "true", "1.0", "t"};
    static const char *const negative[] = {"0", "no", "false", "0.0", "f"};
    for (size_t i = 0; i < sizeof positive / sizeof positive[0]; i++) {
        if (strlen(positive[i]) == len && strncasecmp(text, positive[i], len) == 0) {
            *value = 1.0;
            return 0;
        }
        if (strlen(negative[i]) == len && strncasecmp(text, negative[i], len) == 0) {
            *value = 0.0;
            return 0;
        }
    }
    return -1;
}

table_column *table_find(table *data, const char *name)
{
    long c = dict_find(data->names, name, strlen(name));
    return c < 0 ? NULL : &data->columns[c];
}

void table_free(table *data)
{
    if (data == NULL)
        return;
    for (size_t c = 0; c < data->n_columns; c++) {
        table_column *column = &data->columns[c];
        free(column->name);
        free(column->values);
        free(column->codes);
        dict_free(column->levels);
        if (column->text)
            for (size_t r = 0; r < data->n_rows; r++)
                free(column->text[r]);
        free(column->text);
    }
    free(data->columns);
    dict_free(data->names);
    free(data->lines);
    free(data->path);
    free(data);
}

/* The role of every field, by one lookup per role (the first role given
 * for a name wins), not one scan of the roles per field. */
static vt_status field_roles(const table_options *options, const row_stream *rows, column_role *roles, vt_err *err)
{
    for (size_t f = 0; f < row_stream_n_columns(rows); f++)
        roles[f] = ROLE_AUTO;
    size_t n_lacking = 0; /* every option naming a column the header lacks is named, the first as the error */
    for (size_t i = 0; i < options->n_roles; i++) {
        long field = row_stream_find(rows, options->roles[i].name);
        if (field < 0 && n_lacking++ == 0)
            vt_err_set(err, VT_EUSAGE, row_stream_name(rows), 0, 0, "%s: no column '%s' in the header",
                       options->roles[i].option, options->roles[i].name);
        else if (field < 0)
            vt_err_more(err, "%s: no column '%s' in the header either", options->roles[i].option,
                        options->roles[i].name);
        else if (roles[field] == ROLE_AUTO)
            roles[field] = options->roles[i].role;
    }
    return n_lacking ? VT_EUSAGE : VT_OK;
}

/* Field f, named `name`, stored as a column of the given role, unless skipped. */
static vt_status setup_column(reading *state, const char *field_name, size_t f, column_role role, vt_err *err)
{
    table *data = state->data;
    state->stored_of_field[f] = -1;
    if (role == ROLE_SKIP)
        return VT_OK;
    size_t c = data->n_columns++;
    table_column *column = &data->columns[c];
    state->stored_of_field[f] = (long)c;
    state->states[c].role = role;
    column->csv_index = (long)f;
    column->name = vt_strdup(field_name);
    if (column->name == NULL || dict_intern(data->names, column->name, strlen(column->name)) != (long)c)
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    if (vt_utf8_invalid_at(column->name, strlen(column->name)) >= 0) { /* a model keeps its columns' names */
        char name[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, data->path, 1, (long)f + 1,
                          "column name '%s' is not UTF-8, the one encoding vitals keeps text in (convert the "
                          "file, e.g. iconv -f latin1 -t utf-8)", shown(name, column->name, strlen(column->name)));
    }
    switch (role) {
    case ROLE_CATEGORICAL: column->type = TYPE_CATEGORICAL; break;
    case ROLE_LABEL: column->type = TYPE_LABEL; break;
    case ROLE_TEXT: column->type = TYPE_TEXT; break;
    default: column->type = TYPE_NUMERIC; break;
    }
    if (column->type == TYPE_CATEGORICAL && (column->levels = dict_new()) == NULL)
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    return VT_OK;
}

/* The table's columns from the stream's header, checked against the options. */
static vt_status setup_columns(reading *state, const row_stream *rows, vt_err *err)
{
    table *data = state->data;
    size_t n_fields = row_stream_n_columns(rows);
    data->columns = vt_calloc(n_fields ? n_fields : 1, sizeof(table_column));
    data->names = dict_new();
    state->states = vt_calloc(n_fields ? n_fields : 1, sizeof(column_state));
    state->stored_of_field = vt_calloc(n_fields ? n_fields : 1, sizeof(long));
    column_role *roles = vt_calloc(n_fields ? n_fields : 1, sizeof *roles);
    if (!data->columns || !data->names || !state->states || !state->stored_of_field || !roles) {
        free(roles);
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    }
    vt_status status = field_roles(state->options, rows, roles, err);
    for (size_t f = 0; status == VT_OK && f < n_fields; f++)
        status = setup_column(state, row_stream_header(rows)[f], f, roles[f], err);
    free(roles);
    return status;
}

/* Room for `need` rows in every array of the table. */
static int grow_rows(reading *state, size_t need)
{
    table *data = state->data;
    if (need <= state->rows_cap)
        return 0;
    /* The first arrays are small when the columns are many: 4,096 rows of
     * 100,000 columns touched a page per column, 460 MB for a 3 MB file. */
    size_t first = data->n_columns ? TABLE_FIRST_ROWS_BUDGET / data->n_columns : 4096;
    size_t cap = state->rows_cap ? state->rows_cap * 2 : first < 16 ? 16 : first > 4096 ? 4096 : first;
    while (cap < need)
        cap *= 2;
    long *lines = vt_realloc(data->lines, cap * sizeof *lines);
    if (lines == NULL)
        return -1;
    data->lines = lines;
    for (size_t c = 0; c < data->n_columns; c++) {
        table_column *column = &data->columns[c];
        if (column->type == TYPE_NUMERIC || column->type == TYPE_LABEL || column->values) {
            double *values = vt_realloc(column->values, cap * sizeof *values);
            if (values == NULL)
                return -1;
            column->values = values;
        }
        if (column->type == TYPE_CATEGORICAL || column->codes) {
            int32_t *codes = vt_realloc(column->codes, cap * sizeof *codes);
            if (codes == NULL)
                return -1;
            column->codes = codes;
        }
        if (column->type == TYPE_TEXT) {
            char **text = vt_realloc(column->text, cap * sizeof *text);
            if (text == NULL)
                return -1;
            column->text = text;
            memset(text + state->rows_cap, 0, (cap - state->rows_cap) * sizeof *text);
        }
    }
    state->rows_cap = cap;
    return 0;
}

/* A number in a column that turned categorical: interned in one canonical
 * spelling, so "1" and "1.0" are the same level. */
static long intern_number(dict *levels, double value)
{
    char spelled[32];
    int len = snprintf(spelled, sizeof spelled, "%.15g", value);
    return dict_intern(levels, spelled, (size_t)len);
}

/* First text cell after numbers: keep the numbers seen so far as levels. */
static int make_mixed(table_column *column, size_t n_rows_before, size_t rows_cap)
{
    column->levels = dict_new();
    column->codes = vt_malloc(rows_cap * sizeof *column->codes);
    if (column->levels == NULL || column->codes == NULL)
        return -1;
    for (size_t r = 0; r < n_rows_before; r++) {
        double value = column->values[r];
        long id = isnan(value) ? -1 : intern_number(column->levels, value);
        if (!isnan(value) && id < 0)
            return -1;
        column->codes[r] = (int32_t)id;
    }
    return 0;
}

/* A cell num_parse would call NUM_SYNTAX at its first byte: a letter that
 * cannot open inf, infinity or nan.  Text columns skip its word compares. */
static int is_word(const char *text, size_t len)
{
    char c = len > 0 ? (char)(text[0] | 0x20) : 0;
    return c >= 'a' && c <= 'z' && c != 'i' && c != 'n';
}

/* A level of a categorical column: a new one must be UTF-8, the one rule
 * for text that goes into a model (a Latin-1 level scored, but its SQL
 * view was refused by PostgreSQL as a whole). */
static vt_status intern_level(const table *data, table_column *column, size_t row, const char *text, size_t len,
                              long line, long col, vt_err *err)
{
    size_t before = dict_size(column->levels);
    long id = dict_intern(column->levels, text, len);
    column->codes[row] = (int32_t)id;
    if (id < 0)
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    if (dict_size(column->levels) > before && vt_utf8_invalid_at(text, len) >= 0) {
        char name[VT_QUOTE_SIZE], cell[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, data->path, line, col,
                          "column '%s': '%s' is not UTF-8, the one encoding vitals keeps text in (convert the file, "
                          "e.g. iconv -f latin1 -t utf-8)",
                          shown(name, column->name, strlen(column->name)), shown(cell, text, len));
    }
    return VT_OK;
}

static vt_status store_auto(reading *state, size_t c, const char *text, size_t len,
                            long line, long col, vt_err *err)
{
    table *data = state->data;
    table_column *column = &data->columns[c];
    column_state *info = &state->states[c];
    size_t row = data->n_rows;
    double value = NAN;
    num_result parsed = is_word(text, len) ? NUM_SYNTAX : num_parse(text, len, &value);
    char name[VT_QUOTE_SIZE], cell[VT_QUOTE_SIZE];
    if (parsed == NUM_NONFINITE || parsed == NUM_RANGE)
        return vt_err_set(err, VT_EDATA, data->path, line, col, "column '%s': '%s' is %s",
                          shown(name, column->name, strlen(column->name)), shown(cell, text, len),
                          num_result_text(parsed));
    if (parsed == NUM_OK) {
        if (info->n_numbers++ == 0)
            info->first_number_line = line;
        if (!info->mixed) {
            column->values[row] = value;
            return VT_OK;
        }
        long id = intern_number(column->levels, value);
        column->codes[row] = (int32_t)id;
        return id < 0 ? vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory") : VT_OK;
    }
    if (info->role == ROLE_NUMERIC)
        return vt_err_set(err, VT_EDATA, data->path, line, col,
                          "column '%s' is declared numeric but '%s' is not a number",
                          shown(name, column->name, strlen(column->name)), shown(cell, text, len));
    if (info->n_texts++ == 0) {
        info->first_text_line = line;
        info->first_text_len = len < sizeof info->first_text ? len : sizeof info->first_text;
        memcpy(info->first_text, text, info->first_text_len);
        if (!info->mixed && make_mixed(column, row, state->rows_cap))
            return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
        info->mixed = 1;
    }
    return intern_level(data, column, row, text, len, line, col, err);
}

static vt_status store_cell(reading *state, size_t c, const char *text, size_t len,
                            long line, long col, vt_err *err)
{
    table *data = state->data;
    table_column *column = &data->columns[c];
    column_state *info = &state->states[c];
    size_t row = data->n_rows;
    if (column->type == TYPE_TEXT) {
        column->text[row] = vt_strndup(text, len);
        return column->text[row] ? VT_OK : vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    }
    if (may_be_missing(text, len, state->options) &&
        table_is_missing(text, len, state->options->na_tokens, state->options->n_na_tokens)) {
        if (column->n_missing++ == 0)
            column->first_missing_line = line;
        if (column->values)
            column->values[row] = NAN;
        if (column->codes)
            column->codes[row] = -1;
        return VT_OK;
    }
    if (column->type == TYPE_LABEL) {
        char name[VT_QUOTE_SIZE], cell[VT_QUOTE_SIZE];
        if (table_parse_label(text, len, &column->values[row]) != 0)
            return vt_err_set(err, VT_EDATA, data->path, line, col,
                              "label column '%s': '%s' is not 0/1, yes/no, true/false or t/f",
                              shown(name, column->name, strlen(column->name)), shown(cell, text, len));
        return VT_OK;
    }
    if (info->role == ROLE_CATEGORICAL)
        return intern_level(data, column, row, text, len, line, col, err);
    return store_auto(state, c, text, len, line, col, err);
}

/* A column that met text: categorical if text is the rule, an error if it is
 * the exception among numbers (a typo or an unlisted missing-value token). */
static vt_status settle_types(reading *state, vt_err *err)
{
    table *data = state->data;
    for (size_t c = 0; c < data->n_columns; c++) {
        table_column *column = &data->columns[c];
        column_state *info = &state->states[c];
        if (!info->mixed)
            continue;
        char name[VT_QUOTE_SIZE], cell[VT_QUOTE_SIZE];
        shown(name, column->name, strlen(column->name));
        shown(cell, info->first_text, info->first_text_len);
        if (info->n_numbers > 0 && info->n_numbers >= info->n_texts)
            return vt_err_set(err, VT_EDATA, data->path, info->first_text_line, column->csv_index + 1,
                              "column '%s': '%s' is not a number, but %zu of its %zu values are "
                              "(first at line %ld); use --categorical %s if it is text, or "
                              "--na '%s' if it marks a missing value",
                              name, cell, info->n_numbers, info->n_numbers + info->n_texts,
                              info->first_number_line, name, cell);
        column->type = TYPE_CATEGORICAL;
        free(column->values);
        column->values = NULL;
    }
    return VT_OK;
}

/* The most levels a categorical column of a file of n_rows may hold (see
 * table.h), and whether the bound is half the rows. */
static size_t levels_bound(const table_options *options, size_t n_rows, int *by_share)
{
    size_t bound = options->max_levels;
    *by_share = bound == 0 && n_rows >= TABLE_LEVELS_MIN_ROWS;
    if (bound == 0)
        bound = TABLE_MAX_LEVELS;
    if (*by_share && n_rows / 2 < bound)
        bound = n_rows / 2;
    return bound;
}

/* The error for a column with too many levels; n_levels is a lower bound
 * when `more` (counting stopped there). */
static vt_status too_many_levels(const table_options *options, const table *data, const table_column *column,
                                 size_t n_levels, int more, vt_err *err)
{
    int by_share = 0;
    size_t bound = levels_bound(options, data->n_rows, &by_share);
    char name[VT_QUOTE_SIZE];
    shown(name, column->name, strlen(column->name));
    return vt_err_set(err, VT_EDATA, data->path, 1, column->csv_index + 1,
                      "column '%s' has %s%zu distinct values in %zu rows: too many levels for a categorical "
                      "feature (at most %zu%s); if it identifies rows, use --id %s or --drop %s, or allow "
                      "more with --max-levels N",
                      name, more ? "more than " : "", n_levels, data->n_rows, bound,
                      options->max_levels ? "" : by_share && bound < TABLE_MAX_LEVELS ? ", half the rows" : "",
                      name, name);
}

/* A categorical column with a level for (almost) every row: refused before
 * any fitting work, with the remedies (see table.h). */
static vt_status check_levels(reading *state, vt_err *err)
{
    const table *data = state->data;
    int by_share = 0;
    size_t bound = levels_bound(state->options, data->n_rows, &by_share);
    for (size_t c = 0; c < data->n_columns; c++) {
        const table_column *column = &data->columns[c];
        size_t levels = column->type == TYPE_CATEGORICAL ? dict_size(column->levels) : 0;
        if (levels > bound)
            return too_many_levels(state->options, data, column, levels, 0, err);
    }
    return VT_OK;
}

/* table_free frees n_rows rows of text; a row that failed halfway is extra. */
static void free_partial_row(table *data)
{
    for (size_t c = 0; c < data->n_columns; c++)
        if (data->columns[c].text) {
            free(data->columns[c].text[data->n_rows]);
            data->columns[c].text[data->n_rows] = NULL;
        }
}

static vt_status read_rows(reading *state, csv_reader *csv, vt_err *err)
{
    table *data = state->data;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(csv, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        if (grow_rows(state, data->n_rows + 1))
            return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
        for (size_t f = 0; f < row->n_fields; f++) {
            long c = state->stored_of_field[f];
            if (c < 0)
                continue;
            status = store_cell(state, (size_t)c, row->fields[f], row->lengths[f], row->line,
                                (long)f + 1, err);
            if (status != VT_OK) {
                free_partial_row(data);
                return status;
            }
        }
        data->lines[data->n_rows++] = row->line;
    }
}

/* ---- One block's part of the table ------------------------------------
 * A worker types its block into a part: a table with the whole one's
 * columns (names and path shared, not owned), rows numbered from 0 and
 * levels interned in the block's own first-seen order.  Merged in block
 * order, the parts give the table one reading of the file would. */

static void part_free(reading *part)
{
    if (part->data != NULL) {
        for (size_t c = 0; c < part->data->n_columns; c++)
            part->data->columns[c].name = NULL;
        part->data->path = NULL;
    }
    table_free(part->data);
    free(part->states);
    part->data = NULL;
    part->states = NULL;
}

/* Empty the part for the next block, keeping its row arrays. */
static int part_reset(reading *part)
{
    table *data = part->data;
    for (size_t c = 0; c < data->n_columns; c++) {
        table_column *column = &data->columns[c];
        column_state *info = &part->states[c];
        column->n_missing = 0;
        column->first_missing_line = 0;
        *info = (column_state){.role = info->role};
        if (column->type == TYPE_CATEGORICAL) {
            dict_free(column->levels);
            if ((column->levels = dict_new()) == NULL)
                return -1;
        } else if (column->levels != NULL) { /* an auto column the block made mixed */
            dict_free(column->levels);
            free(column->codes);
            column->levels = NULL;
            column->codes = NULL;
        }
    }
    data->n_rows = 0; /* text cells moved to the whole table */
    return 0;
}

static vt_status part_new(const reading *whole, reading *part, vt_err *err)
{
    const table *from = whole->data;
    table *data = vt_calloc(1, sizeof *data);
    part->data = data;
    part->states = vt_calloc(from->n_columns ? from->n_columns : 1, sizeof *part->states);
    if (data == NULL || part->states == NULL ||
        (data->columns = vt_calloc(from->n_columns ? from->n_columns : 1, sizeof *data->columns)) == NULL)
        return vt_err_set(err, VT_ENOMEM, from->path, 0, 0, "out of memory");
    data->path = from->path;
    part->stored_of_field = whole->stored_of_field;
    part->options = whole->options;
    for (size_t c = 0; c < from->n_columns; c++) {
        table_column *column = &data->columns[c];
        data->n_columns++;
        column->name = from->columns[c].name;
        column->csv_index = from->columns[c].csv_index;
        column->type = from->columns[c].type;
        part->states[c].role = whole->states[c].role;
        if (column->type == TYPE_CATEGORICAL && (column->levels = dict_new()) == NULL)
            return vt_err_set(err, VT_ENOMEM, from->path, 0, 0, "out of memory");
    }
    return VT_OK;
}

/* Codes of a part's levels as codes of the whole's: the part's levels are
 * interned in their id order, which is their first-seen order. */
static int merge_codes(dict *levels, int32_t *codes, const dict *part_levels, const int32_t *part_codes, size_t n)
{
    size_t n_levels = dict_size(part_levels);
    int32_t *to_whole = vt_malloc((n_levels ? n_levels : 1) * sizeof *to_whole);
    if (to_whole == NULL)
        return -1;
    for (size_t id = 0; id < n_levels; id++) {
        long whole_id = dict_intern(levels, dict_key(part_levels, (long)id), dict_key_len(part_levels, (long)id));
        if (whole_id < 0) {
            free(to_whole);
            return -1;
        }
        to_whole[id] = (int32_t)whole_id;
    }
    for (size_t r = 0; r < n; r++)
        codes[r] = part_codes[r] < 0 ? -1 : to_whole[part_codes[r]];
    free(to_whole);
    return 0;
}

/* An auto column: the counts, first cells, and the cells as numbers or, once
 * the column has met text anywhere before or in this block, as levels. */
/* An auto column's counts and first cells, a block's added to the whole's;
 * 1 when the block's text is the first the column meets. */
static int merge_auto_counts(column_state *info, const column_state *block)
{
    int turns_mixed = block->n_texts > 0 && info->n_texts == 0;
    if (block->n_numbers > 0 && info->n_numbers == 0)
        info->first_number_line = block->first_number_line;
    info->n_numbers += block->n_numbers;
    if (turns_mixed) {
        info->first_text_line = block->first_text_line;
        info->first_text_len = block->first_text_len;
        memcpy(info->first_text, block->first_text, block->first_text_len);
    }
    info->n_texts += block->n_texts;
    return turns_mixed;
}

static int merge_auto(reading *whole, const reading *part, size_t c, size_t row0, size_t n)
{
    table_column *column = &whole->data->columns[c];
    const table_column *from = &part->data->columns[c];
    column_state *info = &whole->states[c];
    if (merge_auto_counts(info, &part->states[c])) {
        if (!info->mixed && make_mixed(column, row0, whole->rows_cap))
            return -1;
        info->mixed = 1;
    }
    if (!info->mixed) {
        memcpy(column->values + row0, from->values, n * sizeof *from->values);
        return 0;
    }
    if (part->states[c].mixed)
        return merge_codes(column->levels, column->codes + row0, from->levels, from->codes, n);
    for (size_t r = 0; r < n; r++) {
        long id = isnan(from->values[r]) ? -1 : intern_number(column->levels, from->values[r]);
        if (!isnan(from->values[r]) && id < 0)
            return -1;
        column->codes[row0 + r] = (int32_t)id;
    }
    return 0;
}

static int merge_column(reading *whole, reading *part, size_t c, size_t row0, size_t n)
{
    table_column *column = &whole->data->columns[c];
    table_column *from = &part->data->columns[c];
    if (from->n_missing > 0 && column->n_missing == 0)
        column->first_missing_line = from->first_missing_line;
    column->n_missing += from->n_missing;
    if (column->type == TYPE_TEXT) {
        memcpy(column->text + row0, from->text, n * sizeof *from->text);
        memset(from->text, 0, n * sizeof *from->text);
        return 0;
    }
    if (column->type == TYPE_CATEGORICAL)
        return merge_codes(column->levels, column->codes + row0, from->levels, from->codes, n);
    if (whole->states[c].role == ROLE_AUTO)
        return merge_auto(whole, part, c, row0, n);
    memcpy(column->values + row0, from->values, n * sizeof *from->values);
    return 0;
}

/* Append a block's part to the whole table (blocks in file order). */
static vt_status merge_part(reading *whole, reading *part, vt_err *err)
{
    table *data = whole->data;
    size_t row0 = data->n_rows, n = part->data->n_rows;
    if (n == 0) /* only blank lines: nothing counted, and no arrays to copy from */
        return VT_OK;
    if (grow_rows(whole, row0 + n))
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    memcpy(data->lines + row0, part->data->lines, n * sizeof *data->lines);
    for (size_t c = 0; c < data->n_columns; c++)
        if (merge_column(whole, part, c, row0, n))
            return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    data->n_rows += n;
    return VT_OK;
}

/* ---- The file as a row_stream job ----------------------------------------
 * Workers type each block into a part (one per block in flight, kept from
 * block to block); the calling thread merges the parts in file order, into
 * the whole table or, for a survey, into its counts and block places.  So
 * the error kept is the first in file order, and nothing depends on which
 * thread typed which block. */
typedef struct survey_sink survey_sink;

typedef struct {
    reading part;         /* made on first use: its columns are the whole's */
    uint64_t offset;      /* where the block lies (a survey keeps it) */
    size_t len;
    long first_line;
} typed_block;

typedef struct {
    reading *whole;
    survey_sink *survey;  /* NULL: merge the parts into the whole table */
} typing_job;

static vt_status survey_merge(survey_sink *sink, reading *whole, const typed_block *block, vt_err *err);

/* The worker's state is the whole table, read only: part_new copies the
 * names, types and roles, which merges never change. */
static vt_status type_block(void *worker, const row_block *block, buf *out, void *result, vt_err *err)
{
    (void)out;
    const reading *whole = worker;
    typed_block *typed = result;
    typed->offset = block->offset;
    typed->len = block->len;
    typed->first_line = block->first_line;
    vt_status status = VT_OK;
    if (typed->part.data == NULL) {
        if ((status = part_new(whole, &typed->part, err)) != VT_OK) {
            part_free(&typed->part);
            return status;
        }
    } else if (part_reset(&typed->part) != 0) {
        return vt_err_set(err, VT_ENOMEM, whole->data->path, 0, 0, "out of memory");
    }
    return read_rows(&typed->part, block->rows, err);
}

static vt_status merge_block(void *user, void *result, const buf *text, vt_err *err)
{
    (void)text;
    typing_job *job = user;
    typed_block *typed = result;
    return job->survey ? survey_merge(job->survey, job->whole, typed, err)
                       : merge_part(job->whole, &typed->part, err);
}

static void release_block(void *result)
{
    part_free(&((typed_block *)result)->part);
}

/* The data rows, typed on n_threads workers (0: one per core). */
static vt_status read_blocks(reading *whole, survey_sink *survey, row_stream *rows, size_t n_threads, vt_err *err)
{
    size_t n_workers = row_stream_threads(n_threads);
    void **workers = vt_calloc(n_workers, sizeof *workers);
    if (workers == NULL)
        return vt_err_set(err, VT_ENOMEM, whole->data->path, 0, 0, "out of memory");
    for (size_t i = 0; i < n_workers; i++)
        workers[i] = whole;
    typing_job typing = {whole, survey};
    row_job job = {type_block, merge_block, release_block, sizeof(typed_block), &typing};
    vt_status status = row_stream_run(rows, workers, n_workers, &job, NULL, err);
    free(workers);
    return status;
}

/* The table's start: its path and columns from the stream's header. */
static vt_status reading_start(reading *state, const row_stream *rows, vt_err *err)
{
    if ((state->data = vt_calloc(1, sizeof(table))) == NULL ||
        (state->data->path = vt_strdup(row_stream_name(rows))) == NULL)
        return vt_err_set(err, VT_ENOMEM, row_stream_name(rows), 0, 0, "out of memory");
    return setup_columns(state, rows, err);
}

static row_stream_options stream_options(const char *path, const table_options *options, size_t n_threads,
                                         size_t block_bytes, int fingerprint)
{
    return (row_stream_options){path, options->query, options->delimiter,
                                block_bytes ? block_bytes : TABLE_BLOCK_BYTES, fingerprint, n_threads};
}

vt_status table_read(const char *path, const table_options *options, table **out, vt_err *err)
{
    return table_read_threads(path, options, 0, 0, out, err);
}

vt_status table_read_threads(const char *path, const table_options *options, size_t n_threads, size_t block_bytes,
                             table **out, vt_err *err)
{
    *out = NULL;
    row_stream *rows = NULL;
    row_stream_options input = stream_options(path, options, n_threads, block_bytes, 1);
    vt_status status = row_stream_open(&input, &rows, err);
    if (status != VT_OK)
        return status;
    reading state = {.options = options};
    if ((status = reading_start(&state, rows, err)) != VT_OK ||
        (status = read_blocks(&state, NULL, rows, n_threads, err)) != VT_OK ||
        (status = settle_types(&state, err)) != VT_OK)
        goto fail;
    if (state.data->n_rows == 0) {
        status = vt_err_set(err, VT_EDATA, state.data->path, 0, 0, "no data rows after the header");
        goto fail;
    }
    if ((status = check_levels(&state, err)) != VT_OK)
        goto fail;
    state.data->bytes = row_stream_bytes(rows);
    state.data->hash = row_stream_hash(rows);
    *out = state.data;
    state.data = NULL;
fail:
    table_free(state.data);
    free(state.states);
    free(state.stored_of_field);
    row_stream_free(rows);
    return status;
}

/* ---- A file read again a block at a time ---------------------------------
 * The survey is table_read without the rows: the blocks are typed as
 * table_read types them, but only their counts are merged, and where each
 * block lies is kept.  A block read again is typed with the whole file's
 * types (an auto column that met text anywhere reads as levels from its
 * first row), so its cells are what table_read would have made of them. */

typedef struct {
    uint64_t offset;
    size_t len, first_row, n_rows;
    long first_line;
} survey_block;

struct survey_sink {
    survey_block *blocks;
    size_t n_blocks, cap;
};

struct table_survey {
    table *layout;          /* columns typed, rows counted, none stored */
    column_state *states;   /* the whole file's: role, mixed */
    long *stored_of_field;
    size_t n_fields;
    table_options options;  /* its strings borrowed from the caller's; the delimiter as read */
    row_stream_options input; /* how it was read, for a pass (its path: the layout's) */
    survey_sink sink;
    int fd;
    struct stat at_start;   /* the file as surveyed: a later read checks it is unchanged */
};

static vt_status survey_merge(survey_sink *sink, reading *whole, const typed_block *block, vt_err *err)
{
    const reading *part = &block->part;
    table *data = whole->data, *from = part->data;
    size_t n = from->n_rows;
    if (n == 0)
        return VT_OK;
    if (sink->n_blocks == sink->cap) {
        size_t cap = sink->cap ? 2 * sink->cap : 64;
        survey_block *grown = vt_realloc(sink->blocks, cap * sizeof *grown);
        if (grown == NULL)
            return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
        sink->blocks = grown;
        sink->cap = cap;
    }
    sink->blocks[sink->n_blocks++] = (survey_block){block->offset, block->len, data->n_rows, n, block->first_line};
    for (size_t c = 0; c < data->n_columns; c++) {
        table_column *column = &data->columns[c];
        table_column *cells = &from->columns[c];
        if (cells->n_missing > 0 && column->n_missing == 0)
            column->first_missing_line = cells->first_missing_line;
        column->n_missing += cells->n_missing;
        if (whole->states[c].role == ROLE_AUTO && merge_auto_counts(&whole->states[c], &part->states[c]))
            whole->states[c].mixed = 1;
        for (size_t r = 0; column->type == TYPE_TEXT && r < n; r++) {
            free(cells->text[r]);
            cells->text[r] = NULL;
        }
    }
    data->n_rows += n;
    return VT_OK;
}

void table_survey_free(table_survey *survey)
{
    if (survey == NULL)
        return;
    table_free(survey->layout);
    free(survey->states);
    free(survey->stored_of_field);
    free(survey->sink.blocks);
    if (survey->fd >= 0)
        close(survey->fd);
    free(survey);
}

static vt_status file_changed(const char *path, vt_err *err)
{
    return vt_err_set(err, VT_EIO, path, 0, 0,
                      "the file changed while it was being read for training (it is read again on each pass)");
}

/* The file is as the survey found it: same size, same modification time. */
static vt_status survey_unchanged(const table_survey *survey, vt_err *err)
{
    return source_file_unchanged(survey->fd, &survey->at_start) ? VT_OK : file_changed(survey->layout->path, err);
}

vt_status table_survey_new(const char *path, const table_options *options, size_t n_threads, size_t block_bytes,
                           table_survey **out, vt_err *err)
{
    *out = NULL;
    if (strcmp(path, "-") == 0)
        return vt_err_set(err, VT_EUSAGE, "<stdin>", 0, 0, "standard input cannot be read again for each pass");
    if (options->query != NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "a query's rows cannot be read again for each pass");
    table_survey *survey = vt_calloc(1, sizeof *survey);
    if (survey == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    survey->options = *options;
    if ((survey->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(survey->fd, &survey->at_start) != 0) {
        vt_status status = vt_err_set(err, VT_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        table_survey_free(survey);
        return status;
    }
    if (!S_ISREG(survey->at_start.st_mode)) {
        table_survey_free(survey);
        return vt_err_set(err, VT_EUSAGE, path, 0, 0, "not a regular file: it cannot be read again for each pass");
    }
    row_stream *rows = NULL;
    survey->input = stream_options(path, options, n_threads, block_bytes, 1);
    vt_status status = row_stream_open(&survey->input, &rows, err);
    if (status != VT_OK) {
        table_survey_free(survey);
        return status;
    }
    survey->input.fingerprint = 0; /* a pass checks the file by its size, time and blocks */
    survey->options.delimiter = row_stream_delimiter(rows);
    survey->n_fields = row_stream_n_columns(rows);
    reading state = {.options = &survey->options};
    if ((status = reading_start(&state, rows, err)) == VT_OK &&
        (status = read_blocks(&state, &survey->sink, rows, n_threads, err)) == VT_OK &&
        (status = settle_types(&state, err)) == VT_OK && state.data->n_rows == 0)
        status = vt_err_set(err, VT_EDATA, path, 0, 0, "no data rows after the header");
    survey->layout = state.data;
    survey->states = state.states;
    survey->stored_of_field = state.stored_of_field;
    if (status == VT_OK) {
        survey->layout->bytes = row_stream_bytes(rows);
        survey->layout->hash = row_stream_hash(rows);
        status = survey->layout->bytes == (uint64_t)survey->at_start.st_size ? survey_unchanged(survey, err)
                                                                              : file_changed(path, err);
    }
    row_stream_free(rows);
    if (status != VT_OK) {
        table_survey_free(survey);
        return status;
    }
    *out = survey;
    return VT_OK;
}

const table *table_survey_layout(const table_survey *survey)
{
    return survey->layout;
}

size_t table_survey_blocks(const table_survey *survey)
{
    return survey->sink.n_blocks;
}

size_t table_survey_block_rows(const table_survey *survey, size_t block)
{
    return survey->sink.blocks[block].n_rows;
}

uint64_t table_survey_memory(const table_survey *survey)
{
    const table *layout = survey->layout;
    uint64_t per_row = sizeof(long); /* its line */
    for (size_t c = 0; c < layout->n_columns; c++)
        switch (layout->columns[c].type) {
        case TYPE_CATEGORICAL: per_row += sizeof(int32_t); break;
        case TYPE_TEXT: per_row += sizeof(char *) + 32; break; /* a short string and malloc's overhead */
        default: per_row += sizeof(double); break;
        }
    return per_row * layout->n_rows;
}

/* An empty table with the layout's columns and types, owning its strings. */
static table *layout_copy(const table *layout)
{
    table *data = vt_calloc(1, sizeof *data);
    if (data == NULL)
        return NULL;
    data->columns = vt_calloc(layout->n_columns ? layout->n_columns : 1, sizeof *data->columns);
    data->names = dict_new();
    data->path = vt_strdup(layout->path);
    int ok = data->columns && data->names && data->path;
    for (size_t c = 0; ok && c < layout->n_columns; c++) {
        const table_column *from = &layout->columns[c];
        table_column *column = &data->columns[data->n_columns++];
        column->csv_index = from->csv_index;
        column->type = from->type;
        ok = (column->name = vt_strdup(from->name)) != NULL &&
             dict_intern(data->names, column->name, strlen(column->name)) == (long)c &&
             (column->type != TYPE_CATEGORICAL || (column->levels = dict_new()) != NULL);
    }
    if (!ok) {
        table_free(data);
        return NULL;
    }
    return data;
}

/* A block's rows typed with the whole file's types.  The cells differ
 * from the survey's only if the file does: an auto column meeting text it
 * did not meet then is the one sign a block's own reading can see. */
static vt_status retype_rows(const table_survey *survey, csv_reader *rows, table **out, vt_err *err)
{
    *out = NULL;
    size_t n_columns = survey->layout->n_columns;
    reading state = {.data = layout_copy(survey->layout), .stored_of_field = survey->stored_of_field,
                     .options = &survey->options};
    state.states = vt_calloc(n_columns ? n_columns : 1, sizeof *state.states);
    vt_status status = VT_OK;
    if (state.data == NULL || state.states == NULL)
        status = vt_err_set(err, VT_ENOMEM, survey->layout->path, 0, 0, "out of memory");
    for (size_t c = 0; status == VT_OK && c < n_columns; c++)
        state.states[c] = (column_state){.role = survey->states[c].role, .mixed = survey->states[c].mixed};
    if (status == VT_OK)
        status = read_rows(&state, rows, err);
    for (size_t c = 0; status == VT_OK && c < n_columns; c++)
        if (state.states[c].mixed != survey->states[c].mixed)
            status = file_changed(survey->layout->path, err);
    if (status == VT_OK) {
        *out = state.data;
        state.data = NULL;
    }
    table_free(state.data);
    free(state.states);
    return status;
}

vt_status table_survey_read(const table_survey *survey, size_t index, table **out, vt_err *err)
{
    *out = NULL;
    const survey_block *block = &survey->sink.blocks[index];
    const char *path = survey->layout->path;
    char *bytes = vt_malloc(block->len ? block->len : 1);
    if (bytes == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    csv_reader *rows = NULL;
    vt_status status = pread(survey->fd, bytes, block->len, (off_t)block->offset) == (ssize_t)block->len
                           ? survey_unchanged(survey, err)
                           : file_changed(path, err);
    if (status == VT_OK)
        status = csv_reader_open_memory(bytes, block->len, survey->options.delimiter, path, block->first_line,
                                        survey->n_fields, &rows, err);
    if (status == VT_OK)
        status = retype_rows(survey, rows, out, err);
    /* The bytes are the surveyed ones unless the file was rewritten in
     * place within its modification time's resolution. */
    if (status == VT_OK && (*out)->n_rows != block->n_rows) {
        table_free(*out);
        *out = NULL;
        status = file_changed(path, err);
    }
    csv_reader_free(rows);
    free(bytes);
    return status;
}

/* ---- Every block again, in file order ------------------------------------
 * A pass is a row_stream over the file with the survey's block size: the
 * splitter cuts the same bytes into the same blocks, so the stream's
 * blocks with rows are the survey's, in order.  Each is checked against
 * the survey's record of it (and the file against its size and time)
 * before it is handed on, as table_survey_read checks a block. */

typedef struct {
    table *rows;          /* NULL once handed on */
    vt_status status;     /* the block's own reading; told in file order */
    vt_err err;
    uint64_t offset;
    size_t len;
    long first_line;
} retyped_block;

typedef struct {
    const table_survey *survey;
    table_visit_fn visit;
    void *user;
    size_t next;          /* the survey block the next block with rows must be */
} survey_pass;

static vt_status retype_block(void *worker, const row_block *block, buf *out, void *result, vt_err *err)
{
    (void)out;
    (void)err;
    retyped_block *retyped = result;
    table_free(retyped->rows);
    *retyped = (retyped_block){.offset = block->offset, .len = block->len, .first_line = block->first_line};
    retyped->status = retype_rows(worker, block->rows, &retyped->rows, &retyped->err);
    return VT_OK;
}

static vt_status hand_on_block(void *user, void *result, const buf *text, vt_err *err)
{
    (void)text;
    survey_pass *pass = user;
    const table_survey *survey = pass->survey;
    retyped_block *retyped = result;
    vt_status status = survey_unchanged(survey, err);
    if (status != VT_OK)
        return status;
    if (retyped->status != VT_OK) {
        *err = retyped->err;
        return retyped->status;
    }
    if (retyped->rows->n_rows == 0) /* blank lines only: the survey kept no block */
        return VT_OK;
    const survey_block *expected = pass->next < survey->sink.n_blocks ? &survey->sink.blocks[pass->next] : NULL;
    if (expected == NULL || expected->offset != retyped->offset || expected->len != retyped->len ||
        expected->first_line != retyped->first_line || expected->n_rows != retyped->rows->n_rows)
        return file_changed(survey->layout->path, err);
    status = pass->visit(pass->user, pass->next++, retyped->rows, err);
    table_free(retyped->rows);
    retyped->rows = NULL;
    return status;
}

static void release_retyped(void *result)
{
    table_free(((retyped_block *)result)->rows);
}

/* The stream reads the file by its path: it must be the file the survey
 * holds open (not one renamed over it since). */
static vt_status same_file(const table_survey *survey, vt_err *err)
{
    struct stat now;
    if (stat(survey->layout->path, &now) != 0 || now.st_dev != survey->at_start.st_dev ||
        now.st_ino != survey->at_start.st_ino)
        return file_changed(survey->layout->path, err);
    return survey_unchanged(survey, err);
}

vt_status table_survey_pass(const table_survey *survey, size_t threads, table_visit_fn visit, void *user,
                            vt_err *err)
{
    row_stream_options input = survey->input;
    input.path = survey->layout->path;
    row_stream *rows = NULL;
    vt_status status = row_stream_open(&input, &rows, err);
    if (status == VT_OK && (status = same_file(survey, err)) == VT_OK &&
        row_stream_n_columns(rows) != survey->n_fields)
        status = file_changed(survey->layout->path, err);
    size_t n_workers = row_stream_threads(threads);
    void **workers = status == VT_OK ? vt_calloc(n_workers, sizeof *workers) : NULL;
    if (status == VT_OK && workers == NULL)
        status = vt_err_set(err, VT_ENOMEM, survey->layout->path, 0, 0, "out of memory");
    for (size_t i = 0; status == VT_OK && i < n_workers; i++)
        workers[i] = (void *)survey; /* read only */
    survey_pass pass = {survey, visit, user, 0};
    row_job job = {retype_block, hand_on_block, release_retyped, sizeof(retyped_block), &pass};
    if (status == VT_OK)
        status = row_stream_run(rows, workers, n_workers, &job, NULL, err);
    if (status == VT_OK && (pass.next != survey->sink.n_blocks || row_stream_bytes(rows) != survey->layout->bytes))
        status = file_changed(survey->layout->path, err);
    if (status == VT_OK)
        status = survey_unchanged(survey, err);
    /* An error the stream met in a file changed under it is the change. */
    if (status != VT_OK && status != VT_ENOMEM && !source_file_unchanged(survey->fd, &survey->at_start))
        status = file_changed(survey->layout->path, err);
    free(workers);
    row_stream_free(rows);
    return status;
}

/* ---- Levels counted a block at a time ---- */

struct table_levels {
    const table_survey *survey;
    dict **levels;  /* per column: its distinct levels so far (categorical only) */
};

void table_levels_free(table_levels *counter)
{
    if (counter == NULL)
        return;
    for (size_t c = 0; counter->levels && c < counter->survey->layout->n_columns; c++)
        dict_free(counter->levels[c]);
    free(counter->levels);
    free(counter);
}

table_levels *table_levels_new(const table_survey *survey)
{
    table_levels *counter = vt_calloc(1, sizeof *counter);
    const table *layout = survey->layout;
    if (counter == NULL || (counter->levels = vt_calloc(layout->n_columns ? layout->n_columns : 1,
                                                        sizeof(dict *))) == NULL) {
        free(counter);
        return NULL;
    }
    counter->survey = survey;
    for (size_t c = 0; c < layout->n_columns; c++)
        if (layout->columns[c].type == TYPE_CATEGORICAL && (counter->levels[c] = dict_new()) == NULL) {
            table_levels_free(counter);
            return NULL;
        }
    return counter;
}

vt_status table_levels_add(table_levels *counter, const table *block, vt_err *err)
{
    const table_survey *survey = counter->survey;
    int by_share = 0;
    size_t bound = levels_bound(&survey->options, survey->layout->n_rows, &by_share);
    for (size_t c = 0; c < block->n_columns; c++) {
        dict *seen = counter->levels[c], *levels = block->columns[c].levels;
        for (size_t id = 0; seen && id < dict_size(levels); id++)
            if (dict_intern(seen, dict_key(levels, (long)id), dict_key_len(levels, (long)id)) < 0)
                return vt_err_set(err, VT_ENOMEM, block->path, 0, 0, "out of memory");
        /* Counting on would hold every level of an identifier column. */
        if (seen && dict_size(seen) > bound)
            return too_many_levels(&survey->options, survey->layout, &survey->layout->columns[c], bound, 1, err);
    }
    return VT_OK;
}
