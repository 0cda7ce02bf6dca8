#include "curve.h"

#include <math.h>
#include <string.h>

#include "smooth.h"
#include "tensor.h"

static long find_feature(const model *m, const char *name)
{
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (strcmp(m->enc->features[f].name, name) == 0)
            return (long)f;
    return -1;
}

static long find_term(const model *m, const char *name)
{
    for (size_t t = 0; t < m->enc->n_terms; t++)
        if (strcmp(m->enc->term_names[t], name) == 0)
            return (long)t;
    return -1;
}

int curve_is_basis_term(const encoding *enc, size_t term)
{
    return encoding_term_is_basis(enc, term);
}

/* Whether m's term is a basis term, or the linear term of a column other smooths. */
static int in_curve(const model *m, const model *other, long term)
{
    if (term <= 0)
        return 0;
    if (curve_is_basis_term(m->enc, (size_t)term))
        return 1;
    if (m->enc->term_feature[term] < 0)
        return 0; /* a pair's term */
    const enc_feature *feature = &m->enc->features[m->enc->term_feature[term]];
    if (feature->type != TYPE_NUMERIC || (size_t)term != feature->first_term)
        return 0; /* a level, or the COL_missing term */
    long f = find_feature(other, feature->name);
    return f >= 0 && other->enc->features[f].type == TYPE_NUMERIC && other->enc->features[f].smooth != NULL;
}

int curve_term_in_curve(const model *m, const model *other, const char *term)
{
    return in_curve(m, other, find_term(m, term)) || in_curve(other, m, find_term(other, term));
}

static long smooth_index(const model_target *t, size_t feature, long level)
{
    for (size_t s = 0; t->smooth && s < t->smooth->n_smooths; s++)
        if (t->smooth->feature[s] == feature && t->smooth->level[s] == level && t->smooth->tensor[s] < 0)
            return (long)s;
    return -1;
}

long curve_smooth_index(const model_target *t, size_t feature)
{
    return smooth_index(t, feature, -1);
}

/* sqrt(d' V d) for V an n x n covariance block, summed row by row. */
static double quadratic_se(const double *cov, const double *d, size_t n)
{
    double quadratic = 0.0;
    for (size_t i = 0; i < n; i++) {
        double row = 0.0;
        for (size_t j = 0; j < n; j++)
            row += cov[i * n + j] * d[j];
        quadratic += d[i] * row;
    }
    return sqrt(fmax(quadratic, 0.0));
}

static double coefficient(const model_target *t, size_t term)
{
    return t->aliased[term] ? 0.0 : t->estimate[term];
}

/* The curve's row at x (OUT, returns its length): a smooth's k - 1 basis
 * values, or a linear column's x - mean; f(x) is its product with the
 * feature's coefficients. */
static size_t curve_row(const model *m, size_t feature, double x, double *b)
{
    const enc_feature *f = &m->enc->features[feature];
    if (f->smooth == NULL) {
        b[0] = x - m->enc->term_mean[f->first_term];
        return 1;
    }
    smooth_eval(f->smooth, x, b);
    return f->smooth->k - 1;
}

/* (b - centre) . beta and, se not NULL, sqrt((b - centre)' V (b - centre))
 * with V the smooth's covariance block or a linear term's SE^2 (NaN when
 * the target holds no covariance for the smooth). */
static void curve_value(const model *m, const model_target *t, size_t feature, long level, const double *b,
                        const double *centre, size_t n, double *value, double *se)
{
    const enc_feature *f = &m->enc->features[feature];
    size_t first = level >= 0 ? f->by_first_term + (size_t)level * (f->smooth->k - 1) : f->first_term;
    double d[SMOOTH_MAX_K], sum = 0.0;
    for (size_t j = 0; j < n; j++) {
        d[j] = b[j] - (centre ? centre[j] : 0.0);
        sum += coefficient(t, first + j) * d[j];
    }
    *value = sum;
    if (se == NULL)
        return;
    if (m->enc->features[feature].smooth == NULL) {
        *se = t->aliased[first] ? 0.0 : fabs(d[0]) * t->std_error[first];
        return;
    }
    long s = smooth_index(t, feature, level);
    if (s < 0 || t->smooth->cov == NULL || t->smooth->cov[s] == NULL) {
        *se = NAN;
        return;
    }
    *se = quadratic_se(t->smooth->cov[s], d, n);
}

void curve_eval(const model *m, const model_target *t, size_t feature, double x, double *value, double *se)
{
    if (m->enc->features[feature].smooth_by) { /* a curve per level: curve_eval_level */
        *value = NAN;
        if (se)
            *se = NAN;
        return;
    }
    double b[SMOOTH_MAX_K];
    size_t n = curve_row(m, feature, x, b);
    curve_value(m, t, feature, -1, b, NULL, n, value, se);
}

void curve_eval_level(const model *m, const model_target *t, size_t feature, size_t level, double x, double *value,
                      double *se)
{
    const enc_feature *f = &m->enc->features[feature];
    if (!f->smooth_by || level >= f->by_levels) {
        curve_eval(m, t, feature, x, value, se);
        return;
    }
    double b[SMOOTH_MAX_K];
    smooth_eval(f->smooth, x, b);
    curve_value(m, t, feature, (long)level, b, NULL, f->smooth->k - 1, value, se);
}

int curve_knot_range(const enc_feature *feature, double *lo, double *hi)
{
    if (feature->type != TYPE_NUMERIC || feature->smooth == NULL)
        return -1;
    *lo = feature->smooth->knots[0];
    *hi = feature->smooth->knots[feature->smooth->k - 1];
    return 0;
}

/* Point i of CURVE_GRID from lo to hi, the ends exact. */
static double grid_point(double lo, double hi, size_t i)
{
    return i + 1 == CURVE_GRID ? hi : lo + (hi - lo) * (double)i / (double)(CURVE_GRID - 1);
}

void curve_span(const model *m, const model_target *t, size_t feature, curve_extent *out)
{
    curve_span_level(m, t, feature, -1, out);
}

void curve_span_level(const model *m, const model_target *t, size_t feature, long level, curve_extent *out)
{
    double lo = 0, hi = 0;
    *out = (curve_extent){NAN, NAN, NAN, NAN};
    if (curve_knot_range(&m->enc->features[feature], &lo, &hi) != 0)
        return;
    for (size_t i = 0; i < CURVE_GRID; i++) {
        double x = grid_point(lo, hi, i), value;
        if (level < 0)
            curve_eval(m, t, feature, x, &value, NULL);
        else
            curve_eval_level(m, t, feature, (size_t)level, x, &value, NULL);
        if (i == 0 || value < out->min) {
            out->min = value;
            out->x_min = x;
        }
        if (i == 0 || value > out->max) {
            out->max = value;
            out->x_max = x;
        }
    }
}

/* The edf of feature's curve (level: of a curve per level, else -1). */
static double edf(const model *m, const model_target *t, size_t feature, long level)
{
    long s = smooth_index(t, feature, level);
    if (s >= 0)
        return t->smooth->edf[s];
    return m->enc->features[feature].smooth ? NAN : t->aliased[m->enc->features[feature].first_term] ? 0.0 : 1.0;
}

/* The index of level `name` of smooth_by feature f's by column: -1 when
 * the feature has one curve, -2 when the by column lacks the level or
 * no level is named. */
static long by_level(const model *m, size_t f, const char *name)
{
    if (!m->enc->features[f].smooth_by)
        return -1;
    const enc_feature *by = &m->enc->features[encoding_by_column(m->enc, f)];
    for (size_t l = 0; name && l < by->n_levels; l++)
        if (strcmp(by->levels[l], name) == 0)
            return (long)l;
    return -2;
}

int curve_compare(const model *old_model, const model_target *old, const model *new_model, const model_target *new,
                  const char *column, double flag, curve_change *out)
{
    return curve_compare_level(old_model, old, new_model, new, column, NULL, flag, out);
}

int curve_compare_level(const model *old_model, const model_target *old, const model *new_model,
                        const model_target *new, const char *column, const char *level, double flag,
                        curve_change *out)
{
    memset(out, 0, sizeof *out);
    long a = find_feature(old_model, column), b = find_feature(new_model, column);
    if (a < 0 || b < 0)
        return -1;
    const enc_feature *fa = &old_model->enc->features[a], *fb = &new_model->enc->features[b];
    long level_a = by_level(old_model, (size_t)a, level), level_b = by_level(new_model, (size_t)b, level);
    if (fa->type != TYPE_NUMERIC || fb->type != TYPE_NUMERIC || (fa->smooth == NULL && fb->smooth == NULL) ||
        level_a == -2 || level_b == -2 || (level != NULL && level_a < 0 && level_b < 0))
        return -1;
    out->column = fa->name;
    out->level = level;
    out->old_smooth = fa->smooth != NULL;
    out->new_smooth = fb->smooth != NULL;
    out->old_edf = edf(old_model, old, (size_t)a, level_a);
    out->new_edf = edf(new_model, new, (size_t)b, level_b);
    double lo = INFINITY, hi = -INFINITY, l, h;
    if (curve_knot_range(fa, &l, &h) == 0) {
        lo = l;
        hi = h;
    }
    if (curve_knot_range(fb, &l, &h) == 0) {
        lo = fmin(lo, l);
        hi = fmax(hi, h);
    }
    out->lo = lo;
    out->hi = hi;
    /* A curve's level belongs to the intercept (each model centres its
     * curve on its own training rows, so the levels differ by chance):
     * both are centred on their mean over the grid instead, so a shift of
     * level is no change.  Two straight lines then differ by
     * (beta_new - beta_old)(x - mean) with band |x - mean| sqrt(SE_old^2 +
     * SE_new^2): z is the slope's z everywhere. */
    double centre_a[SMOOTH_MAX_K] = {0}, centre_b[SMOOTH_MAX_K] = {0}, row[SMOOTH_MAX_K];
    size_t n_a = 0, n_b = 0;
    for (size_t i = 0; i < CURVE_GRID; i++) {
        double x = grid_point(lo, hi, i);
        n_a = curve_row(old_model, (size_t)a, x, row);
        for (size_t j = 0; j < n_a; j++)
            centre_a[j] += row[j] / CURVE_GRID;
        n_b = curve_row(new_model, (size_t)b, x, row);
        for (size_t j = 0; j < n_b; j++)
            centre_b[j] += row[j] / CURVE_GRID;
    }
    double before[CURVE_GRID], after[CURVE_GRID], band[CURVE_GRID], widest = 0;
    for (size_t i = 0; i < CURVE_GRID; i++) {
        double x = grid_point(lo, hi, i), se_before, se_after;
        curve_row(old_model, (size_t)a, x, row);
        curve_value(old_model, old, (size_t)a, level_a, row, centre_a, n_a, &before[i], &se_before);
        curve_row(new_model, (size_t)b, x, row);
        curve_value(new_model, new, (size_t)b, level_b, row, centre_b, n_b, &after[i], &se_after);
        band[i] = sqrt(se_before * se_before + se_after * se_after);
        widest = fmax(widest, band[i]);
    }
    /* Where the bands pinch to rounding (a centred curve's band is 0 at
     * its pivot) the ratio is noise: z counts as 0 there. */
    double best_z = -1, best_change = -1;
    for (size_t i = 0; i < CURVE_GRID; i++) {
        double change = after[i] - before[i], z = band[i] > 1e-9 * widest ? change / band[i] : 0.0;
        if (fabs(z) > best_z) {
            best_z = fabs(z);
            out->x = grid_point(lo, hi, i);
            out->old_value = before[i];
            out->new_value = after[i];
            out->change = change;
            out->z = z;
        }
        if (fabs(change) > best_change) {
            best_change = fabs(change);
            out->largest_change = change;
            out->largest_change_x = grid_point(lo, hi, i);
            out->largest_change_z = z;
        }
    }
    out->flagged = fabs(out->z) > flag;
    return 0;
}

/* The ti pair of columns a and b in m (either order; *swapped says the
 * other order), or -1. */
static long tensor_pair(const model *m, const char *a, const char *b, int *swapped)
{
    for (size_t p = 0; p < m->enc->n_pairs; p++) {
        const enc_pair *pair = &m->enc->pairs[p];
        const char *pa = m->enc->features[pair->a].name, *pb = m->enc->features[pair->b].name;
        if (pair->tensor == NULL)
            continue;
        *swapped = strcmp(pa, b) == 0 && strcmp(pb, a) == 0;
        if (*swapped || (strcmp(pa, a) == 0 && strcmp(pb, b) == 0))
            return (long)p;
    }
    return -1;
}

long curve_tensor_index(const model_target *t, size_t pair)
{
    for (size_t s = 0; t->smooth && s < t->smooth->n_smooths; s++)
        if (t->smooth->tensor[s] == (long)pair && t->smooth->penalty[s] == 0)
            return (long)s;
    return -1;
}

void curve_eval_tensor(const model *m, const model_target *t, size_t pair, double x_a, double x_b, double *value,
                       double *se)
{
    const enc_pair *p = &m->enc->pairs[pair];
    double basis[(TENSOR_MAX_K - 1) * (TENSOR_MAX_K - 1)], sum = 0.0;
    tensor_eval(p->tensor, x_a, x_b, basis);
    for (size_t j = 0; j < p->n_terms; j++)
        sum += coefficient(t, p->first_term + j) * basis[j];
    *value = sum;
    if (se == NULL)
        return;
    long s = curve_tensor_index(t, pair);
    const double *cov = s >= 0 && t->smooth->cov ? t->smooth->cov[s] : NULL;
    *se = cov ? quadratic_se(cov, basis, p->n_terms) : NAN;
}

static double tensor_edf(const model_target *t, size_t pair)
{
    long s = curve_tensor_index(t, pair);
    return s >= 0 ? t->smooth->edf[s] : NAN;
}

int curve_compare_tensor(const model *old_model, const model_target *old, const model *new_model,
                         const model_target *new, const char *a, const char *b, double flag, surface_change *out)
{
    memset(out, 0, sizeof *out);
    int swap_old = 0, swap_new = 0;
    long p_old = tensor_pair(old_model, a, b, &swap_old), p_new = tensor_pair(new_model, a, b, &swap_new);
    if (p_old < 0 || p_new < 0)
        return -1;
    const tensor_spec *s_old = old_model->enc->pairs[p_old].tensor, *s_new = new_model->enc->pairs[p_new].tensor;
    const smooth_spec *m_old[2] = {&s_old->margin[swap_old], &s_old->margin[!swap_old]};
    const smooth_spec *m_new[2] = {&s_new->margin[swap_new], &s_new->margin[!swap_new]};
    double lo[2], hi[2];
    for (int i = 0; i < 2; i++) {
        lo[i] = fmin(m_old[i]->knots[0], m_new[i]->knots[0]);
        hi[i] = fmax(m_old[i]->knots[m_old[i]->k - 1], m_new[i]->knots[m_new[i]->k - 1]);
    }
    const enc_pair *pair = &old_model->enc->pairs[p_old];
    out->a = old_model->enc->features[swap_old ? pair->b : pair->a].name;
    out->b = old_model->enc->features[swap_old ? pair->a : pair->b].name;
    out->old_edf = tensor_edf(old, (size_t)p_old);
    out->new_edf = tensor_edf(new, (size_t)p_new);
    double best = -1;
    for (size_t i = 0; i < CURVE_SURFACE; i++)
        for (size_t j = 0; j < CURVE_SURFACE; j++) {
            double x_a = i + 1 == CURVE_SURFACE ? hi[0] : lo[0] + (hi[0] - lo[0]) * (double)i / (CURVE_SURFACE - 1);
            double x_b = j + 1 == CURVE_SURFACE ? hi[1] : lo[1] + (hi[1] - lo[1]) * (double)j / (CURVE_SURFACE - 1);
            double before, after, se_before, se_after;
            curve_eval_tensor(old_model, old, (size_t)p_old, swap_old ? x_b : x_a, swap_old ? x_a : x_b, &before,
                              &se_before);
            curve_eval_tensor(new_model, new, (size_t)p_new, swap_new ? x_b : x_a, swap_new ? x_a : x_b, &after,
                              &se_after);
            double band = sqrt(se_before * se_before + se_after * se_after);
            double z = band > 0 ? (after - before) / band : 0.0; /* NaN band (no covariance): z NaN, never best */
            if (fabs(z) > best) {
                best = fabs(z);
                *out = (surface_change){out->a, out->b, out->old_edf, out->new_edf, x_a, x_b, before, after,
                                        after - before, z, 0};
            }
        }
    out->flagged = fabs(out->z) > flag;
    return 0;
}
