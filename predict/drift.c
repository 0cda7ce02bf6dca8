#include "drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
#include "row_stream.h"
#include "score.h"

static long find_term(const model *m, const char *name)
{
    for (size_t t = 0; t < m->enc->n_terms; t++)
        if (strcmp(m->enc->term_names[t], name) == 0)
            return (long)t;
    return -1;
}

size_t drift_terms(const model *old_model, const model_target *old, const model *new_model, const model_target *new,
                   double flag, drift_term *out)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        const model *m = pass == 0 ? old_model : new_model;
        for (size_t t = 0; t < m->enc->n_terms; t++) {
            const char *name = m->enc->term_names[t];
            long o = find_term(old_model, name), k = find_term(new_model, name);
            if (pass == 1 && o >= 0)
                continue; /* listed in the first pass */
            drift_term *item = &out[n++];
            memset(item, 0, sizeof *item);
            item->term = name;
            if (o < 0 || k < 0) {
                item->status = o < 0 ? DRIFT_ADDED : DRIFT_REMOVED;
                continue;
            }
            if (old->aliased[o] || new->aliased[k]) {
                item->status = DRIFT_ALIASED;
                continue;
            }
            item->old_estimate = old->estimate[o];
            item->new_estimate = new->estimate[k];
            item->change = new->estimate[k] - old->estimate[o];
            item->z = item->change /
                      sqrt(old->std_error[o] * old->std_error[o] + new->std_error[k] * new->std_error[k]);
            item->status = fabs(item->z) > flag ? DRIFT_CHANGED : DRIFT_SAME;
        }
    }
    return n;
}

void drift_risks_free(drift_risks *r)
{
    free(r->old_risk);
    free(r->new_risk);
    memset(r, 0, sizeof *r);
}

/* Room for `more` risks after the n there are in both columns. */
static int risks_grow(drift_risks *r, size_t more)
{
    if (r->cap - r->n >= more)
        return 0;
    void **columns[] = {(void **)&r->old_risk, (void **)&r->new_risk};
    size_t sizes[] = {sizeof(double), sizeof(double)};
    return vt_grow_columns(columns, sizes, 2, &r->cap, r->n + more);
}

/* What every block shares, read-only on the workers. */
typedef struct {
    const model *models[2];  /* old, new */
    scorer *scorers[2];
    const char *path;
    drift_risks *out;        /* merged in input order */
} drift_job;

/* A worker thread's scratch: each model's encoded row. */
typedef struct {
    const drift_job *job;
    double *x[2];
} drift_worker;

/* On a worker: both risks of the block's rows, into a drift_risks of its own. */
static vt_status drift_block(void *state, const row_block *block, buf *text, void *result, vt_err *err)
{
    (void)text;
    const drift_worker *w = state;
    const drift_job *job = w->job;
    drift_risks *part = result;
    part->n = 0;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(block->rows, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        score_counts counts = {0};
        score_result scored[2];
        for (int k = 0; status == VT_OK && k < 2; k++)
            status = scorer_row(job->scorers[k], row, w->x[k], &scored[k], &counts, err);
        if (status != VT_OK)
            return status;
        if (risks_grow(part, 1) != 0)
            return vt_err_set(err, VT_ENOMEM, job->path, row->line, 0, "out of memory");
        part->old_risk[part->n] = scored[0].probability[scorer_churn(job->scorers[0])];
        part->new_risk[part->n++] = scored[1].probability[scorer_churn(job->scorers[1])];
    }
}

static vt_status drift_merge(void *user, void *result, const buf *text, vt_err *err)
{
    (void)text;
    const drift_job *job = user;
    drift_risks *out = job->out;
    const drift_risks *part = result;
    if (risks_grow(out, part->n) != 0)
        return vt_err_set(err, VT_ENOMEM, job->path, 0, 0, "out of memory");
    if (part->n == 0) /* no arrays to copy from */
        return VT_OK;
    memcpy(out->old_risk + out->n, part->old_risk, part->n * sizeof *out->old_risk);
    memcpy(out->new_risk + out->n, part->new_risk, part->n * sizeof *out->new_risk);
    out->n += part->n;
    return VT_OK;
}

static void drift_release(void *result) { drift_risks_free(result); }

static vt_status drift_worker_init(void *state, void *user, vt_err *err)
{
    drift_worker *w = state;
    const drift_job *job = user;
    *w = (drift_worker){job, {vt_calloc(job->models[0]->enc->n_terms, sizeof(double)),
                              vt_calloc(job->models[1]->enc->n_terms, sizeof(double))}};
    return w->x[0] && w->x[1] ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
}

static void drift_worker_free(void *state)
{
    drift_worker *w = state;
    free(w->x[0]);
    free(w->x[1]);
}

vt_status drift_score(const model *old_model, const model *new_model, const row_stream_options *input,
                      drift_risks *out, vt_err *err)
{
    drift_job job = {.models = {old_model, new_model}, .out = out};
    row_stream *rows = NULL;
    vt_status status = row_stream_open(input, &rows, err);
    if (status == VT_OK)
        job.path = row_stream_name(rows);
    for (int k = 0; status == VT_OK && k < 2; k++)
        if ((status = scorer_new(job.models[k], job.path, row_stream_header(rows), row_stream_n_columns(rows), 1,
                                 &job.scorers[k], err)) == VT_OK)
            scorer_read_booleans(job.scorers[k], row_stream_booleans(rows));
    row_job run = {drift_block, drift_merge, drift_release, sizeof(drift_risks), &job};
    if (status == VT_OK)
        status = row_stream_run_workers(rows, row_stream_threads(input->threads), sizeof(drift_worker),
                                        drift_worker_init, drift_worker_free, &run, NULL, err);
    for (int k = 0; k < 2; k++)
        scorer_free(job.scorers[k]);
    row_stream_free(rows);
    return status;
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int drift_population(const model *old_model, const model *new_model, const drift_risks *r, drift_shift *out)
{
    memset(out, 0, sizeof *out);
    double *sorted = r->n ? vt_malloc(r->n * sizeof *sorted) : NULL;
    if (sorted == NULL)
        return -1;
    memcpy(sorted, r->old_risk, r->n * sizeof *sorted);
    qsort(sorted, r->n, sizeof *sorted, ascending);
    double edges[9];
    for (int d = 1; d < 10; d++)
        edges[d - 1] = sorted[r->n * (size_t)d / 10];
    size_t old_count[10] = {0}, new_count[10] = {0};
    for (size_t i = 0; i < r->n; i++) {
        int a = 0, b = 0;
        while (a < 9 && r->old_risk[i] >= edges[a])
            a++;
        while (b < 9 && r->new_risk[i] >= edges[b])
            b++;
        old_count[a]++;
        new_count[b]++;
        bucket before = score_bucket(score_health(r->old_risk[i]), old_model->red_below, old_model->yellow_below);
        bucket after = score_bucket(score_health(r->new_risk[i]), new_model->red_below, new_model->yellow_below);
        out->moves[before][after]++;
    }
    for (int d = 0; d < 10; d++) {
        double e = fmax((double)old_count[d] / (double)r->n, 1e-6), a = fmax((double)new_count[d] / (double)r->n, 1e-6);
        out->psi += (a - e) * log(a / e);
    }
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            out->changed += a == b ? 0 : out->moves[a][b];
    out->rows = r->n;
    free(sorted);
    return 0;
}
