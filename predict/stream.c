#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"
#include "encode.h"
#include "outfile.h"
#include "score.h"

#define STREAM_BLOCK_ROWS 4096

/* One block of rows on its way from the reader to the output. */
typedef struct {
    size_t n_rows, cap_rows, n_terms, n_targets;
    double *x;             /* cap_rows x n_terms */
    double *probabilities; /* cap_rows x n_targets */
    char *ids;             /* ids back to back, NUL-terminated */
    size_t ids_used, ids_cap;
    size_t *id_start;
} block;

static void block_free(block *b)
{
    free(b->x);
    free(b->probabilities);
    free(b->ids);
    free(b->id_start);
}

static int block_alloc(block *b, size_t cap_rows, size_t n_terms, size_t n_targets)
{
    b->cap_rows = cap_rows;
    b->n_terms = n_terms;
    b->n_targets = n_targets;
    b->x = vt_calloc(cap_rows * n_terms, sizeof(double));
    b->probabilities = vt_calloc(cap_rows * n_targets, sizeof(double));
    b->id_start = vt_calloc(cap_rows, sizeof(size_t));
    b->ids_cap = cap_rows * 16;
    b->ids = malloc(b->ids_cap);
    return b->x && b->probabilities && b->id_start && b->ids ? 0 : -1;
}

static int block_add_id(block *b, const char *id, size_t len)
{
    if (b->ids_used + len + 1 > b->ids_cap) {
        size_t cap = (b->ids_cap + len + 1) * 2;
        char *grown = realloc(b->ids, cap);
        if (grown == NULL)
            return -1;
        b->ids = grown;
        b->ids_cap = cap;
    }
    b->id_start[b->n_rows] = b->ids_used;
    memcpy(b->ids + b->ids_used, id, len);
    b->ids[b->ids_used + len] = '\0';
    b->ids_used += len + 1;
    return 0;
}

static void write_block(FILE *out, const model *m, const block *b, long churn, stream_report *report)
{
    char number[32];
    for (size_t i = 0; i < b->n_rows; i++) {
        const double *p = b->probabilities + i * b->n_targets;
        csv_write_field(out, b->ids + b->id_start[i]);
        for (size_t k = 0; k < b->n_targets; k++) {
            snprintf(number, sizeof number, ",%.17g", p[k]);
            fputs(number, out);
        }
        int health = score_health(p[churn]);
        bucket level = score_bucket(health, m->red_below, m->yellow_below);
        report->n_bucket[level]++;
        fprintf(out, ",%d,%s\n", health, bucket_name(level));
    }
}

static vt_status write_header(FILE *out, const model *m, const char *id_name)
{
    csv_write_field(out, id_name);
    for (size_t k = 0; k < m->n_targets; k++)
        fputs(strcmp(m->targets[k].name, "churn") == 0 ? ",churn_risk" : ",expansion", out);
    fputs(",health,bucket\n", out);
    return VT_OK;
}

typedef struct {
    csv_reader *csv;
    encoder *coder;
    outfile *file;
    double *coefficients;
    block rows;
} stream_state;

static void stream_state_free(stream_state *state)
{
    csv_reader_free(state->csv);
    encoder_free(state->coder);
    outfile_abort(state->file);
    free(state->coefficients);
    block_free(&state->rows);
}

static vt_status open_all(const model *m, const stream_options *options, stream_state *state, long *id_field,
                          vt_err *err)
{
    char delimiter = options->delimiter ? options->delimiter : m->delimiter;
    vt_status status = csv_reader_open(options->data_path, delimiter, &state->csv, err);
    if (status != VT_OK)
        return status;
    const char *path = csv_reader_path(state->csv);
    size_t n_columns = csv_reader_n_columns(state->csv);
    const char **header = vt_calloc(n_columns, sizeof(char *));
    if (header == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; c < n_columns; c++)
        header[c] = csv_reader_column(state->csv, c);
    status = encoder_new(m->enc, path, header, n_columns, options->unseen_baseline,
                         (const char *const *)m->na_tokens, m->n_na_tokens, &state->coder, err);
    free(header);
    if (status != VT_OK)
        return status;
    *id_field = m->id_column ? csv_reader_find(state->csv, m->id_column) : -1;
    if (m->id_column && *id_field < 0)
        return vt_err_set(err, VT_EDATA, path, 1, 0, "no id column '%s' in the header", m->id_column);
    size_t block_rows = options->block_rows ? options->block_rows : STREAM_BLOCK_ROWS;
    if ((state->coefficients = score_coefficients(m)) == NULL ||
        block_alloc(&state->rows, block_rows, m->enc->n_terms, m->n_targets))
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return outfile_open(options->output_path, &state->file, err);
}

static long churn_index(const model *m)
{
    for (size_t k = 0; k < m->n_targets; k++)
        if (strcmp(m->targets[k].name, "churn") == 0)
            return (long)k;
    return 0;
}

static vt_status flush_block(const model *m, stream_state *state, stream_report *report, vt_err *err)
{
    block *b = &state->rows;
    vt_status status = score_block(state->coefficients, b->n_terms, b->n_targets, b->x, b->n_rows,
                                   b->probabilities);
    if (status != VT_OK)
        return vt_err_set(err, status, NULL, 0, 0, "scoring failed: block too large for BLAS");
    write_block(outfile_stream(state->file), m, b, churn_index(m), report);
    report->n_rows += b->n_rows;
    b->n_rows = 0;
    b->ids_used = 0;
    return VT_OK;
}

vt_status stream_score(const model *m, const stream_options *options, stream_report *report, vt_err *err)
{
    memset(report, 0, sizeof *report);
    stream_state state = {0};
    long id_field = -1;
    vt_status status = open_all(m, options, &state, &id_field, err);
    if (status != VT_OK)
        goto done;
    write_header(outfile_stream(state.file), m, m->id_column ? m->id_column : "row");
    const char *path = csv_reader_path(state.csv);
    encoder_counts counts = {0};
    size_t row_number = 0;
    for (;;) {
        const csv_row *row = NULL;
        if ((status = csv_reader_next(state.csv, &row, err)) != VT_OK)
            goto done;
        if (row == NULL)
            break;
        block *b = &state.rows;
        row_number++;
        if ((status = encoder_row(state.coder, row, path, b->x + b->n_rows * b->n_terms, &counts, err)) != VT_OK)
            goto done;
        char number[32];
        int len = snprintf(number, sizeof number, "%zu", row_number);
        int added = id_field >= 0 ? block_add_id(b, row->fields[id_field], row->lengths[id_field])
                                  : block_add_id(b, number, (size_t)len);
        if (added) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        if (++b->n_rows == b->cap_rows && (status = flush_block(m, &state, report, err)) != VT_OK)
            goto done;
    }
    if ((status = flush_block(m, &state, report, err)) != VT_OK)
        goto done;
    report->n_imputed = counts.n_imputed;
    report->n_unseen = counts.n_unseen;
    status = outfile_commit(state.file, err);
    state.file = NULL;
done:
    stream_state_free(&state);
    return status;
}
