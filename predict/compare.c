#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
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
    memset(r, 0, sizeof *r);
}

/* Room for one more row in every column (they share one capacity). */
static int rows_grow(compare_rows *r)
{
    if (r->n < r->cap)
        return 0;
    void **columns[] = {(void **)&r->y, (void **)&r->risk, (void **)&r->health, (void **)&r->model_bucket,
                        (void **)&r->card_bucket, (void **)&r->ids};
    size_t sizes[] = {sizeof(double), sizeof(double), sizeof(double), 1, 1, sizeof(char *)};
    return vt_grow_columns(columns, sizes, sizeof sizes / sizeof sizes[0], &r->cap, r->n + 1);
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

vt_status compare_read(const model *m, size_t target, const scorecard *card, const char *path, const char *query,
                       compare_rows *out, vt_err *err)
{
    csv_reader *csv = NULL;
    vt_status status = csv_reader_open_query(path, query, m->delimiter, &csv, err);
    if (status != VT_OK)
        return status;
    size_t n_columns = csv_reader_n_columns(csv);
    const char **header = vt_calloc(n_columns, sizeof(char *));
    scorer *sc = NULL;
    scorecard_binding *binding = NULL;
    double *x = vt_calloc(m->enc->n_terms, sizeof(double));
    double *points = vt_calloc(card ? card->n_columns + 1 : 1, sizeof(double));
    const model_target *t = &m->targets[target];
    long label = csv_reader_find(csv, t->label), id = m->id_column ? csv_reader_find(csv, m->id_column) : -1;
    if (!header || !x || !points)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; status == VT_OK && c < n_columns; c++)
        header[c] = csv_reader_column(csv, c);
    if (status == VT_OK && label < 0)
        status = vt_err_set(err, VT_EDATA, csv_reader_path(csv), 1, 0, "no outcome column '%s' (the model's %s label)",
                            t->label, t->name);
    if (status == VT_OK)
        status = scorer_new(m, csv_reader_path(csv), header, n_columns, 1, &sc, err);
    if (status == VT_OK && card)
        status = scorecard_bind(card, csv_reader_path(csv), header, n_columns, &binding, err);
    while (status == VT_OK) {
        const csv_row *row = NULL;
        if ((status = csv_reader_next(csv, &row, err)) != VT_OK || row == NULL)
            break;
        double outcome = 0;
        int kept = 0;
        if ((status = read_outcome(row, label, csv_reader_path(csv), &outcome, &kept, err)) != VT_OK)
            break;
        if (!kept) {
            out->skipped++;
            continue;
        }
        score_counts counts = {0};
        score_result scored;
        sc_result result = {NAN, BUCKET_RED, points, 0};
        if ((status = scorer_row(sc, row, x, &scored, &counts, err)) != VT_OK ||
            (card && (status = scorecard_row(card, binding, row, csv_reader_path(csv), &result, err)) != VT_OK))
            break;
        if (rows_grow(out)) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        size_t i = out->n++;
        out->y[i] = outcome;
        out->risk[i] = scored.probability[target];
        out->health[i] = result.health;
        out->card_bucket[i] = (unsigned char)result.level;
        out->model_bucket[i] = (unsigned char)score_bucket(score_health(out->risk[i]), m->red_below, m->yellow_below);
        char line[32];
        snprintf(line, sizeof line, "%ld", row->line);
        out->ids[i] = vt_strdup(id >= 0 ? row->fields[id] : line);
        if (out->ids[i] == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    free(header);
    free(x);
    free(points);
    scorer_free(sc);
    scorecard_binding_free(binding);
    csv_reader_free(csv);
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

size_t compare_weights(const model *m, size_t target, const scorecard *card, compare_weight *out)
{
    const model_target *t = &m->targets[target];
    double card_total = 0, model_total = 0;
    for (size_t i = 0; i < card->sets[0].n_measures; i++)
        card_total += card->sets[0].measures[i].weight;
    for (size_t k = 1; k < m->enc->n_terms; k++)
        if (!t->aliased[k])
            model_total += fabs(t->estimate[k] * m->enc->term_sd[k]);
    size_t n = 0;
    for (size_t f = 0; f < m->enc->n_features; f++) {
        const enc_feature *feature = &m->enc->features[f];
        double size = 0;
        for (size_t k = feature->first_term; k < feature->first_term + feature->n_terms; k++)
            if (!t->aliased[k])
                size += fabs(t->estimate[k] * m->enc->term_sd[k]);
        int higher = 0;
        double weight = card_weight(card, feature->name, &higher);
        compare_weight *row = &out[n++];
        row->column = feature->name;
        row->model = model_total > 0 ? size / model_total : 0;
        row->card = weight > 0 ? weight / card_total : NAN;
        /* "higher is better" means more of it should lower churn risk. */
        row->sign_disagrees = weight > 0 && feature->type == TYPE_NUMERIC && !t->aliased[feature->first_term] &&
                              (higher ? t->estimate[feature->first_term] > 0 : t->estimate[feature->first_term] < 0);
    }
    return n;
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
