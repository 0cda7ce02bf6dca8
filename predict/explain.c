#include "explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
#include "row_stream.h"
#include "score.h"

struct explain_then {
    const model *m;
    previous_scores *scores;
    size_t n_effects, n, cap;
    double *effects;          /* per id (previous_scores index), n_effects each */
    double *eta;              /* per id */
    size_t *model;            /* per id: 0 pooled, s + 1 --by level s */
};

void explain_then_free(explain_then *then)
{
    if (then == NULL)
        return;
    previous_free(then->scores);
    free(then->effects);
    free(then->eta);
    free(then->model);
    free(then);
}

/* Room for `more` ids after the n there are. */
static int then_grow(explain_then *then, size_t more)
{
    if (then->cap - then->n >= more)
        return 0;
    size_t width = then->n_effects ? then->n_effects : 1;
    void **columns[] = {(void **)&then->effects, (void **)&then->eta, (void **)&then->model};
    size_t sizes[] = {width * sizeof(double), sizeof(double), sizeof(size_t)};
    return vt_grow_columns(columns, sizes, sizeof sizes / sizeof sizes[0], &then->cap, then->n + more);
}

/* What every block shares, read-only on the workers. */
typedef struct {
    explain_then *then;
    scorer *sc;
    const char *path;
} then_job;

/* A worker thread's scratch. */
typedef struct {
    const then_job *job;
    double *x;
} then_worker;

/* One block's earlier rows, scored: ids, health and bucket in rows, and
 * per row its churn log-odds, model and contributions (then's layout). */
typedef struct {
    previous_batch rows;
    explain_then part;
} then_block;

/* One earlier row: scored, its contributions after the block's others. */
static vt_status then_row(const then_worker *w, const csv_row *row, then_block *block, vt_err *err)
{
    const then_job *job = w->job;
    const scorer *sc = job->sc;
    explain_then *part = &block->part;
    long id_field = scorer_id_field(sc);
    size_t churn = scorer_churn(sc);
    score_result result;
    score_counts counts = {0};
    vt_status status = scorer_row(sc, row, w->x, &result, &counts, err);
    if (status != VT_OK)
        return status;
    if (then_grow(part, 1) != 0 || previous_batch_push(&block->rows, row->fields[id_field], row->lengths[id_field],
                                                       row->line, result.health, (int)result.level) != 0)
        return vt_err_set(err, VT_ENOMEM, job->path, row->line, 0, "out of memory");
    scorer_effects(sc, w->x, result.model, churn, part->effects + part->n * part->n_effects);
    part->eta[part->n] = result.eta[churn];
    part->model[part->n++] = result.model;
    return VT_OK;
}

/* On a worker: the block's rows scored, its error kept after them. */
static vt_status then_process(void *state, const row_block *block, buf *text, void *result, vt_err *err)
{
    (void)text;
    (void)err;
    const then_worker *w = state;
    then_block *out = result;
    previous_batch_clear(&out->rows);
    out->part.n = 0;
    out->part.n_effects = w->job->then->n_effects;
    vt_status status = VT_OK;
    for (;;) {
        const csv_row *row = NULL;
        if ((status = csv_reader_next(block->rows, &row, &out->rows.err)) != VT_OK || row == NULL)
            break;
        if ((status = then_row(w, row, out, &out->rows.err)) != VT_OK)
            break;
    }
    out->rows.stopped = status;
    return VT_OK;
}

/* In input order: the block's ids into the table, its contributions after
 * the earlier ones (the ids' indexes), then its error. */
static vt_status then_merge(void *user, void *result, const buf *text, vt_err *err)
{
    (void)text;
    const then_job *job = user;
    explain_then *then = job->then;
    const then_block *block = result;
    const explain_then *part = &block->part;
    if (then_grow(then, part->n) != 0)
        return vt_err_set(err, VT_ENOMEM, job->path, 0, 0, "out of memory");
    if (part->n > 0) { /* a block that stopped at its first row has no arrays */
        memcpy(then->effects + then->n * then->n_effects, part->effects, part->n * then->n_effects * sizeof(double));
        memcpy(then->eta + then->n, part->eta, part->n * sizeof(double));
        memcpy(then->model + then->n, part->model, part->n * sizeof(size_t));
        then->n += part->n;
    }
    return previous_add_batch(then->scores, &block->rows, job->path, scorer_id_field(job->sc), err);
}

static void then_release(void *result)
{
    then_block *block = result;
    previous_batch_free(&block->rows);
    free(block->part.effects);
    free(block->part.eta);
    free(block->part.model);
}

static vt_status then_worker_init(void *state, void *user, vt_err *err)
{
    then_worker *w = state;
    const then_job *job = user;
    *w = (then_worker){job, vt_calloc(scorer_n_terms(job->sc), sizeof(double))};
    return w->x ? VT_OK : vt_err_set(err, VT_ENOMEM, job->path, 0, 0, "out of memory");
}

static void then_worker_free(void *state)
{
    then_worker *w = state;
    free(w->x);
}

static vt_status read_then(explain_then *then, row_stream *rows, size_t n_threads, int unseen_baseline, vt_err *err)
{
    then_job job = {then, NULL, row_stream_name(rows)};
    vt_status status = scorer_new(then->m, job.path, row_stream_header(rows), row_stream_n_columns(rows),
                                  unseen_baseline, &job.sc, err);
    if (status == VT_OK)
        scorer_read_booleans(job.sc, row_stream_booleans(rows));
    if (status == VT_OK && scorer_id_field(job.sc) < 0)
        status = vt_err_set(err, VT_EDATA, job.path, 1, 0, "no id column '%s' in the header", then->m->id_column);
    row_job run = {then_process, then_merge, then_release, sizeof(then_block), &job};
    if (status == VT_OK)
        status = row_stream_run_workers(rows, n_threads, sizeof(then_worker), then_worker_init, then_worker_free, &run,
                                        NULL, err);
    scorer_free(job.sc);
    return status;
}

vt_status explain_then_load(const model *m, const row_stream_options *input, int unseen_baseline, explain_then **out,
                            vt_err *err)
{
    *out = NULL;
    if (m->id_column == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--previous-data joins the snapshots by id: train the model with --id");
    explain_then *then = vt_calloc(1, sizeof *then);
    row_stream *rows = NULL;
    if (then == NULL || (then->scores = previous_new()) == NULL) {
        explain_then_free(then);
        return vt_err_set(err, VT_ENOMEM, input->path, 0, 0, "out of memory");
    }
    then->m = m;
    then->n_effects = encoding_n_effects(m->enc);
    vt_status status = row_stream_open(input, &rows, err);
    if (status == VT_OK)
        status = read_then(then, rows, row_stream_threads(input->threads), unseen_baseline, err);
    if (status == VT_OK && previous_finish(then->scores) != 0)
        status = vt_err_set(err, VT_ENOMEM, row_stream_name(rows), 0, 0, "out of memory");
    row_stream_free(rows);
    if (status != VT_OK) {
        explain_then_free(then);
        return status;
    }
    *out = then;
    return VT_OK;
}

previous_scores *explain_then_scores(const explain_then *then) { return then->scores; }
double explain_then_eta(const explain_then *then, long index) { return then->eta[index]; }

size_t explain_change(const explain_then *then, long index, size_t model_now, const double *effects_now,
                      double eta_now, size_t wanted, double *change, size_t *order, const model_drivers **drivers)
{
    const model *m = then->m;
    size_t n = then->n_effects, churn = score_churn_index(m);
    const double *before = then->effects + (size_t)index * n;
    const model_target *now = model_scoring_target(m, model_now, churn);
    *drivers = &now->drivers;
    for (size_t f = 0; f < n; f++) {
        change[f] = effects_now[f] - before[f];
        order[f] = f;
    }
    /* Another --by model then and now: each one's collinear groups are one
     * driver, against each fit's own average account; their constants
     * moved the log-odds too. */
    change[n] = 0;
    if (then->model[index] != model_now) {
        *drivers = &m->moved_drivers;
        model_centre_groups(now, *drivers, m->enc, 1, change);
        model_centre_groups(model_scoring_target(m, then->model[index], churn), *drivers, m->enc, -1, change);
        double moved = 0;
        for (size_t f = 0; f < n; f++)
            moved += change[f];
        change[n] = (eta_now - then->eta[index]) - moved;
    }
    model_merge_drivers(*drivers, n, change);
    order[n] = n;
    if (wanted > n + 1)
        wanted = n + 1;
    for (size_t i = 0; i < wanted; i++) { /* partial selection sort, as scorer_drivers */
        size_t best = i;
        for (size_t j = i + 1; j <= n; j++)
            if (fabs(change[order[j]]) > fabs(change[order[best]]))
                best = j;
        size_t keep = order[i];
        order[i] = order[best];
        order[best] = keep;
        if (change[order[i]] == 0) /* the rest are 0 too: nothing to name */
            return i;
    }
    return wanted;
}
