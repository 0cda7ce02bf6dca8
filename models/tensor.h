/* tensor: mgcv's tensor-product interaction ti(x1, x2, bs = "cr",
 * k = c(k1, k2)) (mgcv 1.8-41), its basis of (k1 - 1)(k2 - 1) columns and
 * its two penalties, exactly as mgcv builds them.
 *
 * mgcv's steps (smooth.construct.tensor.smooth.spec with inter = TRUE, as
 * ti() sets it, then smoothCon on the result):
 *  1. Each margin is smoothCon(s(x_i, bs = "cr", k = k_i), absorb.cons =
 *     TRUE): the cr basis on the training values of its column
 *     (smooth_spec_learn: knots at quantiles of the distinct values), its sum-to-zero
 *     constraint (ti's mc = TRUE; a Householder reflection, as s() has) and
 *     its penalty over the margin's own S.scale.  That is a smooth_spec,
 *     built as for an s() term, byte for byte the same.
 *  2. np = TRUE would reparameterise each margin to its values at evenly
 *     spaced points (XP), but cr.smooth sets noterp, so mgcv skips it for
 *     cr margins (object$XP is empty): nothing to do.
 *  3. Each margin's penalty Sm_i is divided by its largest eigenvalue
 *     (eigen(Sm_i)$values[1]).
 *  4. tensor.prod.model.matrix: column i2 + (k2 - 1) i1 (0-based) is margin
 *     1's column i1 times margin 2's column i2 (the second margin varies
 *     fastest).  tensor.prod.penalties: S_1 = Sm_1 (x) I, S_2 = I (x) Sm_2
 *     (Kronecker products, symmetrised).
 *  5. ti has no constraint of its own (C is 0 x 0: the marginal constraints
 *     already make it orthogonal to s(x1) + s(x2)).  smoothCon's S.scale:
 *     each S_j is divided by ||S_j||_1 / ||X||_inf^2, X the tensor model
 *     matrix at the training rows.
 * Each penalty's rank is that of its margin times the other's columns:
 * (k1 - 2)(k2 - 1) and (k1 - 1)(k2 - 2); their sum has rank
 * (k1 - 1)(k2 - 1) - 1 (its null space is the product of the two
 * margins' straight lines, mgcv's null.space.dim = 1).
 *
 * A spec is what a model file stores: the two margins as smooth_spec
 * stores them (k, knots, constraint, penalty_scale each), the two
 * largest marginal eigenvalues (margin_norm) and the two S.scale values
 * (penalty_scale).  tensor_finish derives the rest: each margin's poly
 * (smooth_finish: the per-interval cubic the scorer and the SQL export
 * evaluate, as for an s() column) and the two penalties.  Evaluating a row
 * (tensor_eval) reads only the margins' polys and multiplies, in a fixed
 * order: the same bytes on every CPU.
 *
 * Not thread-safe to build; a finished spec may be read from any thread.
 * A spec owns its arrays; tensor_free releases them. */
#ifndef TENSOR_H
#define TENSOR_H

#include <stddef.h>

#include "smooth.h"
#include "vt.h"

#define TENSOR_DEFAULT_K 5 /* ti()'s k = c(5, 5) */
#define TENSOR_MAX_K 20    /* per margin: a block of up to 361 columns */

typedef struct {
    smooth_spec margin[2];   /* stored as an s() spec stores; margin[i].poly etc. derived */
    double margin_norm[2];   /* stored: the largest eigenvalue of margin i's penalty (step 3) */
    double penalty_scale[2]; /* stored: smoothCon's S.scale of S_1 and S_2 (step 5) */
    /* derived by tensor_finish: */
    size_t n;                /* columns: (k1 - 1)(k2 - 1) */
    double *penalty[2];      /* n x n each, row-major: mgcv's sm$S[[1]], sm$S[[2]] */
} tensor_spec;

/* Build the spec of ti(x1, x2, bs = "cr", k = c(k1, k2)) from the training
 * values of the two columns (x1[r], x2[r] for the n_rows rows the fit
 * uses, after imputation; prior weights play no part, as in mgcv), then
 * tensor_finish.  Each column needs at least k_i distinct values.  Errors:
 * VT_EDATA (too few distinct values, k outside 3 .. TENSOR_MAX_K, a
 * non-finite value), VT_ENOMEM, VT_ENUMERIC.  On failure spec is freed. */
vt_status tensor_spec_build(const double *x1, const double *x2, size_t n_rows, size_t k1, size_t k2,
                            tensor_spec *spec /* OUT */, vt_err *err);

/* Derive both margins (smooth_finish) and the two penalties from the
 * stored fields (set by the caller, e.g. a model loader, on a zeroed
 * spec). */
vt_status tensor_finish(tensor_spec *spec, vt_err *err);
void tensor_free(tensor_spec *spec); /* NULL ok; the spec is left zeroed */

/* The basis row at (x1, x2): spec->n values, column i2 + (k2 - 1) i1 =
 * smooth_eval(margin 0, x1)[i1] * smooth_eval(margin 1, x2)[i2] (beyond
 * the knots each margin continues as its straight line, as mgcv's
 * PredictMat does). */
void tensor_eval(const tensor_spec *spec, double x1, double x2, double *out /* OUT: spec->n */);

/* The rank of penalty j (0 or 1): (k1 - 2)(k2 - 1) or (k1 - 1)(k2 - 2). */
size_t tensor_penalty_rank(const tensor_spec *spec, int j);

#endif
