#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
#include "row_stream.h"
#include "curve.h"
#include "numparse.h"
#include "score.h"
#include "table.h"

void compare_rows_free(compare_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->ids[i]);
    free(r->ids);
    free(r->y);
    free(r->risk);
    free(r->health);
    free(r->model_bucket);
    free(r->card_bucket);
    free(r->curve_feature);
    free(r->curve_x);
    free(r->curve_f);
    memset(r, 0, sizeof *r);
}

/* Room for `more` rows after the n there are, in every column (they share
 * one capacity; the curves' only when there are curves). */
static int rows_grow(compare_rows *r, size_t more)
{
    if (r->cap - r->n >= more)
        return 0;
    void **columns[] = {(void **)&r->y, (void **)&r->risk, (void **)&r->health, (void **)&r->model_bucket,
                        (void **)&r->card_bucket, (void **)&r->ids, (void **)&r->curve_x, (void **)&r->curve_f};
    size_t sizes[] = {sizeof(double), sizeof(double), sizeof(double), 1, 1, sizeof(char *),
                      r->n_curves * sizeof(double), r->n_curves * sizeof(double)};
    return vt_grow_columns(columns, sizes, r->n_curves ? 8 : 6, &r->cap, r->n + more);
}

/* What every block shares, read-only on the workers. */
typedef struct {
    const model *m;
    const model_target *t;
    size_t target;
    const scorecard *card;
    scorer *sc;
    scorecard_binding *binding;
    long label, id;
    long *curve_fields;      /* per curve: its header position */
    const char *path;
    compare_rows *out;       /* the rows kept, merged in input order */
} compare_job;

/* A worker thread's scratch. */
typedef struct {
    const compare_job *job;
    double *x, *points;
} compare_worker;

/* The model's smooth columns, and where each is in the header (-1: the
 * scorer refuses the header). */
static int curves_find(compare_job *job, const row_stream *rows)
{
    const model *m = job->m;
    compare_rows *out = job->out;
    for (size_t f = 0; f < m->enc->n_features; f++)
        out->n_curves += m->enc->features[f].smooth != NULL;
    out->curve_feature = vt_calloc(out->n_curves + 1, sizeof(size_t));
    job->curve_fields = vt_calloc(out->n_curves + 1, sizeof(long));
    if (out->curve_feature == NULL || job->curve_fields == NULL)
        return -1;
    for (size_t f = 0, c = 0; f < m->enc->n_features; f++)
        if (m->enc->features[f].smooth) {
            out->curve_feature[c] = f;
            job->curve_fields[c++] = row_stream_find(rows, m->enc->features[f].name);
        }
    return 0;
}

/* Row i of part's curves: each column's value as the encoder read it
 * (scorer_row has checked the cell) and f(x) from the encoded row x. */
static void curves_row(const compare_job *job, const csv_row *row, const double *x, compare_rows *part, size_t i)
{
    const model *m = job->m;
    const model_target *t = job->t;
    size_t n_curves = job->out->n_curves;
    for (size_t c = 0; c < n_curves; c++) {
        const enc_feature *feature = &m->enc->features[job->out->curve_feature[c]];
        const char *text = row->fields[job->curve_fields[c]];
        size_t len = row->lengths[job->curve_fields[c]];
        double value = feature->impute;
        if (!table_is_missing(text, len, (const char *const *)m->na_tokens, m->n_na_tokens) &&
            num_parse(text, len, &value) != NUM_OK)
            value = feature->impute;
        double f = feature->smooth_by ? NAN : 0.0; /* a curve per level: no one f (its values are kept) */
        for (size_t k = feature->first_term; !feature->smooth_by && k < feature->first_term + feature->smooth->k - 1; k++)
            f += (t->aliased[k] ? 0.0 : t->estimate[k]) * x[k];
        part->curve_x[i * n_curves + c] = value;
        part->curve_f[i * n_curves + c] = f;
    }
}

/* The row's outcome: 1 kept (in *outcome), 0 missing (skip), or an error. */
static vt_status read_outcome(const csv_row *row, long label, const char *path, double *outcome, int *kept,
                              vt_err *err)
{
    *kept = 0;
    if (table_is_missing(row->fields[label], row->lengths[label], NULL, 0))
        return VT_OK;
    if (table_parse_label(row->fields[label], row->lengths[label], outcome) != 0) {
        char shown[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, path, row->line, label + 1, "'%s' is not 0/1, yes/no, true/false or t/f",
                          vt_quote(shown, sizeof shown, row->fields[label], row->lengths[label]));
    }
    *kept = 1;
    return VT_OK;
}

/* One row with an outcome, scored into part. */
static vt_status compare_row(const compare_worker *w, const csv_row *row, double outcome, compare_rows *part,
                             vt_err *err)
{
    const compare_job *job = w->job;
    score_counts counts = {0};
    score_result scored;
    sc_result result = {NAN, BUCKET_RED, w->points, 0};
    vt_status status = scorer_row(job->sc, row, w->x, &scored, &counts, err);
    if (status == VT_OK && job->card)
        status = scorecard_row(job->card, job->binding, row, job->path, &result, err);
    if (status != VT_OK)
        return status;
    if (rows_grow(part, 1))
        return vt_err_set(err, VT_ENOMEM, job->path, row->line, 0, "out of memory");
    size_t i = part->n++;
    part->y[i] = outcome;
    part->risk[i] = scored.probability[job->target];
    part->health[i] = result.health;
    part->card_bucket[i] = (unsigned char)result.level;
    part->model_bucket[i] =
        (unsigned char)score_bucket(score_health(part->risk[i]), job->m->red_below, job->m->yellow_below);
    curves_row(job, row, w->x, part, i);
    char line[32];
    snprintf(line, sizeof line, "%ld", row->line);
    if ((part->ids[i] = vt_strdup(job->id >= 0 ? row->fields[job->id] : line)) == NULL)
        return vt_err_set(err, VT_ENOMEM, job->path, row->line, 0, "out of memory");
    return VT_OK;
}

/* On a worker: the block's rows kept in part (a compare_rows of the
 * block's own, without curve_feature). */
static vt_status compare_block(void *state, const row_block *block, buf *text, void *result, vt_err *err)
{
    (void)text;
    const compare_worker *w = state;
    compare_rows *part = result;
    for (size_t i = 0; i < part->n; i++) /* what an unmerged block left */
        free(part->ids[i]);
    part->n = part->skipped = 0;
    part->n_curves = w->job->out->n_curves;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(block->rows, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        double outcome = 0;
        int kept = 0;
        if ((status = read_outcome(row, w->job->label, w->job->path, &outcome, &kept, err)) != VT_OK)
            return status;
        if (!kept)
            part->skipped++;
        else if ((status = compare_row(w, row, outcome, part, err)) != VT_OK)
            return status;
    }
}

/* In input order: the block's rows after those kept so far (the ids move). */
static vt_status compare_merge(void *user, void *result, const buf *text, vt_err *err)
{
    (void)text;
    compare_rows *out = ((const compare_job *)user)->out, *part = result;
    if (rows_grow(out, part->n))
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n = part->n, at = out->n, width = out->n_curves;
    out->skipped += part->skipped;
    if (n == 0) /* no arrays to copy from */
        return VT_OK;
    memcpy(out->y + at, part->y, n * sizeof *out->y);
    memcpy(out->risk + at, part->risk, n * sizeof *out->risk);
    memcpy(out->health + at, part->health, n * sizeof *out->health);
    memcpy(out->model_bucket + at, part->model_bucket, n);
    memcpy(out->card_bucket + at, part->card_bucket, n);
    memcpy(out->ids + at, part->ids, n * sizeof *out->ids);
    if (width) {
        memcpy(out->curve_x + at * width, part->curve_x, n * width * sizeof *out->curve_x);
        memcpy(out->curve_f + at * width, part->curve_f, n * width * sizeof *out->curve_f);
    }
    out->n += n;
    part->n = 0;
    return VT_OK;
}

static void compare_release(void *result) { compare_rows_free(result); }

/* Bind the model, the scorecard and the outcome to the header. */
static vt_status compare_bind(compare_job *job, const row_stream *rows, vt_err *err)
{
    const char *const *header = row_stream_header(rows);
    size_t n_columns = row_stream_n_columns(rows);
    job->label = row_stream_find(rows, job->t->label);
    job->id = job->m->id_column ? row_stream_find(rows, job->m->id_column) : -1;
    if (curves_find(job, rows) != 0)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (job->label < 0)
        return vt_err_set(err, VT_EDATA, job->path, 1, 0, "no outcome column '%s' (the model's %s label)",
                          job->t->label, job->t->name);
    vt_status status = scorer_new(job->m, job->path, header, n_columns, 1, &job->sc, err);
    if (status == VT_OK)
        scorer_read_booleans(job->sc, row_stream_booleans(rows));
    if (status == VT_OK && job->card)
        status = scorecard_bind(job->card, job->path, header, n_columns, &job->binding, err);
    return status;
}

static vt_status compare_worker_init(void *state, void *user, vt_err *err)
{
    compare_worker *w = state;
    const compare_job *job = user;
    *w = (compare_worker){job, vt_calloc(job->m->enc->n_terms, sizeof(double)),
                          vt_calloc(job->card ? job->card->n_columns + 1 : 1, sizeof(double))};
    return w->x && w->points ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
}

static void compare_worker_free(void *state)
{
    compare_worker *w = state;
    free(w->x);
    free(w->points);
}

vt_status compare_read(const model *m, size_t target, const scorecard *card, const row_stream_options *input,
                       compare_rows *out, vt_err *err)
{
    compare_job job = {.m = m, .t = &m->targets[target], .target = target, .card = card, .out = out};
    out->target = target;
    row_stream *rows = NULL;
    vt_status status = row_stream_open(input, &rows, err);
    if (status == VT_OK) {
        job.path = row_stream_name(rows);
        status = compare_bind(&job, rows, err);
    }
    row_job run = {compare_block, compare_merge, compare_release, sizeof(compare_rows), &job};
    if (status == VT_OK)
        status = row_stream_run_workers(rows, row_stream_threads(input->threads), sizeof(compare_worker),
                                        compare_worker_init, compare_worker_free, &run, NULL, err);
    free(job.curve_fields);
    scorer_free(job.sc);
    scorecard_binding_free(job.binding);
    row_stream_free(rows);
    return status;
}

/* ---------------------------------------------------------- the weights */

static double card_weight(const scorecard *card, const char *column, int *higher_is_better)
{
    double weight = 0;
    for (size_t m = 0; m < card->sets[0].n_measures; m++)
        if (strcmp(card->sets[0].measures[m].column, column) == 0) {
            weight += card->sets[0].measures[m].weight;
            *higher_is_better = card->sets[0].measures[m].higher_is_better;
        }
    return weight;
}

/* A curve's spread (sd of f, divisor n - 1) and trend (least-squares
 * slope of f on x) over the rows; 0 and NaN without rows. */
static void curve_shape(const compare_rows *rows, size_t feature, double *spread, double *trend)
{
    *spread = 0;
    *trend = NAN;
    size_t c = 0;
    while (rows && c < rows->n_curves && rows->curve_feature[c] != feature)
        c++;
    if (rows == NULL || c == rows->n_curves || rows->n < 2)
        return;
    size_t stride = rows->n_curves;
    double mean_x = 0, mean_f = 0, sxx = 0, sxf = 0, sff = 0;
    for (size_t i = 0; i < rows->n; i++) {
        mean_x += rows->curve_x[i * stride + c];
        mean_f += rows->curve_f[i * stride + c];
    }
    mean_x /= (double)rows->n;
    mean_f /= (double)rows->n;
    for (size_t i = 0; i < rows->n; i++) {
        double dx = rows->curve_x[i * stride + c] - mean_x, df = rows->curve_f[i * stride + c] - mean_f;
        sxx += dx * dx;
        sxf += dx * df;
        sff += df * df;
    }
    *spread = sqrt(sff / (double)(rows->n - 1));
    *trend = sxx > 0 ? sxf / sxx : NAN;
}

/* The size of each feature (into out[f].model) and their total: terms in
 * term order, a curve's basis terms counting once, as its spread, at its
 * first term (out[f].trend its trend); a collinear group's terms once, as
 * the group's size, at its driver's first effect. */
static double feature_sizes(const model *m, const model_target *t, const compare_rows *rows, compare_weight *out)
{
    const encoding *enc = m->enc;
    double total = 0;
    for (size_t e = 0; e < encoding_n_effects(enc); e++) {
        out[e].model = 0;
        out[e].trend = NAN;
    }
    for (size_t g = 0; g < t->n_collinear; g++) {
        size_t e = (size_t)enc->term_effect[t->collinear[g].terms[0]];
        total += t->collinear[g].standardised;
        out[model_driver_head(&t->drivers, e)].model += t->collinear[g].standardised;
    }
    for (size_t k = 1; k < enc->n_terms; k++) {
        size_t f = (size_t)enc->term_effect[k];
        double term_size;
        if (model_in_collinear_group(t, k)) {
            continue;
        } else if (curve_is_basis_term(enc, k) && f < enc->n_features) {
            if (k != enc->features[f].first_term)
                continue;
            curve_shape(rows, f, &term_size, &out[f].trend);
        } else if (t->aliased[k]) {
            continue;
        } else {
            term_size = fabs(t->estimate[k] * enc->term_sd[k]);
        }
        total += term_size;
        out[f].model += term_size;
    }
    return total;
}

/* One row per driver, in place: a collinear group's effects as one at its
 * head, their shares added; no sign read from a driver holding a group's
 * terms (a group inside one column too). */
static size_t merge_collinear(const model *m, const model_target *t, compare_weight *out)
{
    const encoding *enc = m->enc;
    const model_drivers *drivers = &t->drivers;
    size_t n_effects = encoding_n_effects(enc), n = 0;
    for (size_t e = 0; e < n_effects; e++)
        out[e].not_identified = 0;
    for (size_t g = 0; g < t->n_collinear; g++)
        for (size_t i = 0; i < t->collinear[g].n_terms; i++)
            out[model_driver_head(drivers, (size_t)enc->term_effect[t->collinear[g].terms[i]])].not_identified = 1;
    for (size_t e = 0; e < n_effects; e++) {
        if (model_driver_head(drivers, e) != e)
            continue;
        compare_weight row = out[e]; /* n <= e: nothing read later is overwritten */
        if (model_driver_merged(drivers, e)) {
            double card = isnan(row.card) ? 0 : row.card;
            int measured = !isnan(row.card);
            for (size_t f = e + 1; f < n_effects; f++)
                if (model_driver_head(drivers, f) == e) {
                    row.model += out[f].model;
                    measured |= !isnan(out[f].card);
                    card += isnan(out[f].card) ? 0 : out[f].card;
                }
            row.card = measured ? card : NAN;
            row.column = model_driver_name(drivers, enc, e);
        }
        if (row.not_identified)
            row.sign_disagrees = 0;
        out[n++] = row;
    }
    return n;
}

size_t compare_weights(const model *m, size_t target, const scorecard *card, const compare_rows *rows,
                       compare_weight *out)
{
    const model_target *t = &m->targets[target];
    double card_total = 0;
    for (size_t i = 0; i < card->sets[0].n_measures; i++)
        card_total += card->sets[0].measures[i].weight;
    double model_total = feature_sizes(m, t, rows && rows->target == target ? rows : NULL, out);
    for (size_t f = 0; f < m->enc->n_features; f++) {
        const enc_feature *feature = &m->enc->features[f];
        int higher = 0;
        double weight = card_weight(card, feature->name, &higher);
        compare_weight *row = &out[f];
        row->column = feature->name;
        row->model = model_total > 0 ? row->model / model_total : 0;
        row->card = weight > 0 ? weight / card_total : NAN;
        row->curve = feature->type == TYPE_NUMERIC && feature->smooth != NULL;
        /* "higher is better" means more of it should lower churn risk; a
         * curve goes by its trend over the rows. */
        double slope = row->curve ? row->trend : t->aliased[feature->first_term] ? NAN : t->estimate[feature->first_term];
        row->sign_disagrees = weight > 0 && feature->type == TYPE_NUMERIC && !isnan(slope) &&
                              (higher ? slope > 0 : slope < 0);
    }
    for (size_t e = m->enc->n_features; e < encoding_n_effects(m->enc); e++) {
        compare_weight *row = &out[e];
        row->column = encoding_effect_name(m->enc, e);
        row->model = model_total > 0 ? row->model / model_total : 0;
        row->card = NAN;
        row->curve = 0;
        row->sign_disagrees = 0;
    }
    return merge_collinear(m, t, out);
}

double compare_rank_correlation(const compare_weight *weights, size_t n)
{
    double a[256], b[256], ra[256], rb[256];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 256; i++)
        if (!isnan(weights[i].card)) {
            a[k] = weights[i].card;
            b[k++] = weights[i].model;
        }
    if (k < 2)
        return NAN;
    for (size_t i = 0; i < k; i++) { /* average ranks for ties */
        double below_a = 0, equal_a = 0, below_b = 0, equal_b = 0;
        for (size_t j = 0; j < k; j++) {
            below_a += a[j] < a[i];
            equal_a += a[j] == a[i];
            below_b += b[j] < b[i];
            equal_b += b[j] == b[i];
        }
        ra[i] = below_a + (equal_a + 1) / 2;
        rb[i] = below_b + (equal_b + 1) / 2;
    }
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < k; i++) { /* sums of ranks are exact: equal ranks give exactly 0 spread */
        ma += ra[i];
        mb += rb[i];
    }
    ma /= (double)k;
    mb /= (double)k;
    for (size_t i = 0; i < k; i++) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

const char *compare_rank_undefined(const compare_weight *weights, size_t n)
{
    size_t measured = 0;
    for (size_t i = 0; i < n; i++)
        measured += !isnan(weights[i].card);
    return measured < 2 ? "fewer than two of the scorecard's columns are separate drivers of the model"
                        : "the scorecard weighs its measures equally";
}

/* ---------------------------------------------------------- the buckets */

void compare_bucket_counts(const double *y, const unsigned char *buckets, size_t n, size_t rows[3], size_t events[3])
{
    for (int b = 0; b < 3; b++)
        rows[b] = events[b] = 0;
    for (size_t i = 0; i < n; i++)
        if (buckets[i] < 3) {
            rows[buckets[i]]++;
            events[buckets[i]] += y[i] == 1.0;
        }
}

void compare_cross_table(const compare_rows *r, size_t rows[3][3], size_t events[3][3])
{
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            rows[a][b] = events[a][b] = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->card_bucket[i] < 3 && r->model_bucket[i] < 3) {
            rows[r->card_bucket[i]][r->model_bucket[i]]++;
            events[r->card_bucket[i]][r->model_bucket[i]] += r->y[i] == 1.0;
        }
}
