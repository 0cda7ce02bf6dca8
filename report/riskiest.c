#include "riskiest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

typedef struct {
    const model *m;
    size_t target;
    scorer *sc;
    long id;
    long *fields;        /* per effect: its column's header position, or -1 (a pair) */
    const char *path;
    riskiest *out;
} riskiest_job;

typedef struct {
    const riskiest_job *job;
    double *x, *effects;
    size_t *order;
} riskiest_worker;

static void row_free(riskiest_row *row)
{
    free(row->id);
    for (size_t d = 0; d < RISKIEST_DRIVERS; d++)
        free(row->cell[d]);
    memset(row, 0, sizeof *row);
}

void riskiest_free(riskiest *r)
{
    for (size_t i = 0; i < r->n; i++)
        row_free(&r->rows[i]);
    r->n = 0;
}

/* Riskier first; equal risk, the earlier line first: an order every
 * block split gives alike. */
static int before(const riskiest_row *a, const riskiest_row *b)
{
    return a->risk > b->risk || (a->risk == b->risk && a->line < b->line);
}

/* Insert row (taken: its strings move) keeping the RISKIEST_ROWS first;
 * one that does not make the list is freed. */
static void keep(riskiest *list, riskiest_row *row)
{
    if (list->n == RISKIEST_ROWS && !before(row, &list->rows[RISKIEST_ROWS - 1])) {
        row_free(row);
        return;
    }
    if (list->n == RISKIEST_ROWS)
        row_free(&list->rows[--list->n]);
    size_t at = list->n;
    while (at > 0 && before(row, &list->rows[at - 1]))
        at--;
    memmove(&list->rows[at + 1], &list->rows[at], (list->n - at) * sizeof *row);
    list->rows[at] = *row;
    list->n++;
    memset(row, 0, sizeof *row);
}

/* A row that may make the list: its id, drivers and cells copied. */
static vt_status candidate(const riskiest_worker *w, const csv_row *row, const score_result *scored,
                           riskiest_row *out, vt_err *err)
{
    const riskiest_job *job = w->job;
    size_t n_effects = encoding_n_effects(job->m->enc), wanted = RISKIEST_DRIVERS < n_effects ? RISKIEST_DRIVERS : n_effects;
    char line[32];
    snprintf(line, sizeof line, "%ld", row->line);
    *out = (riskiest_row){.line = row->line, .risk = scored->probability[job->target], .health = scored->health,
                          .bucket = (int)scored->level,
                          .scoring = model_scoring_target(job->m, scored->model, job->target)};
    size_t n_drivers = scorer_drivers(job->sc, w->x, scored->model, job->target, wanted, w->effects, w->order);
    wanted = wanted < n_drivers ? wanted : n_drivers;
    out->id = vt_strdup(job->id >= 0 ? row->fields[job->id] : line);
    int failed = out->id == NULL;
    for (size_t d = 0; d < wanted; d++) {
        size_t e = w->order[d];
        if (w->effects[e] == 0) /* a column at its mean drives nothing */
            break;
        out->effect[d] = e;
        out->effect_value[d] = w->effects[e];
        if (!model_driver_merged(&out->scoring->drivers, e) && job->fields[e] >= 0 &&
            (out->cell[d] = vt_strdup(scorer_cell(job->sc, e, row))) == NULL)
            failed = 1;
        out->n_drivers++;
    }
    if (failed) {
        row_free(out);
        return vt_err_set(err, VT_ENOMEM, job->path, row->line, 0, "out of memory");
    }
    return VT_OK;
}

static vt_status riskiest_block(void *state, const row_block *block, buf *text, void *result, vt_err *err)
{
    (void)text;
    const riskiest_worker *w = state;
    riskiest *part = result;
    riskiest_free(part); /* what an unmerged block left */
    part->read = 0;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(block->rows, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        score_counts counts = {0};
        score_result scored;
        if ((status = scorer_row(w->job->sc, row, w->x, &scored, &counts, err)) != VT_OK)
            return status;
        part->read++;
        riskiest_row probe = {.risk = scored.probability[w->job->target], .line = row->line};
        if (part->n == RISKIEST_ROWS && !before(&probe, &part->rows[RISKIEST_ROWS - 1]))
            continue;
        riskiest_row kept;
        if ((status = candidate(w, row, &scored, &kept, err)) != VT_OK)
            return status;
        keep(part, &kept);
    }
}

static vt_status riskiest_merge(void *user, void *result, const buf *text, vt_err *err)
{
    (void)text;
    (void)err;
    riskiest *out = ((const riskiest_job *)user)->out, *part = result;
    out->read += part->read;
    for (size_t i = 0; i < part->n; i++)
        keep(out, &part->rows[i]);
    part->n = 0;
    return VT_OK;
}

static void riskiest_release(void *result) { riskiest_free(result); }

static vt_status worker_init(void *state, void *user, vt_err *err)
{
    riskiest_worker *w = state;
    const riskiest_job *job = user;
    size_t n_effects = encoding_n_effects(job->m->enc);
    *w = (riskiest_worker){job, vt_calloc(job->m->enc->n_terms, sizeof(double)), vt_calloc(n_effects + 1, sizeof(double)),
                           vt_calloc(n_effects + 1, sizeof(size_t))};
    return w->x && w->effects && w->order ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
}

static void worker_free(void *state)
{
    riskiest_worker *w = state;
    free(w->x);
    free(w->effects);
    free(w->order);
}

vt_status riskiest_read(const model *m, size_t target, const row_stream_options *input, riskiest *out, vt_err *err)
{
    riskiest_job job = {.m = m, .target = target, .out = out};
    memset(out, 0, sizeof *out);
    row_stream *rows = NULL;
    size_t n_effects = encoding_n_effects(m->enc);
    vt_status status = row_stream_open(input, &rows, err);
    if (status == VT_OK) {
        job.path = row_stream_name(rows);
        job.id = m->id_column ? row_stream_find(rows, m->id_column) : -1;
        job.fields = vt_calloc(n_effects + 1, sizeof(long));
        if (job.fields == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t e = 0; job.fields && e < n_effects; e++)
            job.fields[e] = e < m->enc->n_features ? row_stream_find(rows, m->enc->features[e].name) : -1;
    }
    if (status == VT_OK)
        status = scorer_new(m, job.path, row_stream_header(rows), row_stream_n_columns(rows), 1, &job.sc, err);
    if (status == VT_OK)
        scorer_read_booleans(job.sc, row_stream_booleans(rows));
    row_job run = {riskiest_block, riskiest_merge, riskiest_release, sizeof(riskiest), &job};
    if (status == VT_OK)
        status = row_stream_run_workers(rows, row_stream_threads(input->threads), sizeof(riskiest_worker), worker_init,
                                        worker_free, &run, NULL, err);
    if (status != VT_OK)
        riskiest_free(out);
    free(job.fields);
    scorer_free(job.sc);
    row_stream_free(rows);
    return status;
}
