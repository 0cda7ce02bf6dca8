#include "pair_search.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

/* One candidate: its columns [first, first + df) of the concatenated Z. */
typedef struct {
    size_t a, b, first, df;
} candidate;

/* The columns a feature brings to a small pair term: a numeric value
 * (centred and scaled), or the levels but the baseline. */
static size_t side_columns(const enc_feature *feature)
{
    return feature->type == TYPE_NUMERIC ? 1 : feature->n_levels ? feature->n_levels - 1 : 0;
}

/* A feature's side values on one row: the centred value (imputed), or
 * the level indicators as the encoded row x holds them. */
static void side_values(const enc_feature *feature, const table_column *column, size_t table_row, const double *x,
                        double *out)
{
    if (feature->type == TYPE_NUMERIC) {
        double v = column->values[table_row];
        out[0] = ((isnan(v) ? feature->impute : v) - feature->mean) / (feature->sd > 0 ? feature->sd : 1.0);
        return;
    }
    for (size_t l = 1; l < feature->n_levels; l++)
        out[l - 1] = x[feature->first_term + l - 1];
}

/* Column t's scale in X (1 for the intercept or without spread). */
static double column_scale(const pair_search_fit *fit, size_t t)
{
    return fit->term_sd && t > 0 && fit->term_sd[t] > 0 ? fit->term_sd[t] : 1.0;
}

static int by_strength(const void *pa, const void *pb)
{
    const pair_score *a = pa, *b = pb;
    int a_nan = isnan(a->z), b_nan = isnan(b->z);
    if (a_nan != b_nan)
        return a_nan - b_nan;
    if (!a_nan && a->z != b->z)
        return a->z > b->z ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* Wilson and Hilferty (1931): (S/q)^(1/3) is nearly normal. */
static double wilson_hilferty(double statistic, size_t df)
{
    double q = (double)df, v = 2.0 / (9.0 * q);
    return (cbrt(statistic / q) - (1.0 - v)) / sqrt(v);
}

typedef struct {
    size_t p, n_z, n_cands;
    size_t *kept;         /* p: the design columns in X (aliased ones left out) */
    candidate *cands;
    double *g, *b, *c, *u; /* p x p, p x n_z, n_z x n_z (only each candidate's block is used), n_z */
    double *ux;            /* p: X'r */
    double share;          /* rows sampled / fitting rows */
    double *x, *xk, *z, *side_a, *side_b;
} sums;

static void sums_free(sums *s)
{
    free(s->kept);
    free(s->cands);
    free(s->g);
    free(s->b);
    free(s->c);
    free(s->u);
    free(s->ux);
    free(s->x);
    free(s->xk);
    free(s->z);
    free(s->side_a);
    free(s->side_b);
}

static vt_status sums_init(const pair_search_fit *fit, sums *s)
{
    const encoding *enc = fit->enc;
    size_t F = enc->n_features, max_side = 1;
    s->kept = vt_calloc(enc->n_terms, sizeof(size_t));
    s->cands = vt_calloc(F * F / 2 + 1, sizeof(candidate));
    if (s->kept == NULL || s->cands == NULL)
        return VT_ENOMEM;
    for (size_t t = 0; t < enc->n_terms; t++)
        if (!fit->aliased[t])
            s->kept[s->p++] = t;
    for (size_t a = 0; a < F; a++) {
        if (side_columns(&enc->features[a]) > max_side)
            max_side = side_columns(&enc->features[a]);
        for (size_t b = a + 1; b < F; b++) {
            size_t df = side_columns(&enc->features[a]) * side_columns(&enc->features[b]);
            if (df == 0 || df > PAIR_SEARCH_MAX_COLUMNS)
                continue;
            s->cands[s->n_cands++] = (candidate){a, b, s->n_z, df};
            s->n_z += df;
        }
    }
    size_t p = s->p, n_z = s->n_z ? s->n_z : 1;
    s->g = vt_calloc(p * p, sizeof(double));
    s->b = vt_calloc(p * n_z, sizeof(double));
    s->c = vt_calloc(n_z * PAIR_SEARCH_MAX_COLUMNS, sizeof(double)); /* row j: its candidate's block row */
    s->u = vt_calloc(n_z, sizeof(double));
    s->ux = vt_calloc(p ? p : 1, sizeof(double));
    s->x = vt_calloc(enc->n_terms, sizeof(double));
    s->xk = vt_calloc(p, sizeof(double));
    s->z = vt_calloc(n_z, sizeof(double));
    s->side_a = vt_calloc(max_side, sizeof(double));
    s->side_b = vt_calloc(max_side, sizeof(double));
    return s->g && s->b && s->c && s->u && s->ux && s->x && s->xk && s->z && s->side_a && s->side_b ? VT_OK : VT_ENOMEM;
}

/* One row's share: G += w x x', B += w x z', C += w z z' per candidate, u += r z. */
static void add_row(const pair_search_fit *fit, sums *s, const table_column **columns, size_t table_row, double w,
                    double r)
{
    const encoding *enc = fit->enc;
    size_t p = s->p;
    for (size_t j = 0; j < p; j++) {
        size_t t = s->kept[j];
        s->xk[j] = t > 0 && fit->term_mean ? (s->x[t] - fit->term_mean[t]) / column_scale(fit, t) : s->x[t];
    }
    for (size_t c = 0; c < s->n_cands; c++) {
        const candidate *cand = &s->cands[c];
        const enc_feature *fa = &enc->features[cand->a], *fb = &enc->features[cand->b];
        size_t n_a = side_columns(fa), n_b = side_columns(fb);
        side_values(fa, columns[cand->a], table_row, s->x, s->side_a);
        side_values(fb, columns[cand->b], table_row, s->x, s->side_b);
        for (size_t j = 0; j < n_b; j++)
            for (size_t i = 0; i < n_a; i++)
                s->z[cand->first + j * n_a + i] = s->side_a[i] * s->side_b[j];
    }
    for (size_t i = 0; i < p; i++) {
        double wx = w * s->xk[i];
        s->ux[i] += r * s->xk[i];
        for (size_t j = i; j < p; j++)
            s->g[i * p + j] += wx * s->xk[j];
    }
    for (size_t c = 0; c < s->n_cands; c++) {
        const candidate *cand = &s->cands[c];
        for (size_t j = 0; j < cand->df; j++) {
            double zj = s->z[cand->first + j];
            if (zj == 0)
                continue; /* a level the row does not have: most of a categorical pair's */
            double wz = w * zj;
            s->u[cand->first + j] += r * zj;
            double *brow = s->b + cand->first + j;
            for (size_t i = 0; i < p; i++)
                brow[i * s->n_z] += wz * s->xk[i];
            double *crow = s->c + (cand->first + j) * PAIR_SEARCH_MAX_COLUMNS;
            for (size_t l = 0; l < cand->df; l++)
                crow[l] += wz * s->z[cand->first + l];
        }
    }
}

/* The statistic of each candidate from the sums. */
static vt_status score_candidates(const pair_search_fit *fit, sums *s, pair_score *out, vt_err *err)
{
    size_t p = s->p, n_z = s->n_z;
    for (size_t i = 0; i < p; i++) /* the penalty, then the lower triangle */
        for (size_t j = i; j < p; j++) {
            if (fit->penalty) {
                size_t a = s->kept[i], b = s->kept[j];
                s->g[i * p + j] +=
                    s->share * fit->penalty[a * fit->enc->n_terms + b] / (column_scale(fit, a) * column_scale(fit, b));
            }
            s->g[j * p + i] = s->g[i * p + j];
        }
    /* X'r - S beta in X's scaling: 0 over every fitting row, not on a sample */
    size_t n_terms = fit->enc->n_terms;
    for (size_t i = 0; fit->penalty && fit->beta && i < p; i++) {
        size_t a = s->kept[i];
        double s_beta = 0;
        for (size_t b = 0; b < n_terms; b++)
            s_beta += fit->penalty[a * n_terms + b] * fit->beta[b];
        s->ux[i] -= s->share * s_beta * column_scale(fit, a);
    }
    if (cholesky_factor(s->g, p) != VT_OK)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "--interact auto: the additive fit's information is singular");
    double *hinv_ux = vt_calloc(p ? p : 1, sizeof(double));
    if (hinv_ux == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    cholesky_solve(s->g, p, s->ux, hinv_ux);
    for (size_t j = 0; j < n_z; j++) { /* U = Z'r - B' H^-1 (X'r - S beta) */
        double adjust = 0;
        for (size_t i = 0; i < p; i++)
            adjust += s->b[i * n_z + j] * hinv_ux[i];
        s->u[j] -= adjust;
    }
    free(hinv_ux);
    double *column = vt_calloc(p, sizeof(double)), *solved = vt_calloc(p, sizeof(double));
    double *info = vt_calloc(PAIR_SEARCH_MAX_COLUMNS * PAIR_SEARCH_MAX_COLUMNS, sizeof(double));
    double *hb = vt_calloc(p * PAIR_SEARCH_MAX_COLUMNS, sizeof(double)), *v = vt_calloc(PAIR_SEARCH_MAX_COLUMNS, sizeof(double));
    if (!column || !solved || !info || !hb || !v) {
        free(column);
        free(solved);
        free(info);
        free(hb);
        free(v);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t c = 0; c < s->n_cands; c++) {
        const candidate *cand = &s->cands[c];
        size_t q = cand->df;
        for (size_t j = 0; j < q; j++) { /* H^-1 B_c, column by column */
            for (size_t i = 0; i < p; i++)
                column[i] = s->b[i * n_z + cand->first + j];
            cholesky_solve(s->g, p, column, solved);
            memcpy(hb + j * p, solved, p * sizeof(double));
        }
        for (size_t j = 0; j < q; j++)
            for (size_t l = 0; l < q; l++) {
                double adjust = 0;
                for (size_t i = 0; i < p; i++)
                    adjust += s->b[i * n_z + cand->first + j] * hb[l * p + i];
                info[j * q + l] = s->c[(cand->first + j) * PAIR_SEARCH_MAX_COLUMNS + l] - adjust;
            }
        pair_score *score = &out[c];
        *score = (pair_score){cand->a, cand->b, q, NAN, NAN, NAN};
        if (cholesky_factor(info, q) != VT_OK)
            continue; /* the pair term lies in the additive fit's span: nothing to test */
        cholesky_solve(info, q, s->u + cand->first, v);
        double statistic = 0;
        for (size_t j = 0; j < q; j++)
            statistic += s->u[cand->first + j] * v[j];
        score->statistic = statistic;
        score->p_value = gsl_cdf_chisq_Q(statistic, (double)q);
        score->z = wilson_hilferty(statistic, q);
    }
    free(column);
    free(solved);
    free(info);
    free(hb);
    free(v);
    return VT_OK;
}

vt_status pair_search_rank(const pair_search_fit *fit, pair_score **out, size_t *n_out, vt_err *err)
{
    *out = NULL;
    *n_out = 0;
    const encoding *enc = fit->enc;
    const table *data = fit->data;
    sums s = {0};
    design_source *rows = NULL;
    size_t *table_rows = vt_calloc(data->n_rows ? data->n_rows : 1, sizeof(size_t));
    const table_column **columns = vt_calloc(enc->n_features ? enc->n_features : 1, sizeof *columns);
    vt_status status = table_rows && columns && sums_init(fit, &s) == VT_OK ? VT_OK : VT_ENOMEM;
    if (status == VT_OK)
        status = design_source_new(enc, data, fit->row_used, &rows, err);
    else
        vt_err_set(err, status, NULL, 0, 0, "out of memory");
    pair_score *scores = NULL;
    if (status == VT_OK) {
        size_t n_used = 0, n_fitting = 0;
        for (size_t r = 0; r < data->n_rows; r++)
            if (fit->row_used[r])
                table_rows[n_used++] = r;
        size_t *fitting = vt_malloc((n_used ? n_used : 1) * sizeof *fitting);
        if (fitting == NULL) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < n_used; i++)
            if (fit->held_out == NULL || fit->held_out[i] == 0)
                fitting[n_fitting++] = i;
        for (size_t f = 0; f < enc->n_features; f++)
            columns[f] = table_find((table *)data, enc->features[f].name);
        size_t stride = (n_fitting + PAIR_SEARCH_ROWS - 1) / PAIR_SEARCH_ROWS, n_sampled = 0;
        for (size_t j = 0; j < n_fitting; j += stride ? stride : 1, n_sampled++) {
            size_t i = fitting[j];
            design_source_fill(rows, i, 1, s.x);
            double prior = fit->prior ? fit->prior[i] : 1.0, mu = fit->mu[i];
            add_row(fit, &s, columns, table_rows[i], prior * mu * (1 - mu), prior * (fit->y[i] - mu));
        }
        free(fitting);
        s.share = n_fitting ? (double)n_sampled / (double)n_fitting : 1.0;
        if ((scores = vt_calloc(s.n_cands ? s.n_cands : 1, sizeof *scores)) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (status == VT_OK)
        status = score_candidates(fit, &s, scores, err);
    if (status == VT_OK) {
        qsort(scores, s.n_cands, sizeof *scores, by_strength);
        *out = scores;
        *n_out = s.n_cands;
        scores = NULL;
    }
done:
    free(scores);
    design_source_free(rows);
    sums_free(&s);
    free(table_rows);
    free(columns);
    return status;
}
