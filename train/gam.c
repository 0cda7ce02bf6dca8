#include "gam.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irls_design.h"
#include "linalg.h"
#include "parallel.h"
#include "smooth.h"
#include "smooth_test.h"

#define MAX_NEWTON 200     /* outer steps */
#define MAX_HALVING 30     /* halvings of an outer or inner step */
#define MAX_STEP 5.0       /* mgcv's maxNstep: the largest change of a log smoothing parameter */
/* How far a log smoothing parameter may go from its start (where the
 * penalty matches X'WX on the block): e^12 further, a smooth is a straight
 * line (or unpenalised) to far below the criterion's rounding, and log|H|
 * in plain Cholesky stays accurate (mgcv reparameterises instead). */
#define RHO_RANGE 40.0
/* A parameter in a flat tail moves by this much downhill per step (on
 * 30,000 generated rows: 67 inner passes with 2, 74 with 3, 103 with 5,
 * the rejected longer steps costing more than the extra short ones). */
#define TAIL_STEP 2.0
#define INNER_TOLERANCE 1e-7 /* beta moved by this (relative): the next step would move it by about its square */
#define OUTER_TOLERANCE 1e-10 /* on each gradient component, relative to |V| + 1 */
/* The Hessian's terms in H^-1 X'C_a X H^-1 (cross_trace, tr(B_a B_b))
 * cost smooths x terms^2 per row, and g . d2beta a second pass: from more rows than this they are
 * estimated on every stride-th row, scaled up (a fixed choice, so the
 * result does not depend on threads).  Only the route of the search
 * changes, not the optimum: the gradient is always exact.  (Measured on
 * 8,000 generated rows: 7 Newton steps with the estimate, 8 with these
 * terms left out altogether, to the same REML score.) */
#define HESSIAN_ROWS 2000
/* The transformed design is kept in memory up to this size. */
#define GAM_CACHE_BYTES (2.0 * 1024 * 1024 * 1024)

/* The largest block of one smooth term (a ti() of two 20-knot margins has 361). */
#define GAM_MAX_BLOCK 400

/* One penalty (a gam_smooth entry) in the scaled design: its kept columns
 * and the penalty there.  Entries over the same columns form one term (a
 * ti() with its two penalties): the first of them, its lead, holds the
 * columns' transform; the others share it. */
typedef struct {
    size_t first, n;   /* kept columns [first, first + n) */
    double *rotation;  /* n x n, the lead's only: scaled columns -> the solver's: the
                          eigenvectors U of the penalty (one penalty), diag(scale) U (several) */
    double *unrotation; /* n x n, the lead's only: rotation^-1 (U', or U' diag(1 / scale)) */
    double *penalty;   /* n x n: diag(its eigenvalues), the null space's exactly 0: the
                          penalty in the rotated columns x U (see state_init) */
    size_t rank;
    double log_pdet;   /* of the raw penalty (one penalty per term only) */
    int fixed;
    size_t lead;       /* the index of its term's first entry (itself for most) */
    size_t n_group;    /* on a lead: the term's penalties (1 for an s() term) */
    size_t group_rank; /* on a lead of several: the rank of the penalties' sum */
} block;

typedef struct {
    const irls_design *d;
    size_t k, q, m;            /* target, kept columns, smooths */
    block *blocks;
    double *rho;               /* m: log smoothing parameters */
    double *rho_start;         /* m: where the search began */
    double *beta, *beta_old;   /* q */
    double *gram, *cross;      /* q x q, q: of the last pass */
    double *hessian;           /* q x q: X'WX + S, factored in place (Cholesky) */
    double *work;              /* 2 q */
    double *dbeta;             /* m x q: d beta / d rho at the last derivatives, to start the next fit from */
    double *cache;             /* n_rows x q: the rows as the solver sees them, when they fit (GAM_CACHE_BYTES) */
    double *cache_y, *cache_prior; /* n_rows each (prior NULL without weights) */
    int *raw_column;           /* q: 1 where the solver's column is in the raw scale (a term with
                                  several penalties: rotation diag(scale) U undoes the scaling) */
    int cache_full;            /* filled by the first pass */
    double deviance, null_deviance, score, penalty_value;
    int started, iterations, inner_converged;
} gam_state;

static double group_log_det(const gam_state *s, size_t lead, double *d1, double *d2);

/* ------------------------------------------------------------ row passes */

/* A design row as the solver sees it: centred and scaled (irls_design),
 * each smooth's columns rotated into its penalty's eigenvectors. */
static void scale_row(const gam_state *s, const double *raw, double *to)
{
    const irls_design *d = s->d;
    double block_row[GAM_MAX_BLOCK];
    to[0] = 1.0;
    for (size_t j = 1; j < d->n_kept; j++)
        to[j] = (raw[d->term_of[j]] - d->center[j]) * d->inverse_scale[j];
    for (size_t a = 0; a < s->m; a++) {
        const block *bk = &s->blocks[a];
        if (bk->lead != a)
            continue; /* its term's lead rotated these columns */
        memcpy(block_row, to + bk->first, bk->n * sizeof(double));
        for (size_t j = 0; j < bk->n; j++) {
            double sum = 0.0;
            for (size_t r = 0; r < bk->n; r++)
                sum += block_row[r] * bk->rotation[r * bk->n + j];
            to[bk->first + j] = sum;
        }
    }
}

/* Rows as the solver sees them (scale_row's), with the target's outcome
 * and prior weights (NULL: all 1). */
typedef struct {
    size_t count;
    const double *x; /* count x q */
    const double *y, *prior;
} gam_rows;

/* One chunk's share of a pass. */
typedef struct chunk_sums chunk_sums;
typedef vt_status (*rows_fn)(chunk_sums *c, const gam_rows *rows);
struct chunk_sums {
    const gam_state *s;
    int at_start;
    size_t next_row;           /* the index of the next row this chunk visits */
    size_t stride;             /* pass A: rows whose B terms are summed: index % stride == 0 */
    double *rows, *w, *z;      /* IRLS_BLOCK_ROWS x q, IRLS_BLOCK_ROWS, IRLS_BLOCK_ROWS */
    double *gram, *cross;      /* q x q, q */
    long double deviance, null_deviance;
    /* derivatives (pass A) */
    const double *factor, *dbeta; /* q x q Cholesky factor; m x q */
    double *v, *u, *eta_k, *c_k;  /* q, q, m, m */
    double *xt, *vt;           /* q x SLICE each: a slice of rows transposed, and L^-1 of it */
    double *slice;             /* (3 + m) x SLICE: per-row values of a slice */
    double *grad_trace, *t2, *cross_trace, *gvec; /* m, m x m, m x m, q */
    double *b;                 /* m x q x q (upper triangles) */
    /* pass B */
    const double *ghat;        /* q */
    double *r;                 /* m x m */
    rows_fn fn;                /* what this pass does with each block of rows */
    size_t first, count;       /* the chunk's rows */
    size_t done;               /* of them, visited in this pass */
    vt_status status;
};

static vt_status pirls_rows(chunk_sums *c, const gam_rows *rows)
{
    const gam_state *s = c->s;
    const irls_design *d = s->d;
    size_t q = s->q;
    const double *y = rows->y, *prior = rows->prior;
    double ybar = d->event_weight[s->k] / d->total_weight[s->k];
    for (size_t i = 0; i < rows->count; i++) {
        const double *row = rows->x + i * q;
        double weight = prior ? prior[i] : 1.0, eta;
        if (c->at_start) {
            double mustart = (weight * y[i] + 0.5) / (weight + 1.0);
            eta = log(mustart / (1.0 - mustart));
            c->null_deviance += 2.0 * weight * (irls_y_log_y(y[i], ybar) + irls_y_log_y(1.0 - y[i], 1.0 - ybar));
        } else {
            eta = 0.0;
            for (size_t j = 0; j < q; j++)
                eta += row[j] * s->beta[j];
        }
        double mu, mu_eta;
        irls_logit_inverse(eta, &mu, &mu_eta);
        c->deviance += 2.0 * weight * (irls_y_log_y(y[i], mu) + irls_y_log_y(1.0 - y[i], 1.0 - mu));
        c->w[i] = weight * mu_eta * mu_eta / (mu * (1.0 - mu));
        /* the working residual, plus eta only at the start: later steps
         * solve for the change of beta, whose rounding is relative to the
         * change, not to beta (which huge lambdas made noise of) */
        c->z[i] = (c->at_start ? eta : 0.0) + (y[i] - mu) / mu_eta;
    }
    return gram_and_cross_add(rows->x, rows->count, q, c->w, c->z, c->gram, c->cross);
}

/* The working quantities of a row at beta: mu, w and w's derivatives in eta. */
/* Rows are handled in slices of SLICE, transposed (column j of the slice
 * contiguous), so the per-row sums below run across rows, where the
 * compiler vectorises them; each row's own sums keep the order of a
 * row-by-row loop (over j ascending), so the bits are the same. */
#define SLICE 256

/* xt (q x n, leading dimension SLICE) = the slice's rows, transposed. */
static void transpose_slice(const double *x, size_t n, size_t q, double *xt)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < q; j++)
            xt[j * SLICE + i] = x[i * q + j];
}

/* out[i] = sum over j ascending of xt[j][i] vector[j]. */
WIDEST_VECTORS static void slice_times(const double *restrict xt, size_t n, size_t q, const double *restrict vector,
                        double *restrict out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = 0.0;
    for (size_t j = 0; j < q; j++) {
        const double *restrict column = xt + j * SLICE;
        double value = vector[j];
        for (size_t i = 0; i < n; i++)
            out[i] += column[i] * value;
    }
}

/* The working weight of a row at linear predictor eta and its derivatives in eta. */
static void row_weights(double eta, double weight, double *w, double *w1, double *w2)
{
    double mu, mu_eta;
    irls_logit_inverse(eta, &mu, &mu_eta);
    *w = weight * mu_eta * mu_eta / (mu * (1.0 - mu));
    *w1 = *w * (1.0 - 2.0 * mu);
    *w2 = *w * (1.0 - 6.0 * mu + 6.0 * mu * mu);
}

/* Pass A: h = x'H^-1 x and the sums the gradient and Hessian need. */
WIDEST_VECTORS static vt_status derivative_rows(chunk_sums *c, const gam_rows *rows)
{
    const gam_state *s = c->s;
    size_t q = s->q, m = s->m;
    const double *L = c->factor, *prior = rows->prior;
    double *xt = c->xt, *vt = c->vt, *eta = c->slice, *h = c->slice + SLICE, *coef = c->slice + 2 * SLICE;
    double *etas = c->slice + 3 * SLICE; /* m x SLICE */
    for (size_t start = 0; start < rows->count; start += SLICE) {
        size_t n = rows->count - start < SLICE ? rows->count - start : SLICE;
        transpose_slice(rows->x + start * q, n, q, xt);
        slice_times(xt, n, q, s->beta, eta);
        for (size_t a = 0; a < m; a++)
            slice_times(xt, n, q, c->dbeta + a * q, etas + a * SLICE);
        for (size_t i = 0; i < n; i++)
            h[i] = 0.0;
        for (size_t j = 0; j < q; j++) { /* v = L^-1 x, h = |v|^2 */
            double *restrict sum = vt + j * SLICE;
            const double *restrict xj = xt + j * SLICE;
            for (size_t i = 0; i < n; i++)
                sum[i] = xj[i];
            for (size_t a = 0; a < j; a++) {
                double l = L[j * q + a];
                const double *restrict va = vt + a * SLICE;
                for (size_t i = 0; i < n; i++)
                    sum[i] -= l * va[i];
            }
            double diagonal = L[j * q + j];
            for (size_t i = 0; i < n; i++) {
                sum[i] = sum[i] / diagonal;
                h[i] += sum[i] * sum[i];
            }
        }
        for (size_t i = 0; i < n; i++) {
            double w, w1, w2;
            row_weights(eta[i], prior ? prior[start + i] : 1.0, &w, &w1, &w2);
            coef[i] = w1 * h[i];
            for (size_t a = 0; a < m; a++) {
                c->eta_k[a] = etas[a * SLICE + i];
                c->c_k[a] = w1 * c->eta_k[a];
                c->grad_trace[a] += c->c_k[a] * h[i];
            }
            for (size_t a = 0; a < m; a++)
                for (size_t b = 0; b < m; b++)
                    c->t2[a * m + b] += w2 * h[i] * c->eta_k[a] * c->eta_k[b];
            if (c->next_row++ % c->stride != 0)
                continue;
            /* the sampled rows: the terms in H^-1 X'C X H^-1 */
            double *v = c->v, *u = c->u;
            for (size_t j = 0; j < q; j++)
                v[j] = vt[j * SLICE + i];
            for (size_t j = q; j-- > 0;) { /* u = L'^-1 v = H^-1 x */
                double sum = v[j];
                for (size_t a = j + 1; a < q; a++)
                    sum -= L[a * q + j] * u[a];
                u[j] = sum / L[j * q + j];
            }
            for (size_t a = 0; a < m; a++) {
                const block *bk = &s->blocks[a];
                double lambda = exp(s->rho[a]), quad = 0.0; /* u' lambda S_a u */
                for (size_t r = 0; r < bk->n; r++) {
                    double sum = 0.0;
                    for (size_t t = 0; t < bk->n; t++)
                        sum += bk->penalty[r * bk->n + t] * u[bk->first + t];
                    quad += u[bk->first + r] * sum;
                }
                quad *= lambda;
                for (size_t b = 0; b < m; b++)
                    c->cross_trace[a * m + b] += c->c_k[b] * quad;
                double *restrict bm = c->b + a * q * q;
                const double *restrict vr = v;
                for (size_t r = 0; r < q; r++) {
                    double cv = c->c_k[a] * vr[r];
                    for (size_t t = r; t < q; t++)
                        bm[r * q + t] += cv * vr[t];
                }
            }
        }
        for (size_t j = 0; j < q; j++) { /* g = sum of w' h x, row by row */
            const double *xj = xt + j * SLICE;
            double sum = c->gvec[j];
            for (size_t i = 0; i < n; i++)
                sum += coef[i] * xj[i];
            c->gvec[j] = sum;
        }
    }
    return VT_OK;
}

/* Pass B: r_ab = sum c_b eta_a (x . ghat), for g . d2beta: a Hessian
 * term, so over the sampled rows only (HESSIAN_ROWS). */
static vt_status second_rows(chunk_sums *c, const gam_rows *rows)
{
    const gam_state *s = c->s;
    size_t q = s->q, m = s->m;
    const double *prior = rows->prior;
    for (size_t i = 0; i < rows->count; i++) {
        if (c->next_row++ % c->stride != 0)
            continue;
        const double *x = rows->x + i * q;
        double eta = 0.0, xg = 0.0, w, w1, w2;
        for (size_t j = 0; j < q; j++) {
            eta += x[j] * s->beta[j];
            xg += x[j] * c->ghat[j];
        }
        for (size_t a = 0; a < m; a++) {
            double e = 0.0;
            for (size_t j = 0; j < q; j++)
                e += x[j] * c->dbeta[a * q + j];
            c->eta_k[a] = e;
        }
        row_weights(eta, prior ? prior[i] : 1.0, &w, &w1, &w2);
        for (size_t a = 0; a < m; a++)
            for (size_t b = 0; b < m; b++)
                c->r[a * m + b] += w1 * c->eta_k[b] * c->eta_k[a] * xg;
    }
    return VT_OK;
}

/* ----------------------------------------------------------- the passes */

typedef struct {
    chunk_sums *chunks;
    void **contexts;
    size_t n;
} pass_set;


/* The rows of a block from the source, transformed (and kept in the cache
 * while it is being filled), handed to the chunk's pass. */
static vt_status source_visit(void *context, const irls_block *blk)
{
    chunk_sums *c = context;
    const gam_state *s = c->s;
    size_t q = s->q, p = s->d->n_terms, at = c->first + c->done;
    for (size_t i = 0; i < blk->count; i++)
        scale_row(s, blk->x + i * p, c->rows + i * q);
    const double *y = blk->y[s->k], *prior = blk->prior[s->k];
    if (s->cache && !s->cache_full) {
        memcpy(s->cache + at * q, c->rows, blk->count * q * sizeof(double));
        memcpy(s->cache_y + at, y, blk->count * sizeof(double));
        if (prior)
            memcpy(s->cache_prior + at, prior, blk->count * sizeof(double));
    }
    c->done += blk->count;
    gam_rows rows = {blk->count, c->rows, y, prior};
    return c->fn(c, &rows);
}

/* A chunk's rows from the cache, in the source's blocks. */
static void cached_chunk(size_t chunk, void *context)
{
    chunk_sums *c = &((chunk_sums *)context)[chunk];
    const gam_state *s = c->s;
    c->status = VT_OK;
    for (size_t start = 0; start < c->count && c->status == VT_OK; start += IRLS_BLOCK_ROWS) {
        size_t at = c->first + start, n = c->count - start < IRLS_BLOCK_ROWS ? c->count - start : IRLS_BLOCK_ROWS;
        gam_rows rows = {n, s->cache + at * s->q, s->cache_y + at, s->cache_prior ? s->cache_prior + at : NULL};
        c->status = c->fn(c, &rows);
    }
}

/* One pass of fn over every row, chunk by chunk on threads (the chunks
 * irls_run_pass uses: the sums are the same whichever way the rows come). */
static vt_status run_rows(gam_state *s, pass_set *ps, rows_fn fn, vt_err *err)
{
    for (size_t c = 0; c < ps->n; c++) {
        chunk_sums *cs = &ps->chunks[c];
        cs->fn = fn;
        cs->first = s->d->n_rows * c / ps->n;
        cs->count = s->d->n_rows * (c + 1) / ps->n - cs->first;
        cs->done = 0;
    }
    if (s->cache && s->cache_full) {
        parallel_for(ps->n, s->d->threads, cached_chunk, ps->chunks);
        for (size_t c = 0; c < ps->n; c++)
            if (ps->chunks[c].status != VT_OK)
                return vt_err_set(err, ps->chunks[c].status, NULL, 0, 0, "out of memory");
        return VT_OK;
    }
    vt_status status = irls_run_pass(s->d, source_visit, ps->contexts, err);
    if (status == VT_OK && s->cache)
        s->cache_full = 1;
    return status;
}

/* ------------------------------------------------------------- the state */


static void passes_free(pass_set *ps)
{
    for (size_t c = 0; ps->chunks && c < ps->n; c++) {
        chunk_sums *cs = &ps->chunks[c];
        free(cs->rows);
        free(cs->w);
        free(cs->z);
        free(cs->gram);
        free(cs->cross);
        free(cs->v);
        free(cs->u);
        free(cs->xt);
        free(cs->vt);
        free(cs->slice);
        free(cs->eta_k);
        free(cs->c_k);
        free(cs->grad_trace);
        free(cs->t2);
        free(cs->cross_trace);
        free(cs->gvec);
        free(cs->b);
        free(cs->r);
    }
    free(ps->chunks);
    free(ps->contexts);
}

static int passes_alloc(pass_set *ps, const gam_state *s)
{
    size_t q = s->q, m = s->m ? s->m : 1;
    ps->n = s->d->n_chunks;
    ps->chunks = vt_calloc(ps->n, sizeof *ps->chunks);
    ps->contexts = vt_calloc(ps->n, sizeof *ps->contexts);
    if (!ps->chunks || !ps->contexts)
        return 0;
    for (size_t c = 0; c < ps->n; c++) {
        chunk_sums *cs = &ps->chunks[c];
        cs->s = s;
        cs->rows = vt_malloc(IRLS_BLOCK_ROWS * q * sizeof(double));
        cs->w = vt_malloc(IRLS_BLOCK_ROWS * sizeof(double));
        cs->z = vt_malloc(IRLS_BLOCK_ROWS * sizeof(double));
        cs->gram = vt_malloc(q * q * sizeof(double));
        cs->cross = vt_malloc(q * sizeof(double));
        cs->v = vt_malloc(q * sizeof(double));
        cs->xt = vt_malloc(q * SLICE * sizeof(double));
        cs->vt = vt_malloc(q * SLICE * sizeof(double));
        cs->slice = vt_malloc((3 + m) * SLICE * sizeof(double));
        cs->u = vt_malloc(q * sizeof(double));
        cs->eta_k = vt_malloc(m * sizeof(double));
        cs->c_k = vt_malloc(m * sizeof(double));
        cs->grad_trace = vt_malloc(m * sizeof(double));
        cs->t2 = vt_malloc(m * m * sizeof(double));
        cs->cross_trace = vt_malloc(m * m * sizeof(double));
        cs->gvec = vt_malloc(q * sizeof(double));
        cs->b = vt_malloc(m * q * q * sizeof(double));
        cs->r = vt_malloc(m * m * sizeof(double));
        if (!cs->xt || !cs->vt || !cs->slice || !cs->rows || !cs->w || !cs->z || !cs->gram || !cs->cross || !cs->v || !cs->u || !cs->eta_k || !cs->c_k || !cs->grad_trace ||
            !cs->t2 || !cs->cross_trace || !cs->gvec || !cs->b || !cs->r)
            return 0;
        ps->contexts[c] = cs;
    }
    return 1;
}

/* S_lambda beta (out, q) and beta' S_lambda beta. */
static double penalty_apply(const gam_state *s, const double *beta, double *out)
{
    if (out)
        memset(out, 0, s->q * sizeof(double));
    double total = 0.0;
    for (size_t a = 0; a < s->m; a++) {
        const block *bk = &s->blocks[a];
        double lambda = exp(s->rho[a]);
        for (size_t r = 0; r < bk->n; r++) {
            double sum = 0.0;
            for (size_t t = 0; t < bk->n; t++)
                sum += bk->penalty[r * bk->n + t] * beta[bk->first + t];
            sum *= lambda;
            if (out) /* added: a term's penalties share its columns (out starts at 0) */
                out[bk->first + r] += sum;
            total += beta[bk->first + r] * sum;
        }
    }
    return total;
}

/* One pass at beta (or at the start): deviance, X'WX, X'Wz. */
static vt_status pirls_pass(gam_state *s, pass_set *ps, int at_start, vt_err *err)
{
    size_t q = s->q;
    for (size_t c = 0; c < ps->n; c++) {
        chunk_sums *cs = &ps->chunks[c];
        cs->at_start = at_start;
        memset(cs->gram, 0, q * q * sizeof(double));
        memset(cs->cross, 0, q * sizeof(double));
        cs->deviance = cs->null_deviance = 0.0L;
    }
    vt_status status = run_rows(s, ps, pirls_rows, err);
    if (status != VT_OK)
        return status;
    long double deviance = 0.0L, null_deviance = 0.0L;
    memset(s->gram, 0, q * q * sizeof(double));
    memset(s->cross, 0, q * sizeof(double));
    for (size_t c = 0; c < ps->n; c++) {
        for (size_t j = 0; j < q * q; j++)
            s->gram[j] += ps->chunks[c].gram[j];
        for (size_t j = 0; j < q; j++)
            s->cross[j] += ps->chunks[c].cross[j];
        deviance += ps->chunks[c].deviance;
        null_deviance += ps->chunks[c].null_deviance;
    }
    gram_mirror(s->gram, q);
    s->deviance = (double)deviance;
    if (at_start)
        s->null_deviance = (double)null_deviance;
    return VT_OK;
}

/* hessian = chol(X'WX + S_lambda) from the last pass. */
static vt_status factor_hessian(gam_state *s, vt_err *err)
{
    size_t q = s->q;
    memcpy(s->hessian, s->gram, q * q * sizeof(double));
    for (size_t a = 0; a < s->m; a++) {
        const block *bk = &s->blocks[a];
        double lambda = exp(s->rho[a]);
        for (size_t r = 0; r < bk->n; r++)
            for (size_t t = 0; t < bk->n; t++)
                s->hessian[(bk->first + r) * q + bk->first + t] += lambda * bk->penalty[r * bk->n + t];
    }
    if (cholesky_factor(s->hessian, q) != VT_OK)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "X'WX + S is not positive definite; collinear columns?");
    return VT_OK;
}

/* beta += (X'WX + S)^-1 (X'W r - S beta), r the working residuals of
 * the last pass: the penalised IRLS step as a change of beta. */
static void newton_update(gam_state *s)
{
    size_t q = s->q;
    double *penalised = s->work, *delta = s->work + q;
    penalty_apply(s, s->beta, penalised);
    for (size_t j = 0; j < q; j++)
        penalised[j] = s->cross[j] - penalised[j];
    cholesky_solve(s->hessian, q, penalised, delta);
    for (size_t j = 0; j < q; j++)
        s->beta[j] += delta[j];
}

/* Penalised IRLS at the current rho, from the current beta (or glm.fit's
 * start the first time); leaves beta, gram at beta and the score V. */
static vt_status pirls(gam_state *s, pass_set *ps, int max_iter, vt_err *err)
{
    size_t q = s->q;
    vt_status status;
    double pdev_old = INFINITY;
    s->inner_converged = 0;
    if (!s->started) {
        if ((status = pirls_pass(s, ps, 1, err)) != VT_OK || (status = factor_hessian(s, err)) != VT_OK)
            return status;
        cholesky_solve(s->hessian, q, s->cross, s->beta);
        s->started = 1;
    }
    for (s->iterations = 1; s->iterations <= max_iter; s->iterations++) {
        if ((status = pirls_pass(s, ps, 0, err)) != VT_OK)
            return status;
        double pdev = s->deviance + penalty_apply(s, s->beta, NULL);
        int halving = 0;
        while (!(pdev <= pdev_old + 1e-12 * fabs(pdev_old)) && isfinite(pdev_old) && halving <= MAX_HALVING) {
            int give_up = ++halving > MAX_HALVING;
            for (size_t j = 0; j < q; j++)
                s->beta[j] = give_up ? s->beta_old[j] : (s->beta[j] + s->beta_old[j]) / 2.0;
            if ((status = pirls_pass(s, ps, 0, err)) != VT_OK)
                return status;
            pdev = s->deviance + penalty_apply(s, s->beta, NULL);
        }
        /* No half step lowers the penalised deviance: beta_old is its
         * minimum to rounding (huge lambdas make the last digits noise). */
        int stuck = halving > MAX_HALVING;
        if (!isfinite(pdev))
            return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "the deviance is not finite");
        if ((status = factor_hessian(s, err)) != VT_OK)
            return status;
        double moved = 0.0, size = 0.0;
        for (size_t j = 0; j < q; j++) {
            moved = fmax(moved, fabs(s->beta[j] - s->beta_old[j]));
            size = fmax(size, fabs(s->beta[j]));
        }
        if (stuck || (isfinite(pdev_old) && moved <= INNER_TOLERANCE * (size + 1e-3))) {
            s->inner_converged = 1;
            break;
        }
        pdev_old = pdev;
        memcpy(s->beta_old, s->beta, q * sizeof(double));
        newton_update(s);
    }
    /* V at beta, from the factor of X'WX + S there */
    double log_det = 0.0, log_s = 0.0;
    for (size_t j = 0; j < q; j++)
        log_det += 2.0 * log(s->hessian[j * q + j]);
    for (size_t j = 1; j < q; j++) /* |H_raw| = |H_scaled| / prod(1 / scale)^2 */
        if (!s->raw_column[j])
            log_det += 2.0 * log(s->d->scale[j]);
    size_t null_dim = s->d->n_terms; /* as mgcv counts Mp: aliased columns included */
    for (size_t a = 0; a < s->m; a++) {
        const block *bk = &s->blocks[a];
        if (bk->n_group == 1) {
            log_s += (double)bk->rank * s->rho[a] + bk->log_pdet;
            null_dim -= bk->rank;
        } else if (bk->lead == a) {
            log_s += group_log_det(s, a, NULL, NULL);
            null_dim -= bk->group_rank;
        }
    }
    s->penalty_value = penalty_apply(s, s->beta, NULL);
    s->score = s->deviance / 2.0 + s->penalty_value / 2.0 + log_det / 2.0 - log_s / 2.0 -
               (double)null_dim / 2.0 * log(2.0 * M_PI);
    return VT_OK;
}

/* The gradient (m) and Hessian (m x m) of V in rho at the current fit. */
static vt_status reml_derivatives(gam_state *s, pass_set *ps, double *grad, double *hess, vt_err *err)
{
    size_t q = s->q, m = s->m;
    double *dbeta = vt_calloc(m * q, sizeof(double));
    double *hinv = vt_malloc(q * q * sizeof(double)), *ghat = vt_malloc(q * sizeof(double));
    double *gvec = vt_calloc(q, sizeof(double)), *b_all = vt_calloc(m * q * q, sizeof(double));
    double *tr_hs = vt_calloc(m, sizeof(double)), *work = vt_malloc(q * sizeof(double));
    double *grad_trace = vt_calloc(m, sizeof(double)), *t2 = vt_calloc(m * m, sizeof(double));
    double *cross_trace = vt_calloc(m * m, sizeof(double)), *r = vt_calloc(m * m, sizeof(double));
    double *sk_beta = vt_calloc(m * q, sizeof(double)), *hs_s = vt_calloc(m * q * q, sizeof(double));
    double *ldet1 = vt_calloc(m, sizeof(double)), *ldet2 = vt_calloc(m * m, sizeof(double));
    vt_status status = VT_OK;
    if (!dbeta || !hinv || !ghat || !gvec || !b_all || !tr_hs || !work || !grad_trace || !t2 ||
        !cross_trace || !r || !sk_beta || !hs_s || !ldet1 || !ldet2) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the REML search");
        goto done;
    }
    if ((status = cholesky_invert(s->hessian, q, hinv)) != VT_OK) {
        vt_err_set(err, status, NULL, 0, 0, "out of memory for the REML search");
        goto done;
    }
    /* lambda_a S_a beta (as a q-vector), d beta / d rho_a = -H^-1 lambda_a S_a beta,
     * and H^-1 lambda_a S_a (q x q, nonzero in the block's columns) */
    for (size_t a = 0; a < m; a++) {
        const block *bk = &s->blocks[a];
        double lambda = exp(s->rho[a]);
        double *skb = sk_beta + a * q;
        for (size_t rr = 0; rr < bk->n; rr++) {
            double sum = 0.0;
            for (size_t t = 0; t < bk->n; t++)
                sum += bk->penalty[rr * bk->n + t] * s->beta[bk->first + t];
            skb[bk->first + rr] = lambda * sum;
        }
        for (size_t j = 0; j < q; j++) {
            double sum = 0.0;
            for (size_t t = 0; t < q; t++)
                sum += hinv[j * q + t] * skb[t];
            dbeta[a * q + j] = -sum;
        }
        double *hsa = hs_s + a * q * q;
        for (size_t j = 0; j < q; j++)
            for (size_t t = 0; t < bk->n; t++) {
                double sum = 0.0;
                for (size_t rr = 0; rr < bk->n; rr++)
                    sum += hinv[j * q + bk->first + rr] * bk->penalty[rr * bk->n + t];
                hsa[j * q + bk->first + t] = lambda * sum;
            }
        for (size_t j = 0; j < bk->n; j++)
            tr_hs[a] += hsa[(bk->first + j) * q + bk->first + j];
    }
    size_t n_rows = s->d->n_rows, stride = (n_rows + HESSIAN_ROWS - 1) / HESSIAN_ROWS;
    size_t n_sampled = (n_rows + stride - 1) / stride;
    for (size_t c = 0; c < ps->n; c++) {
        chunk_sums *cs = &ps->chunks[c];
        cs->next_row = n_rows * c / ps->n; /* the chunk's first row (irls_run_pass's chunks) */
        cs->stride = stride;
        cs->factor = s->hessian;
        cs->dbeta = dbeta;
        memset(cs->grad_trace, 0, m * sizeof(double));
        memset(cs->t2, 0, m * m * sizeof(double));
        memset(cs->cross_trace, 0, m * m * sizeof(double));
        memset(cs->gvec, 0, q * sizeof(double));
        memset(cs->b, 0, m * q * q * sizeof(double));
    }
    if ((status = run_rows(s, ps, derivative_rows, err)) != VT_OK)
        goto done;
    double scale_up = (double)n_rows / (double)n_sampled;
    memcpy(s->dbeta, dbeta, m * q * sizeof(double));
    for (size_t c = 0; c < ps->n; c++) {
        chunk_sums *cs = &ps->chunks[c];
        for (size_t a = 0; a < m; a++)
            grad_trace[a] += cs->grad_trace[a];
        for (size_t j = 0; j < m * m; j++) {
            t2[j] += cs->t2[j];
            cross_trace[j] += cs->cross_trace[j] * scale_up;
        }
        for (size_t j = 0; j < q; j++)
            gvec[j] += cs->gvec[j];
        for (size_t j = 0; j < m * q * q; j++)
            b_all[j] += cs->b[j];
    }
    for (size_t a = 0; a < m; a++) {
        gram_mirror(b_all + a * q * q, q);
        if (stride > 1) /* estimated from every stride-th row */
            for (size_t j = 0; j < q * q; j++)
                b_all[a * q * q + j] *= scale_up;
    }
    for (size_t j = 0; j < q; j++) { /* ghat = H^-1 g */
        double sum = 0.0;
        for (size_t t = 0; t < q; t++)
            sum += hinv[j * q + t] * gvec[t];
        ghat[j] = sum;
    }
    for (size_t c = 0; c < ps->n; c++) {
        ps->chunks[c].ghat = ghat;
        ps->chunks[c].next_row = n_rows * c / ps->n;
        memset(ps->chunks[c].r, 0, m * m * sizeof(double));
    }
    if ((status = run_rows(s, ps, second_rows, err)) != VT_OK)
        goto done;
    for (size_t c = 0; c < ps->n; c++)
        for (size_t j = 0; j < m * m; j++)
            r[j] += ps->chunks[c].r[j] * scale_up;
    /* d log|S|+ / d rho_a: rank_a for a term of one penalty; for several,
     * group_log_det's exact derivatives (and second derivatives, ldet2) */
    for (size_t a = 0; a < m; a++)
        ldet1[a] = s->blocks[a].n_group == 1 ? (double)s->blocks[a].rank : 0.0;
    for (size_t a = 0; a < m; a++)
        if (s->blocks[a].n_group > 1 && s->blocks[a].lead == a)
            group_log_det(s, a, ldet1, ldet2);
    for (size_t a = 0; a < m; a++) {
        const block *bk = &s->blocks[a];
        double quad = 0.0; /* beta' lambda_a S_a beta */
        for (size_t j = 0; j < q; j++)
            quad += s->beta[j] * sk_beta[a * q + j];
        grad[a] = bk->fixed ? 0.0 : quad / 2.0 + (tr_hs[a] + grad_trace[a]) / 2.0 - ldet1[a] / 2.0;
        for (size_t b = 0; b < m; b++) {
            /* d2V = d(beta'S_a beta lambda_a / 2)/d rho_b + tr(H^-1 d2H)/2 - tr(H^-1 dH_b H^-1 dH_a)/2 */
            double first = (a == b ? quad / 2.0 : 0.0);
            for (size_t j = 0; j < q; j++)
                first += sk_beta[a * q + j] * dbeta[b * q + j];
            /* g . d2beta_ab, d2beta_ab = -H^-1 (lambda_b S_b dbeta_a + X'C_b X dbeta_a + [a == b] lambda_a S_a beta
             * + lambda_a S_a dbeta_b); ghat = H^-1 g */
            double g_d2 = -r[b * m + a];
            for (size_t j = 0; j < q; j++)
                work[j] = a == b ? sk_beta[a * q + j] : 0.0;
            /* lambda_b S_b dbeta_a and lambda_a S_a dbeta_b, in their blocks */
            for (int side = 0; side < 2; side++) {
                size_t pen = side == 0 ? b : a, vec = side == 0 ? a : b;
                const block *bk2 = &s->blocks[pen];
                double lambda = exp(s->rho[pen]);
                for (size_t rr = 0; rr < bk2->n; rr++) {
                    double sum = 0.0;
                    for (size_t t = 0; t < bk2->n; t++)
                        sum += bk2->penalty[rr * bk2->n + t] * dbeta[vec * q + bk2->first + t];
                    work[bk2->first + rr] += lambda * sum;
                }
            }
            for (size_t j = 0; j < q; j++)
                g_d2 -= ghat[j] * work[j];
            double trace_d2 = (a == b ? tr_hs[a] : 0.0) + t2[a * m + b] + g_d2;
            /* tr(H^-1 lambda_a S_a H^-1 lambda_b S_b) */
            double tss = 0.0;
            const double *hsa = hs_s + a * q * q, *hsb = hs_s + b * q * q;
            for (size_t j = 0; j < s->blocks[a].n; j++)
                for (size_t t = 0; t < s->blocks[b].n; t++)
                    tss += hsa[(s->blocks[b].first + t) * q + s->blocks[a].first + j] *
                           hsb[(s->blocks[a].first + j) * q + s->blocks[b].first + t];
            double tbb = 0.0; /* tr(B_a B_b) */
            const double *ba = b_all + a * q * q, *bb2 = b_all + b * q * q;
            for (size_t j = 0; j < q * q; j++)
                tbb += ba[j] * bb2[j];
            double trace_prod = tss + cross_trace[a * m + b] + cross_trace[b * m + a] + tbb;
            hess[a * m + b] = first + trace_d2 / 2.0 - trace_prod / 2.0;
            if (bk->n_group > 1) /* - d2 log|S|+ / 2 within a term of several penalties */
                hess[a * m + b] -= ldet2[a * m + b] / 2.0;
        }
    }
    for (size_t a = 0; a < m; a++) /* symmetric, and fixed parameters out of the search */
        for (size_t b = 0; b < m; b++) {
            if (b < a) {
                double mean = (hess[a * m + b] + hess[b * m + a]) / 2.0;
                hess[a * m + b] = hess[b * m + a] = mean;
            }
        }
    for (size_t a = 0; a < m; a++)
        if (s->blocks[a].fixed)
            for (size_t b = 0; b < m; b++)
                hess[a * m + b] = hess[b * m + a] = (a == b ? 1.0 : 0.0);
done:
    free(dbeta);
    free(hinv);
    free(ghat);
    free(gvec);
    free(b_all);
    free(tr_hs);
    free(work);
    free(grad_trace);
    free(t2);
    free(cross_trace);
    free(r);
    free(sk_beta);
    free(hs_s);
    free(ldet1);
    free(ldet2);
    return status;
}

/* The Newton step -H^-1 g with H's eigenvalues made positive (GSL). */
static vt_status newton_step(const double *grad, const double *hess, size_t m, double *step, vt_err *err)
{
    double *values = vt_malloc(m * sizeof(double)), *vectors = vt_malloc(m * m * sizeof(double));
    vt_status status = values && vectors ? eigen_symmetric(hess, m, values, vectors) : VT_ENOMEM;
    if (status != VT_OK) {
        free(values);
        free(vectors);
        return vt_err_set(err, status, NULL, 0, 0,
                          status == VT_ENOMEM ? "out of memory for the REML search" : "the REML Hessian's eigenvalues failed");
    }
    double largest = 0.0;
    for (size_t j = 0; j < m; j++)
        largest = fmax(largest, fabs(values[j]));
    for (size_t i = 0; i < m; i++)
        step[i] = 0.0;
    for (size_t j = 0; j < m; j++) {
        double ev = fmax(fabs(values[j]), largest * 1e-7 + 1e-12);
        double proj = 0.0;
        for (size_t i = 0; i < m; i++)
            proj += vectors[i * m + j] * grad[i];
        for (size_t i = 0; i < m; i++)
            step[i] -= vectors[i * m + j] * proj / ev;
    }
    free(values);
    free(vectors);
    return VT_OK;
}

/* mgcv's initial.sp, roughly: each lambda so its penalty's diagonal
 * matches X'WX's over the block, at glm.fit's start. */
static void initial_rho(gam_state *s, const gam_smooth *smooths)
{
    size_t q = s->q;
    for (size_t a = 0; a < s->m; a++) {
        const block *bk = &s->blocks[a];
        if (bk->fixed) {
            s->rho[a] = log(smooths[a].sp);
            continue;
        }
        double xx = 0.0, ss = 0.0;
        for (size_t j = 0; j < bk->n; j++) {
            xx += s->gram[(bk->first + j) * q + bk->first + j];
            ss += bk->penalty[j * bk->n + j];
        }
        s->rho[a] = ss > 0 && xx > 0 ? log(xx / ss) : 0.0;
    }
    memcpy(s->rho_start, s->rho, s->m * sizeof(double));
}

static void state_free(gam_state *s)
{
    for (size_t a = 0; s->blocks && a < s->m; a++) {
        free(s->blocks[a].penalty);
        free(s->blocks[a].rotation);
        free(s->blocks[a].unrotation);
    }
    free(s->raw_column);
    free(s->blocks);
    free(s->rho);
    free(s->rho_start);
    free(s->beta);
    free(s->beta_old);
    free(s->gram);
    free(s->cross);
    free(s->hessian);
    free(s->work);
    free(s->dbeta);
    free(s->cache);
    free(s->cache_y);
    free(s->cache_prior);
}

/* The penalty on the scaled columns (raw beta = scaled beta x
 * inverse_scale), S = U diag(e) U' (GSL), the smallest rank-deficit
 * eigenvalues set to exactly 0.  Working in the columns x U makes the
 * penalty diagonal: lambda e_j lands on the diagonal of X'WX + S, where
 * Cholesky keeps its accuracy however large lambda grows (mgcv gets the
 * same from its reparameterisation, Wood 2011 appendix B), and the
 * penalty can never turn negative from rounding in the null space. */
static vt_status rotate_penalty(const gam_smooth *sm, const double *inverse_scale, block *bk, vt_err *err)
{
    size_t n = sm->n;
    double *scaled = vt_malloc(n * n * sizeof(double)), *values = vt_malloc(n * sizeof(double));
    vt_status status = scaled && values ? VT_OK : VT_ENOMEM;
    for (size_t r = 0; status == VT_OK && r < n; r++)
        for (size_t t = 0; t < n; t++)
            scaled[r * n + t] = sm->penalty[r * n + t] * inverse_scale[r] * inverse_scale[t];
    if (status == VT_OK)
        status = eigen_symmetric(scaled, n, values, bk->rotation);
    for (size_t j = 0; status == VT_OK && j < n; j++) {
        double e = j < sm->rank ? values[j] : 0.0;
        bk->penalty[j * n + j] = e > 0 ? e : 0.0;
        for (size_t r = 0; r < n; r++)
            bk->unrotation[j * n + r] = bk->rotation[r * n + j];
    }
    free(scaled);
    free(values);
    if (status != VT_OK)
        return vt_err_set(err, status, NULL, 0, 0,
                          status == VT_ENOMEM ? "out of memory for the fit" : "the eigenvalues of a smooth's penalty failed");
    return VT_OK;
}

/* Entries over the same columns form one term: each block's lead (its
 * term's first entry) and the term's size.  Blocks that overlap without
 * being the same are refused. */
static vt_status group_smooths(const gam_smooth *smooths, size_t m, block *blocks, vt_err *err)
{
    for (size_t a = 0; a < m; a++) {
        blocks[a].lead = a;
        for (size_t b = 0; b < a; b++) {
            const gam_smooth *x = &smooths[a], *y = &smooths[b];
            if (x->first == y->first && x->n == y->n) {
                blocks[a].lead = blocks[b].lead;
                break;
            }
            if (x->first < y->first + y->n && y->first < x->first + x->n)
                return vt_err_set(err, VT_EBADLEN, NULL, 0, 0,
                                  "smooth terms over columns %zu..%zu and %zu..%zu overlap", y->first,
                                  y->first + y->n - 1, x->first, x->first + x->n - 1);
        }
    }
    for (size_t a = 0; a < m; a++) {
        size_t n_group = 0;
        for (size_t b = 0; b < m; b++)
            n_group += blocks[b].lead == blocks[a].lead;
        blocks[a].n_group = n_group;
    }
    return VT_OK;
}

/* Weights of the penalties in the matrix whose eigenvectors diagonalise
 * them all (rotate_jointly): unrelated numbers, so that no two of its
 * eigenvalues coincide by accident; a second set if the first fails. */
static const double JOINT_WEIGHTS[2][4] = {{1.0, 0.6180339887498949, 0.4142135623730950, 0.2679491924311228},
                                           {1.0, 0.3819660112501051, 0.7320508075688772, 0.5857864376269050}};
/* Off the diagonal after the rotation, relative to the largest eigenvalue:
 * rounding is about 1e-15; more means the penalties do not commute. */
#define JOINT_TOLERANCE 1e-9

/* A term of several penalties (ti()'s two): the columns are rotated so
 * that every one of its penalties is diagonal, as rotate_penalty does for
 * one.  Tensor-product penalties S_1 = A (x) I and S_2 = I (x) B commute on
 * the raw columns, so the eigenvectors U of w_1 S_1 / |S_1| + w_2 S_2 /
 * |S_2| (GSL) diagonalise both (they are the products of A's and B's
 * eigenvectors).  The design's column scaling would break that, so the
 * rotation undoes it: solver columns = scaled columns diag(scale) U =
 * (raw - centre) U.  Each penalty in those columns is diag(U' S_i U), its
 * n - rank_i smallest entries set to exactly 0.  Penalties that are not
 * simultaneously diagonalisable are refused (VT_EDATA). */
static vt_status rotate_jointly(gam_state *s, const gam_smooth *smooths, size_t lead, vt_err *err)
{
    block *bk = &s->blocks[lead];
    size_t n = bk->n, m = s->m;
    const double *scale = s->d->scale + bk->first, *inverse_scale = s->d->inverse_scale + bk->first;
    double *mix = vt_malloc(n * n * sizeof(double)), *values = vt_malloc(n * sizeof(double));
    double *vectors = vt_malloc(n * n * sizeof(double)), *rotated = vt_malloc(n * n * sizeof(double));
    double *half = vt_malloc(n * n * sizeof(double));
    size_t *order = vt_malloc(n * sizeof(size_t));
    vt_status status = mix && values && vectors && rotated && half && order ? VT_OK : VT_ENOMEM;
    int diagonal = 0;
    for (int attempt = 0; status == VT_OK && attempt < 2 && !diagonal; attempt++) {
        memset(mix, 0, n * n * sizeof(double));
        size_t i = 0;
        for (size_t a = lead; a < m; a++) {
            if (s->blocks[a].lead != lead)
                continue;
            double largest = 0.0, w = JOINT_WEIGHTS[attempt][i++ % 4];
            for (size_t j = 0; j < n * n; j++)
                largest = fmax(largest, fabs(smooths[a].penalty[j]));
            for (size_t j = 0; largest > 0 && j < n * n; j++)
                mix[j] += w * smooths[a].penalty[j] / largest;
        }
        if ((status = eigen_symmetric(mix, n, values, vectors)) != VT_OK)
            break;
        diagonal = 1;
        for (size_t a = lead; a < m && diagonal; a++) {
            if (s->blocks[a].lead != lead)
                continue;
            const double *p = smooths[a].penalty; /* rotated = U' S U */
            for (size_t r = 0; r < n; r++)
                for (size_t c = 0; c < n; c++) {
                    double sum = 0.0;
                    for (size_t t = 0; t < n; t++)
                        sum += p[r * n + t] * vectors[t * n + c];
                    half[r * n + c] = sum;
                }
            double largest = 0.0, off = 0.0;
            for (size_t r = 0; r < n; r++)
                for (size_t c = 0; c < n; c++) {
                    double sum = 0.0;
                    for (size_t t = 0; t < n; t++)
                        sum += vectors[t * n + r] * half[t * n + c];
                    rotated[r * n + c] = sum;
                    if (r == c)
                        largest = fmax(largest, fabs(sum));
                    else
                        off = fmax(off, fabs(sum));
                }
            diagonal = off <= JOINT_TOLERANCE * largest;
            /* the n - rank smallest diagonal entries are the null space's */
            block *pb = &s->blocks[a];
            for (size_t j = 0; j < n; j++)
                order[j] = j;
            for (size_t j = 1; j < n; j++) /* insertion sort, descending (n is small) */
                for (size_t t = j; t > 0 && rotated[order[t] * n + order[t]] > rotated[order[t - 1] * n + order[t - 1]]; t--) {
                    size_t swap = order[t];
                    order[t] = order[t - 1];
                    order[t - 1] = swap;
                }
            memset(pb->penalty, 0, n * n * sizeof(double));
            for (size_t j = 0; j < smooths[a].rank && j < n; j++) {
                double e = rotated[order[j] * n + order[j]];
                pb->penalty[order[j] * n + order[j]] = e > 0 ? e : 0.0;
            }
            if (smooths[a].rank < n && fabs(rotated[order[smooths[a].rank] * n + order[smooths[a].rank]]) > JOINT_TOLERANCE * largest)
                diagonal = 0; /* the stated rank is too small */
        }
    }
    if (status == VT_OK && !diagonal)
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0,
                            "the penalties of one smooth term are not simultaneously diagonalisable "
                            "(only tensor-product penalties may share a block)");
    else if (status != VT_OK)
        vt_err_set(err, status, NULL, 0, 0,
                   status == VT_ENOMEM ? "out of memory for the fit" : "the eigenvalues of a smooth's penalties failed");
    if (status == VT_OK) {
        for (size_t r = 0; r < n; r++)
            for (size_t c = 0; c < n; c++) {
                bk->rotation[r * n + c] = scale[r] * vectors[r * n + c];
                bk->unrotation[c * n + r] = vectors[r * n + c] * inverse_scale[r];
            }
        for (size_t j = 0; j < n; j++)
            s->raw_column[bk->first + j] = 1;
        size_t rank = 0; /* of the sum: the columns some penalty reaches */
        for (size_t j = 0; j < n; j++) {
            int reached = 0;
            for (size_t a = lead; a < m; a++)
                reached |= s->blocks[a].lead == lead && s->blocks[a].penalty[j * n + j] > 0;
            rank += reached;
        }
        bk->group_rank = rank;
    }
    free(mix);
    free(values);
    free(vectors);
    free(rotated);
    free(half);
    free(order);
    return status;
}

/* log|S_lambda|+ of the term of several penalties led by block lead: its
 * penalties are diagonal in the solver's columns (rotate_jointly), so it
 * is sum_j log t_j, t_j = sum_i lambda_i e_ij over the columns j some
 * penalty reaches (the rank of the sum, known from the rotation: for ti(),
 * all but the one column of the product of the margins' straight lines).
 * With d1 and d2 not NULL, adds its exact derivatives in rho:
 *   d1[a] = lambda_a tr(S^+ S_a) = sum_j f_aj,  f_aj = lambda_a e_aj / t_j,
 *   d2[a, b] = [a = b] d1[a] - lambda_a lambda_b tr(S^+ S_a S^+ S_b)
 *            = sum_j f_aj ([a = b] - f_bj),  with 1 - f_aj summed from the others.
 * Every term is a ratio of sums of non-negative numbers, so each is exact
 * to a few roundings however far apart the lambdas are: what mgcv's
 * similarity transform (Wood 2011, appendix B) buys, here from the
 * penalties' structure. */
static double group_log_det(const gam_state *s, size_t lead, double *d1, double *d2)
{
    size_t n = s->blocks[lead].n, m = s->m;
    double total = 0.0;
    for (size_t j = 0; j < n; j++) {
        double t = 0.0;
        for (size_t a = lead; a < m; a++)
            if (s->blocks[a].lead == lead)
                t += exp(s->rho[a]) * s->blocks[a].penalty[j * n + j];
        if (!(t > 0))
            continue;
        total += log(t);
        for (size_t a = lead; d1 && a < m; a++) {
            if (s->blocks[a].lead != lead)
                continue;
            double fa = exp(s->rho[a]) * s->blocks[a].penalty[j * n + j] / t, others = 0.0;
            if (fa == 0.0)
                continue;
            d1[a] += fa;
            for (size_t b = lead; b < m; b++) {
                if (s->blocks[b].lead != lead || b == a)
                    continue;
                double fb = exp(s->rho[b]) * s->blocks[b].penalty[j * n + j] / t;
                others += fb;
                d2[a * m + b] -= fa * fb;
            }
            d2[a * m + a] += fa * others;
        }
    }
    return total;
}

/* The kept columns of the smooths, and their penalties on the scaled columns. */
static vt_status state_init(gam_state *s, const irls_design *d, size_t k, const gam_smooth *smooths, size_t m,
                            vt_err *err)
{
    memset(s, 0, sizeof *s);
    s->d = d;
    s->k = k;
    s->q = d->n_kept;
    s->m = m;
    size_t q = s->q;
    s->blocks = vt_calloc(m ? m : 1, sizeof *s->blocks);
    s->rho = vt_calloc(m ? m : 1, sizeof(double));
    s->rho_start = vt_calloc(m ? m : 1, sizeof(double));
    s->beta = vt_calloc(q, sizeof(double));
    s->beta_old = vt_calloc(q, sizeof(double));
    s->gram = vt_calloc(q * q, sizeof(double));
    s->cross = vt_calloc(q, sizeof(double));
    s->hessian = vt_calloc(q * q, sizeof(double));
    s->work = vt_calloc(2 * q, sizeof(double));
    s->dbeta = vt_calloc((m ? m : 1) * q, sizeof(double));
    /* The rows as the solver sees them, kept after the first pass when they
     * fit: every later pass then skips the source's encoding and the
     * basis.  Without room (or memory) the passes read the source. */
    size_t n_rows = d->n_rows;
    if ((double)n_rows * (double)(q + 2) * sizeof(double) <= GAM_CACHE_BYTES) {
        s->cache = vt_malloc(n_rows * q * sizeof(double));
        s->cache_y = vt_malloc(n_rows * sizeof(double));
        s->cache_prior = d->weighted_mean[k] ? vt_malloc(n_rows * sizeof(double)) : NULL;
        if (!s->cache || !s->cache_y || (d->weighted_mean[k] && !s->cache_prior)) {
            free(s->cache);
            free(s->cache_y);
            free(s->cache_prior);
            s->cache = s->cache_y = s->cache_prior = NULL;
        }
    }
    s->raw_column = vt_calloc(q, sizeof(int));
    if (!s->work || !s->dbeta || !s->blocks || !s->rho || !s->rho_start || !s->beta || !s->beta_old || !s->gram || !s->cross || !s->hessian || !s->raw_column)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
    vt_status grouped = group_smooths(smooths, m, s->blocks, err);
    if (grouped != VT_OK)
        return grouped;
    for (size_t a = 0; a < m; a++) {
        const gam_smooth *sm = &smooths[a];
        size_t kept = 0;
        while (kept < q && d->term_of[kept] != sm->first)
            kept++;
        for (size_t j = 0; j < sm->n; j++)
            if (kept + j >= q || d->term_of[kept + j] != sm->first + j) {
                const char *name = d->source.term_names ? d->source.term_names[sm->first + j] : "?";
                return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                                  "the smooth term %s is aliased with other terms: make the column linear or drop it",
                                  name);
            }
        block *bk = &s->blocks[a];
        bk->first = kept;
        bk->n = sm->n;
        bk->rank = sm->rank;
        bk->log_pdet = sm->log_pdet;
        bk->fixed = sm->sp > 0;
        if (sm->n > GAM_MAX_BLOCK)
            return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a smooth of %zu columns: at most %d", sm->n, GAM_MAX_BLOCK);
        if ((bk->penalty = vt_calloc(sm->n * sm->n, sizeof(double))) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
        if (bk->lead != a)
            continue; /* rotated with its lead, below */
        if ((bk->rotation = vt_malloc(sm->n * sm->n * sizeof(double))) == NULL ||
            (bk->unrotation = vt_malloc(sm->n * sm->n * sizeof(double))) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
    }
    for (size_t a = 0; a < m; a++) {
        block *bk = &s->blocks[a];
        vt_status status = VT_OK;
        if (bk->n_group == 1)
            status = rotate_penalty(&smooths[a], d->inverse_scale + bk->first, bk, err);
        else if (bk->lead == a)
            status = rotate_jointly(s, smooths, a, err);
        if (status != VT_OK)
            return status;
    }
    return VT_OK;
}

/* The outer Newton search; leaves the fit at the chosen rho. */
static vt_status reml_search(gam_state *s, pass_set *ps, const gam_smooth *smooths, int max_iter, int *steps,
                             int *converged, vt_err *err)
{
    size_t m = s->m;
    vt_status status;
    *steps = 0;
    *converged = 0;
    /* the start pass gives X'WX for the initial lambdas */
    if ((status = pirls_pass(s, ps, 1, err)) != VT_OK)
        return status;
    initial_rho(s, smooths);
    if ((status = factor_hessian(s, err)) != VT_OK)
        return status;
    cholesky_solve(s->hessian, s->q, s->cross, s->beta);
    s->started = 1;
    if ((status = pirls(s, ps, max_iter, err)) != VT_OK)
        return status;
    int any_free = 0;
    for (size_t a = 0; a < m; a++)
        any_free |= !s->blocks[a].fixed;
    if (!any_free) {
        *converged = 1;
        return VT_OK;
    }
    double *grad = vt_malloc(m * sizeof(double)), *hess = vt_malloc(m * m * sizeof(double));
    double *step = vt_malloc(m * sizeof(double)), *rho_old = vt_malloc(m * sizeof(double));
    double *beta_keep = vt_malloc(s->q * sizeof(double));
    int *active = vt_calloc(m, sizeof(int)), *tail = vt_calloc(m, sizeof(int));
    double *grad_sign = vt_calloc(m, sizeof(double));
    if (!grad || !hess || !step || !rho_old || !beta_keep || !active || !tail || !grad_sign) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the REML search");
        goto done;
    }
    for (*steps = 0; *steps < MAX_NEWTON; (*steps)++) {
        if ((status = reml_derivatives(s, ps, grad, hess, err)) != VT_OK)
            goto done;
        /* As mgcv's newton (its uconv.ind), a parameter whose gradient is
         * below tolerance is left out of the step.  One in a flat tail
         * (curvature below twice the slope: lambda -> infinity making its
         * smooth a straight line, or -> 0 leaving it unpenalised, where g
         * and h shrink together like exp(-|rho|)) would only creep along
         * by Newton's step of about 1; it moves by TAIL_STEP downhill. */
        double largest = 0.0, tolerance = OUTER_TOLERANCE * (fabs(s->score) + 1.0);
        size_t n_active = 0;
        memcpy(grad_sign, grad, m * sizeof(double));
        for (size_t a = 0; a < m; a++) {
            int at_bound = (grad[a] < 0 && s->rho[a] >= s->rho_start[a] + RHO_RANGE) ||
                           (grad[a] > 0 && s->rho[a] <= s->rho_start[a] - RHO_RANGE);
            int moving = !s->blocks[a].fixed && fabs(grad[a]) >= tolerance && !at_bound;
            tail[a] = moving && hess[a * m + a] < 2.0 * fabs(grad[a]);
            active[a] = moving && !tail[a];
            n_active += moving;
            if (moving)
                largest = fmax(largest, fabs(grad[a]));
        }
        if (n_active == 0) {
            *converged = 1;
            break;
        }
        for (size_t a = 0; a < m; a++) /* Newton in the active parameters */
            for (size_t b = 0; b < m; b++)
                if (!active[a] || !active[b])
                    hess[a * m + b] = a == b ? 1.0 : 0.0;
        for (size_t a = 0; a < m; a++)
            if (!active[a])
                grad[a] = 0.0;
        if ((status = newton_step(grad, hess, m, step, err)) != VT_OK)
            goto done;
        for (size_t a = 0; a < m; a++)
            if (tail[a])
                step[a] = grad_sign[a] < 0 ? TAIL_STEP : -TAIL_STEP;
        double size = 0.0;
        for (size_t a = 0; a < m; a++)
            size = fmax(size, fabs(step[a]));
        if (size > MAX_STEP)
            for (size_t a = 0; a < m; a++)
                step[a] *= MAX_STEP / size;
        double score_old = s->score;
        memcpy(rho_old, s->rho, m * sizeof(double));
        memcpy(beta_keep, s->beta, s->q * sizeof(double));
        int accepted = 0;
        for (int halving = 0; halving < MAX_HALVING && !accepted; halving++) {
            for (size_t a = 0; a < m; a++)
                s->rho[a] = fmin(fmax(rho_old[a] + step[a], s->rho_start[a] - RHO_RANGE), s->rho_start[a] + RHO_RANGE);
            /* start from beta moved along d beta / d rho: fewer inner steps */
            for (size_t j = 0; j < s->q; j++) {
                double moved = 0.0;
                for (size_t a = 0; a < m; a++)
                    moved += s->dbeta[a * s->q + j] * (s->rho[a] - rho_old[a]);
                s->beta[j] = beta_keep[j] + moved;
            }
            memcpy(s->beta_old, s->beta, s->q * sizeof(double));
            status = pirls(s, ps, max_iter, err);
            if (status == VT_OK && s->score <= score_old)
                accepted = 1;
            else if (status != VT_OK && status != VT_ENUMERIC)
                goto done;
            for (size_t a = 0; a < m; a++)
                step[a] /= 2.0;
        }
        if (!accepted) { /* no step lowers V: we are at the optimum to rounding */
            memcpy(s->rho, rho_old, m * sizeof(double));
            memcpy(s->beta, beta_keep, s->q * sizeof(double));
            memcpy(s->beta_old, beta_keep, s->q * sizeof(double));
            if ((status = pirls(s, ps, max_iter, err)) != VT_OK)
                goto done;
            *converged = largest < 1e-4 * (fabs(s->score) + 1.0);
            break;
        }
        if (score_old - s->score < 1e-13 * (fabs(s->score) + 1.0) && largest < 1e-5 * (fabs(s->score) + 1.0)) {
            *converged = 1;
            break;
        }
    }
    status = VT_OK;
done:
    free(grad);
    free(hess);
    free(step);
    free(rho_old);
    free(beta_keep);
    free(active);
    free(tail);
    free(grad_sign);
    return status;
}

/* ------------------------------------------------------------ the result */

/* Raw-scale estimates, Vp, edf and the smooths' tests from the fit. */
static vt_status report(const gam_state *s, irls_result *result, vt_err *err)
{
    const irls_design *d = s->d;
    size_t q = s->q, m = s->m, p = d->n_terms;
    double *hinv = vt_malloc(q * q * sizeof(double)), *t = vt_calloc(q * q, sizeof(double));
    double *tinv = vt_calloc(q * q, sizeof(double)), *tmp = vt_malloc(q * q * sizeof(double));
    double *cov = vt_malloc(q * q * sizeof(double)), *fs = vt_malloc(q * q * sizeof(double));
    double *fr = vt_malloc(q * q * sizeof(double)), *gr = vt_malloc(q * q * sizeof(double));
    double *beta = vt_malloc(q * sizeof(double));
    irls_smooth_info *info = vt_calloc(1, sizeof *info);
    vt_status status = VT_OK;
    if (!hinv || !t || !tinv || !tmp || !cov || !fs || !fr || !gr || !beta || !info) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    result->smooth = info;
    info->n_smooths = m;
    info->sp = vt_calloc(m ? m : 1, sizeof(double));
    info->edf = vt_calloc(m ? m : 1, sizeof(double));
    info->edf1 = vt_calloc(m ? m : 1, sizeof(double));
    info->ref_df = vt_calloc(m ? m : 1, sizeof(double));
    info->chi_sq = vt_calloc(m ? m : 1, sizeof(double));
    info->p_value = vt_calloc(m ? m : 1, sizeof(double));
    info->edf_term = vt_calloc(p, sizeof(double));
    info->cov = vt_calloc(p * p, sizeof(double));
    if (!info->sp || !info->edf || !info->edf1 || !info->ref_df || !info->chi_sq || !info->p_value ||
        !info->edf_term || !info->cov || cholesky_invert(s->hessian, q, hinv) != VT_OK) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* T: the solver's coefficients -> raw ones (undo the rotation, then the
     * centring and scaling); T^-1 */
    double *scaling = fs, *unscaling = fr, *rotation = gr, *unrotation = cov; /* scratch until used below */
    memset(scaling, 0, q * q * sizeof(double));
    memset(unscaling, 0, q * q * sizeof(double));
    memset(rotation, 0, q * q * sizeof(double));
    memset(unrotation, 0, q * q * sizeof(double));
    scaling[0] = unscaling[0] = 1.0;
    for (size_t j = 1; j < q; j++) {
        scaling[j * q + j] = d->inverse_scale[j];
        scaling[j] = -d->center[j] * d->inverse_scale[j];
        unscaling[j * q + j] = d->scale[j];
        unscaling[j] = d->center[j];
    }
    for (size_t j = 0; j < q; j++)
        rotation[j * q + j] = unrotation[j * q + j] = 1.0;
    for (size_t a = 0; a < m; a++) {
        const block *bk = &s->blocks[a];
        if (bk->lead != a)
            continue;
        for (size_t r = 0; r < bk->n; r++)
            for (size_t c = 0; c < bk->n; c++) {
                rotation[(bk->first + r) * q + bk->first + c] = bk->rotation[r * bk->n + c];
                unrotation[(bk->first + r) * q + bk->first + c] = bk->unrotation[r * bk->n + c];
            }
    }
#define MATMUL(out, A, B, TA, TB)                                                                              \
    for (size_t i_ = 0; i_ < q; i_++)                                                                          \
        for (size_t j_ = 0; j_ < q; j_++) {                                                                    \
            double sum_ = 0.0;                                                                                 \
            for (size_t c_ = 0; c_ < q; c_++)                                                                  \
                sum_ += (TA ? A[c_ * q + i_] : A[i_ * q + c_]) * (TB ? B[j_ * q + c_] : B[c_ * q + j_]);       \
            out[i_ * q + j_] = sum_;                                                                           \
        }
    MATMUL(t, scaling, rotation, 0, 0);     /* T = scaling U */
    MATMUL(tinv, unrotation, unscaling, 0, 0); /* T^-1 = U^-1 scaling^-1 (U' for one penalty) */
    MATMUL(tmp, t, hinv, 0, 0);  /* Vp = T H^-1 T' */
    MATMUL(cov, tmp, t, 0, 1);
    MATMUL(fs, hinv, s->gram, 0, 0); /* F = T (H^-1 X'WX) T^-1 */
    MATMUL(tmp, t, fs, 0, 0);
    MATMUL(fr, tmp, tinv, 0, 0);
    MATMUL(tmp, tinv, s->gram, 1, 0); /* X'WX raw = T^-T G T^-1 */
    MATMUL(gr, tmp, tinv, 0, 0);
#undef MATMUL
    for (size_t i = 0; i < q; i++) {
        double sum = 0.0;
        for (size_t c = 0; c < q; c++)
            sum += t[i * q + c] * s->beta[c];
        beta[i] = sum;
    }
    for (size_t term = 0; term < p; term++)
        if (result->aliased[term])
            result->estimate[term] = result->std_error[term] = result->z_value[term] = result->p_value[term] = NAN;
    double edf_total = 0.0;
    for (size_t i = 0; i < q; i++) {
        size_t term = d->term_of[i];
        double se = sqrt(cov[i * q + i]);
        result->estimate[term] = beta[i];
        result->std_error[term] = se;
        result->z_value[term] = beta[i] / se;
        result->p_value[term] = 2.0 * gsl_cdf_ugaussian_P(-fabs(beta[i] / se));
        info->edf_term[term] = fr[i * q + i];
        edf_total += fr[i * q + i];
        for (size_t j = 0; j < q; j++)
            info->cov[term * p + d->term_of[j]] = cov[i * q + j];
    }
    info->edf_total = edf_total;
    for (size_t a = 0; a < m; a++) {
        const block *bk = &s->blocks[a];
        size_t n = bk->n, f = bk->first;
        if (bk->lead != a) { /* a term's further penalty: its own sp, the term's figures */
            size_t l = bk->lead;
            info->sp[a] = exp(s->rho[a]);
            info->edf[a] = info->edf[l];
            info->edf1[a] = info->edf1[l];
            info->ref_df[a] = info->ref_df[l];
            info->chi_sq[a] = info->chi_sq[l];
            info->p_value[a] = info->p_value[l];
            continue;
        }
        double edf = 0.0, edf1 = 0.0;
        for (size_t j = f; j < f + n; j++) {
            double ff = 0.0;
            for (size_t c = 0; c < q; c++)
                ff += fr[j * q + c] * fr[c * q + j];
            edf += fr[j * q + j];
            edf1 += 2.0 * fr[j * q + j] - ff;
        }
        info->sp[a] = exp(s->rho[a]);
        info->edf[a] = edf;
        info->edf1[a] = edf1;
        double *gb = vt_malloc(n * n * sizeof(double)), *cb = vt_malloc(n * n * sizeof(double));
        if (!gb || !cb) {
            free(gb);
            free(cb);
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        for (size_t r = 0; r < n; r++)
            for (size_t c = 0; c < n; c++) {
                gb[r * n + c] = gr[(f + r) * q + f + c];
                cb[r * n + c] = cov[(f + r) * q + f + c];
            }
        smooth_test_result test;
        status = smooth_test(n, gb, cb, beta + f, fmin((double)n, edf1), -1.0, &test, err);
        free(gb);
        free(cb);
        if (status != VT_OK)
            goto done;
        info->ref_df[a] = test.ref_df;
        info->chi_sq[a] = test.stat;
        /* Davies' integration can undershoot 0 by its error (R prints it
         * as < 2e-16); a probability is stored as one */
        info->p_value[a] = fmin(1.0, fmax(0.0, test.p_value));
    }
    info->reml = s->score;
    result->deviance = s->deviance;
    result->null_deviance = s->null_deviance;
    result->n_obs = d->n_obs[s->k];
    result->rank = q;
    result->df_residual = d->n_obs[s->k] > q ? d->n_obs[s->k] - q : 0;
    result->df_null = d->n_obs[s->k] - 1;
    result->log_likelihood = -s->deviance / 2.0;
    result->aic = s->deviance + 2.0 * edf_total;
    result->bic = s->deviance + log((double)d->n_obs[s->k]) * edf_total;
    result->iterations = s->iterations;
done:
    free(hinv);
    free(t);
    free(tinv);
    free(tmp);
    free(cov);
    free(fs);
    free(fr);
    free(gr);
    free(beta);
    return status;
}

vt_status gam_fit(const irls_design *prepared, size_t k, const char *name, const gam_smooth *smooths,
                  size_t n_smooths, const irls_options *options, irls_result **out, vt_err *err)
{
    *out = NULL;
    gam_state s;
    pass_set ps = {0};
    vt_status status = state_init(&s, prepared, k, smooths, n_smooths, err);
    if (status == VT_OK && !passes_alloc(&ps, &s))
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
    int steps = 0, converged = 0;
    int max_iter = options->max_iter > 0 ? options->max_iter : 25;
    if (status == VT_OK)
        status = reml_search(&s, &ps, smooths, max_iter < 100 ? 100 : max_iter, &steps, &converged, err);
    irls_result *result = NULL;
    if (status == VT_OK && (result = irls_result_new(prepared)) == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK && (status = report(&s, result, err)) == VT_OK) {
        result->smooth->outer_iterations = steps;
        result->smooth->outer_converged = converged;
        result->converged = s.inner_converged && converged;
    }
    if (status != VT_OK) {
        char detail[sizeof err->msg];
        snprintf(detail, sizeof detail, "%s", err->msg);
        vt_err_set(err, status, NULL, 0, 0, "fitting the %s model: %s", name ? name : "", detail);
        irls_result_free(result);
        result = NULL;
    }
    passes_free(&ps);
    state_free(&s);
    *out = result;
    return status;
}
