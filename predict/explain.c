#include "explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
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

static int then_grow(explain_then *then)
{
    if (then->n < then->cap)
        return 0;
    size_t width = then->n_effects ? then->n_effects : 1;
    void **columns[] = {(void **)&then->effects, (void **)&then->eta, (void **)&then->model};
    size_t sizes[] = {width * sizeof(double), sizeof(double), sizeof(size_t)};
    return vt_grow_columns(columns, sizes, sizeof sizes / sizeof sizes[0], &then->cap, then->n + 1);
}

/* One earlier row: scored, its contributions kept under its id. */
static vt_status then_row(explain_then *then, const scorer *sc, const csv_row *row, long id_field, double *x,
                          size_t *order, const char *path, vt_err *err)
{
    score_result result;
    score_counts counts = {0};
    size_t churn = scorer_churn(sc);
    vt_status status = scorer_row(sc, row, x, &result, &counts, err);
    if (status != VT_OK)
        return status;
    if (then_grow(then) != 0)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    long index = previous_add(then->scores, row->fields[id_field], row->lengths[id_field], result.health,
                              (int)result.level);
    if (index == -1)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    if (index == -2) {
        char shown[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, path, row->line, id_field + 1, "id '%s' appears twice",
                          vt_quote(shown, sizeof shown, row->fields[id_field], row->lengths[id_field]));
    }
    scorer_drivers(sc, x, result.model, churn, 0, then->effects + (size_t)index * then->n_effects, order);
    then->eta[index] = result.eta[churn];
    then->model[index] = result.model;
    then->n++;
    return VT_OK;
}

static vt_status read_then(explain_then *then, csv_reader *csv, int unseen_baseline, vt_err *err)
{
    const char *path = csv_reader_path(csv);
    size_t n_columns = csv_reader_n_columns(csv);
    const char **header = vt_calloc(n_columns ? n_columns : 1, sizeof(char *));
    scorer *sc = NULL;
    double *x = NULL;
    size_t *order = vt_calloc(then->n_effects + 1, sizeof(size_t));
    vt_status status = header && order ? VT_OK : vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    for (size_t c = 0; status == VT_OK && c < n_columns; c++)
        header[c] = csv_reader_column(csv, c);
    if (status == VT_OK)
        status = scorer_new(then->m, path, header, n_columns, unseen_baseline, &sc, err);
    if (status == VT_OK && scorer_id_field(sc) < 0)
        status = vt_err_set(err, VT_EDATA, path, 1, 0, "no id column '%s' in the header", then->m->id_column);
    if (status == VT_OK && (x = vt_calloc(scorer_n_terms(sc), sizeof(double))) == NULL)
        status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    while (status == VT_OK) {
        const csv_row *row = NULL;
        if ((status = csv_reader_next(csv, &row, err)) != VT_OK || row == NULL)
            break;
        status = then_row(then, sc, row, scorer_id_field(sc), x, order, path, err);
    }
    free(header);
    free(order);
    free(x);
    scorer_free(sc);
    return status;
}

vt_status explain_then_load(const model *m, const char *path, char delimiter, int unseen_baseline,
                            explain_then **out, vt_err *err)
{
    *out = NULL;
    if (m->id_column == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--previous-data joins the snapshots by id: train the model with --id");
    explain_then *then = vt_calloc(1, sizeof *then);
    csv_reader *csv = NULL;
    if (then == NULL || (then->scores = previous_new()) == NULL) {
        explain_then_free(then);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    then->m = m;
    then->n_effects = encoding_n_effects(m->enc);
    vt_status status = csv_reader_open(path, delimiter ? delimiter : m->delimiter, &csv, err);
    if (status == VT_OK)
        status = read_then(then, csv, unseen_baseline, err);
    if (status == VT_OK && previous_finish(then->scores) != 0)
        status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    csv_reader_free(csv);
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
                      double eta_now, size_t wanted, double *change, size_t *order)
{
    size_t n = then->n_effects;
    const double *before = then->effects + (size_t)index * n;
    for (size_t f = 0; f < n; f++) {
        change[f] = effects_now[f] - before[f];
        order[f] = f;
    }
    /* Another --by model then and now: its constant moved the log-odds too. */
    change[n] = 0;
    if (then->model[index] != model_now) {
        double moved = 0;
        for (size_t f = 0; f < n; f++)
            moved += change[f];
        change[n] = (eta_now - then->eta[index]) - moved;
    }
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
