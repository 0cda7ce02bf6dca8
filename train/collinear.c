/* BKW collinearity groups; see collinear.h. */
#include "collinear.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

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

vt_status collinear_find(const double *xtwx, size_t p, const int *skip, collinear_group **groups, size_t *n_groups)
{
    *groups = NULL;
    *n_groups = 0;
    if (p == 0)
        return VT_EBADLEN;
    size_t *kept = vt_calloc(p, sizeof(size_t));
    size_t *parent = vt_calloc(p, sizeof(size_t));
    double *ci_of = vt_calloc(p, sizeof(double));
    int *flagged = vt_calloc(p, sizeof(int));
    vt_status status = VT_ENOMEM;
    gsl_matrix *a = NULL, *vec = NULL;
    gsl_vector *val = NULL, *phi = NULL;
    gsl_eigen_symmv_workspace *ws = NULL;
    if (!kept || !parent || !ci_of || !flagged)
        goto out;
    size_t k = 0;
    for (size_t t = 0; t < p; t++)
        if (!(skip && skip[t]) && xtwx[t * p + t] > 0)
            kept[k++] = t;
    status = VT_OK;
    if (k < 2)
        goto out;
    status = VT_ENOMEM;
    a = gsl_matrix_alloc(k, k);
    vec = gsl_matrix_alloc(k, k);
    val = gsl_vector_alloc(k);
    phi = gsl_vector_alloc(k);
    ws = gsl_eigen_symmv_alloc(k);
    if (!a || !vec || !val || !phi || !ws)
        goto out;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            size_t ti = kept[i], tj = kept[j];
            gsl_matrix_set(a, i, j, xtwx[ti * p + tj] / sqrt(xtwx[ti * p + ti] * xtwx[tj * p + tj]));
        }
    gsl_eigen_symmv(a, val, vec, ws);
    /* A fixed order makes ties (and so the groups) independent of how the
     * solver happened to order its output. */
    gsl_eigen_symmv_sort(val, vec, GSL_EIGEN_SORT_VAL_DESC);
    double lmax = gsl_vector_get(val, 0);
    /* phi_i = sum_j v_ij^2 / l_j: the variance of term i; an eigenvalue at
     * or below zero is a numerical alias the fit already dropped: skip it. */
    double tiny = lmax * 1e-14;
    for (size_t i = 0; i < k; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++) {
            double l = gsl_vector_get(val, j);
            if (l > tiny)
                s += gsl_matrix_get(vec, i, j) * gsl_matrix_get(vec, i, j) / l;
        }
        gsl_vector_set(phi, i, s);
    }
    for (size_t i = 0; i < p; i++)
        parent[i] = i;
    for (size_t j = 0; j < k; j++) {
        double l = gsl_vector_get(val, j);
        if (l <= tiny)
            continue;
        double ci = sqrt(lmax / l);
        if (!(ci > COLLINEAR_CONDITION))
            continue;
        size_t first = p;
        for (size_t i = 0; i < k; i++) {
            double v = gsl_matrix_get(vec, i, j);
            if (v * v / l / gsl_vector_get(phi, i) <= COLLINEAR_PROPORTION)
                continue;
            size_t t = kept[i];
            flagged[t] = 1;
            if (ci > ci_of[t])
                ci_of[t] = ci;
            if (first == p)
                first = t;
            else
                parent[root(parent, t)] = root(parent, first);
        }
    }
    /* Count groups of two or more terms, ordered by their first term. */
    size_t *size = vt_calloc(p, sizeof(size_t));
    if (size == NULL)
        goto out;
    for (size_t t = 0; t < p; t++)
        if (flagged[t])
            size[root(parent, t)]++;
    size_t n = 0;
    for (size_t t = 0; t < p; t++)
        if (flagged[t] && root(parent, t) == t && size[t] >= 2)
            n++;
    status = VT_OK;
    if (n > 0) {
        collinear_group *out_groups = vt_calloc(n, sizeof(collinear_group));
        size_t g = 0;
        status = out_groups ? VT_OK : VT_ENOMEM;
        for (size_t t = 0; status == VT_OK && t < p; t++) {
            if (!flagged[t])
                continue;
            size_t r = root(parent, t);
            if (size[r] < 2)
                continue;
            /* Groups are emitted when their first (lowest) member is met. */
            size_t first = p;
            for (size_t u = 0; u < p && first == p; u++)
                if (flagged[u] && root(parent, u) == r)
                    first = u;
            if (first != t)
                continue;
            collinear_group *grp = &out_groups[g++];
            grp->terms = vt_calloc(size[r], sizeof(size_t));
            if (grp->terms == NULL) {
                status = VT_ENOMEM;
                break;
            }
            for (size_t u = t; u < p; u++)
                if (flagged[u] && root(parent, u) == r) {
                    grp->terms[grp->n_terms++] = u;
                    if (ci_of[u] > grp->condition_index)
                        grp->condition_index = ci_of[u];
                }
        }
        if (status == VT_OK) {
            *groups = out_groups;
            *n_groups = n;
        } else {
            collinear_groups_free(out_groups, n);
        }
    }
    free(size);
out:
    gsl_eigen_symmv_free(ws);
    gsl_vector_free(phi);
    gsl_vector_free(val);
    gsl_matrix_free(vec);
    gsl_matrix_free(a);
    free(flagged);
    free(ci_of);
    free(parent);
    free(kept);
    return status;
}
