#include "drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
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

vt_status drift_score(const model *old_model, const model *new_model, const char *path, drift_risks *out,
                      vt_err *err)
{
    csv_reader *csv = NULL;
    vt_status status = csv_reader_open(path, new_model->delimiter, &csv, err);
    if (status != VT_OK)
        return status;
    size_t n_columns = csv_reader_n_columns(csv);
    const char **header = vt_calloc(n_columns, sizeof(char *));
    scorer *scorers[2] = {NULL, NULL};
    const model *models[2] = {old_model, new_model};
    double *x[2] = {vt_calloc(old_model->enc->n_terms, sizeof(double)), vt_calloc(new_model->enc->n_terms, sizeof(double))};
    if (!header || !x[0] || !x[1])
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; status == VT_OK && c < n_columns; c++)
        header[c] = csv_reader_column(csv, c);
    for (int k = 0; status == VT_OK && k < 2; k++)
        status = scorer_new(models[k], csv_reader_path(csv), header, n_columns, 1, &scorers[k], err);
    while (status == VT_OK) {
        const csv_row *row = NULL;
        if ((status = csv_reader_next(csv, &row, err)) != VT_OK || row == NULL)
            break;
        score_counts counts = {0};
        score_result scored[2];
        for (int k = 0; status == VT_OK && k < 2; k++)
            status = scorer_row(scorers[k], row, x[k], &scored[k], &counts, err);
        if (status != VT_OK)
            break;
        size_t old_cap = out->cap, new_cap = out->cap;
        if (vt_grow((void **)&out->old_risk, &old_cap, out->n + 1, sizeof(double)) != 0 ||
            vt_grow((void **)&out->new_risk, &new_cap, out->n + 1, sizeof(double)) != 0) {
            status = vt_err_set(err, VT_ENOMEM, path, row->line, 0, "out of memory");
            break;
        }
        out->cap = old_cap;
        out->old_risk[out->n] = scored[0].probability[scorer_churn(scorers[0])];
        out->new_risk[out->n++] = scored[1].probability[scorer_churn(scorers[1])];
    }
    for (int k = 0; k < 2; k++) {
        scorer_free(scorers[k]);
        free(x[k]);
    }
    free(header);
    csv_reader_free(csv);
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
