/* BKW collinearity groups; see collinear.h. */
#include "collinear.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

void collinear_groups_free(collinear_group *groups, size_t n_groups)
{
    if (groups == NULL)
        return;
    for (size_t g = 0; g < n_groups; g++)
        free(groups[g].terms);
    free(groups);
}

/* Union-find root with path halving. */
static size_t root(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

/* Emit the groups of two or more flagged terms, each when its lowest
 * member is met, with the largest condition index among its members. */
static vt_status emit_groups(size_t p, size_t *parent, const int *flagged, const double *ci_of, size_t *size,
                             collinear_group **groups, size_t *n_groups)
{
    size_t n = 0;
    for (size_t t = 0; t < p; t++)
        if (flagged[t])
            size[root(parent, t)]++;
    for (size_t t = 0; t < p; t++)
        n += flagged[t] && root(parent, t) == t && size[t] >= 2;
    if (n == 0)
        return VT_OK;
    collinear_group *out = vt_calloc(n, sizeof(collinear_group));
    if (out == NULL)
        return VT_ENOMEM;
    size_t g = 0;
    for (size_t t = 0; t < p; t++) {
        size_t r = flagged[t] ? root(parent, t) : 0;
        if (!flagged[t] || size[r] < 2)
            continue; /* unflagged, alone, or its group already emitted */
        collinear_group *group = &out[g++];
        if ((group->terms = vt_calloc(size[r], sizeof(size_t))) == NULL) {
            collinear_groups_free(out, n);
            return VT_ENOMEM;
        }
        for (size_t u = t; u < p; u++)
            if (flagged[u] && root(parent, u) == r) {
                group->terms[group->n_terms++] = u;
                group->condition_index = fmax(group->condition_index, ci_of[u]);
            }
        size[r] = 0;
    }
    *groups = out;
    *n_groups = n;
    return VT_OK;
}

vt_status collinear_find(const double *xtwx, size_t p, const int *skip, collinear_group **groups, size_t *n_groups)
{
    *groups = NULL;
    *n_groups = 0;
    if (p == 0)
        return VT_EBADLEN;
    size_t *kept = vt_calloc(p, sizeof(size_t)), *parent = vt_calloc(p, sizeof(size_t));
    size_t *size = vt_calloc(p, sizeof(size_t));
    double *ci_of = vt_calloc(p, sizeof(double)), *scaled = vt_calloc(p * p, sizeof(double));
    double *values = vt_calloc(p, sizeof(double)), *vectors = vt_calloc(p * p, sizeof(double));
    double *phi = vt_calloc(p, sizeof(double));
    int *flagged = vt_calloc(p, sizeof(int));
    vt_status status = kept && parent && size && ci_of && scaled && values && vectors && phi && flagged ? VT_OK
                                                                                                     : VT_ENOMEM;
    size_t k = 0;
    for (size_t t = 0; status == VT_OK && t < p; t++)
        if (!(skip && skip[t]) && xtwx[t * p + t] > 0)
            kept[k++] = t;
    if (status != VT_OK || k < 2)
        goto out;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            size_t ti = kept[i], tj = kept[j];
            scaled[i * k + j] = xtwx[ti * p + tj] / sqrt(xtwx[ti * p + ti] * xtwx[tj * p + tj]);
        }
    /* Descending, with eigenvector j in column j: a fixed order makes ties
     * (and so the groups) independent of how the solver ordered them. */
    if ((status = eigen_symmetric(scaled, k, values, vectors)) != VT_OK)
        goto out;
    double lmax = values[0];
    /* phi_i = sum_j v_ij^2 / l_j: the variance of term i; an eigenvalue at
     * or below lmax * 1e-14 is a numerical alias the fit already dropped. */
    double tiny = lmax * 1e-14;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            if (values[j] > tiny)
                phi[i] += vectors[i * k + j] * vectors[i * k + j] / values[j];
    for (size_t i = 0; i < p; i++)
        parent[i] = i;
    for (size_t j = 0; j < k; j++) {
        double l = values[j], ci = l > tiny ? sqrt(lmax / l) : 0;
        if (!(ci > COLLINEAR_CONDITION))
            continue;
        size_t first = p;
        for (size_t i = 0; i < k; i++) {
            double v = vectors[i * k + j];
            if (v * v / l / phi[i] <= COLLINEAR_PROPORTION)
                continue;
            size_t t = kept[i];
            flagged[t] = 1;
            ci_of[t] = fmax(ci_of[t], ci);
            if (first == p)
                first = t;
            else
                parent[root(parent, t)] = root(parent, first);
        }
    }
    status = emit_groups(p, parent, flagged, ci_of, size, groups, n_groups);
out:
    free(flagged);
    free(phi);
    free(vectors);
    free(values);
    free(scaled);
    free(ci_of);
    free(size);
    free(parent);
    free(kept);
    return status;
}
