/* IRLS: closed-form answers, aliasing as R does it, non-convergence. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "irls.h"
#include "testutil.h"


/* n rows of a 2x2 table: x = 0/1, y = 0/1, with the given cell counts. */
static size_t two_by_two(size_t a, size_t b, size_t c, size_t d, double **design, double **y)
{
    /* a: x=1,y=1  b: x=1,y=0  c: x=0,y=1  d: x=0,y=0 */
    size_t n = a + b + c + d, i = 0;
    *design = calloc(n * 2, sizeof(double));
    *y = calloc(n, sizeof(double));
    size_t counts[4] = {a, b, c, d};
    for (int cell = 0; cell < 4; cell++)
        for (size_t k = 0; k < counts[cell]; k++, i++) {
            (*design)[i * 2] = 1;
            (*design)[i * 2 + 1] = cell < 2;
            (*y)[i] = cell % 2 == 0;
        }
    return n;
}

typedef struct {
    const double *design;
    size_t n_terms;
    const double *y[IRLS_MAX_TARGETS];
    const double *prior[IRLS_MAX_TARGETS]; /* NULL: all 1 */
} matrix_source;

/* Rows of an in-memory design, as a source hands them out. */
static vt_status matrix_scan(const void *context, size_t first, size_t count, irls_visit_fn visit,
                             void *visit_context, vt_err *err)
{
    (void)err;
    const matrix_source *matrix = context;
    for (size_t start = first; start < first + count; start += IRLS_BLOCK_ROWS) {
        irls_block block = {first + count - start < IRLS_BLOCK_ROWS ? first + count - start : IRLS_BLOCK_ROWS,
                            matrix->design + start * matrix->n_terms, {0}, {0}};
        for (size_t k = 0; k < IRLS_MAX_TARGETS; k++) {
            block.y[k] = matrix->y[k] ? matrix->y[k] + start : NULL;
            block.prior[k] = matrix->prior[k] ? matrix->prior[k] + start : NULL;
        }
        vt_status status = visit(visit_context, &block);
        if (status != VT_OK)
            return status;
    }
    return VT_OK;
}

/* Prepare and fit n_targets outcomes in one go, as the tests need. */
static vt_status fit_targets(const double *design, size_t n, size_t p, const double *const *ys, size_t n_targets,
                             char *const *names, const irls_options *options, size_t threads, irls_result **fits,
                             vt_err *err)
{
    irls_design *prepared = NULL;
    matrix_source matrix = {design, p, {0}, {0}};
    irls_target targets[IRLS_MAX_TARGETS];
    for (size_t k = 0; k < n_targets; k++) {
        matrix.y[k] = ys[k];
        targets[k] = (irls_target){options[k], 0, k ? "second" : "first"};
    }
    irls_source source = {matrix_scan, &matrix, n, p, n_targets, names, NULL, NULL};
    vt_status status = irls_design_new(&source, threads, &prepared, err);
    if (status == VT_OK)
        status = irls_fit(prepared, targets, fits, err);
    irls_design_free(prepared);
    return status;
}

static vt_status fit_design(const double *design, size_t n, size_t p, const double *y, char *const *names,
                            const irls_options *options, irls_result **fit, vt_err *err)
{
    return fit_targets(design, n, p, &y, 1, names, options, 0, fit, err);
}

static void irls_should_give_the_log_odds_ratio_of_a_2x2_table(void **state)
{
    (void)state;
    double *design, *y;
    size_t n = two_by_two(30, 20, 10, 40, &design, &y);
    char *names[] = {"(Intercept)", "x"};
    irls_options options;
    irls_options_default(&options);
    options.epsilon = 1e-14;
    irls_result *fit = NULL;
    vt_err err = {0};
    assert_int_equal(fit_design(design, n, 2, y, names, &options, &fit, &err), VT_OK);
    double log_or = log(30.0 * 40.0 / (20.0 * 10.0)), se = sqrt(1.0 / 30 + 1.0 / 20 + 1.0 / 10 + 1.0 / 40);
    assert_true(fabs(fit->estimate[1] - log_or) < 1e-10);
    assert_true(fabs(fit->estimate[0] - log(10.0 / 40.0)) < 1e-10);
    assert_true(fabs(fit->std_error[1] - se) < 1e-8);
    assert_true(fit->converged);
    assert_int_equal(fit->rank, 2);
    assert_int_equal(fit->df_residual, n - 2);
    assert_true(fabs(fit->log_likelihood + fit->deviance / 2) < 1e-12);
    irls_result_free(fit);
    free(design);
    free(y);
}

static void irls_should_drop_constant_and_aliased_columns_in_r_order(void **state)
{
    (void)state;
    size_t n = 200, p = 5;
    double *design = calloc(n * p, sizeof(double)), *y = calloc(n, sizeof(double));
    uint64_t seed = 12345;
    for (size_t i = 0; i < n; i++) {
        double u = test_uniform(&seed);
        double *x = design + i * p;
        x[0] = 1;
        x[1] = u * 10;           /* a */
        x[2] = 7;                /* constant */
        x[3] = (double)(i % 3);  /* b */
        x[4] = 2 * x[1] - x[3] + 1; /* exactly 1 + 2a - b: aliased */
        y[i] = u + 0.3 * (double)(i % 3) > 0.8;
    }
    char *names[] = {"(Intercept)", "a", "const", "b", "combo"};
    irls_options options;
    irls_options_default(&options);
    irls_result *fit = NULL;
    vt_err err = {0};
    assert_int_equal(fit_design(design, n, p, y, names, &options, &fit, &err), VT_OK);
    assert_false(fit->aliased[1]);
    assert_true(fit->aliased[2]);
    assert_string_equal(fit->alias_reason[2], "constant column");
    assert_false(fit->aliased[3]);
    assert_true(fit->aliased[4]);
    assert_non_null(strstr(fit->alias_reason[4], "+1*(Intercept) +2*a -1*b"));
    assert_true(isnan(fit->estimate[4]));
    assert_int_equal(fit->rank, 3);
    irls_result_free(fit);
    free(design);
    free(y);
}

static void irls_should_report_non_convergence(void **state)
{
    (void)state;
    double *design, *y;
    size_t n = two_by_two(30, 20, 10, 40, &design, &y);
    char *names[] = {"(Intercept)", "x"};
    irls_options options = {1, 1e-8, 0, 0};
    irls_result *fit = NULL;
    vt_err err = {0};
    assert_int_equal(fit_design(design, n, 2, y, names, &options, &fit, &err), VT_OK);
    assert_false(fit->converged);
    assert_int_equal(fit->iterations, 1);
    irls_result_free(fit);
    free(design);
    free(y);
}

static void irls_should_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    size_t n = 5000, p = 4;
    double *design = calloc(n * p, sizeof(double)), *y = calloc(n, sizeof(double));
    uint64_t seed = 99;
    for (size_t i = 0; i < n; i++) {
        double *x = design + i * p;
        x[0] = 1;
        for (size_t j = 1; j < p; j++)
            x[j] = test_uniform(&seed) - 0.5;
        y[i] = test_uniform(&seed) < 1 / (1 + exp(-(x[1] - 2 * x[2] + 0.5 * x[3])));
    }
    char *names[] = {"(Intercept)", "a", "b", "c"};
    irls_result *fits[3] = {NULL};
    size_t threads[3] = {1, 2, 7};
    for (int k = 0; k < 3; k++) {
        irls_options options = {25, 1e-8, 0, 0};
        vt_err err = {0};
        const double *ys[] = {y};
        assert_int_equal(fit_targets(design, n, p, ys, 1, names, &options, threads[k], &fits[k], &err), VT_OK);
    }
    for (int k = 1; k < 3; k++) {
        assert_memory_equal(fits[k]->estimate, fits[0]->estimate, p * sizeof(double));
        assert_memory_equal(fits[k]->std_error, fits[0]->std_error, p * sizeof(double));
        assert_memory_equal(&fits[k]->deviance, &fits[0]->deviance, sizeof(double));
    }
    for (int k = 0; k < 3; k++)
        irls_result_free(fits[k]);
    free(design);
    free(y);
}

/* Firth on one binary feature: the slope is the log odds ratio with 0.5
 * added to every cell, exactly, even with a zero cell. */
static void firth_should_add_half_to_every_cell_of_a_2x2_table(void **state)
{
    (void)state;
    const size_t tables[][4] = {{30, 20, 10, 40}, {0, 20, 10, 40}, {12, 0, 3, 9}};
    for (size_t k = 0; k < 3; k++) {
        const size_t *t = tables[k];
        double *design, *y;
        size_t n = two_by_two(t[0], t[1], t[2], t[3], &design, &y);
        char *names[] = {"(Intercept)", "x"};
        irls_options options = {100, 1e-13, 1, 0};
        irls_result *fit = NULL;
        vt_err err = {0};
        assert_int_equal(fit_design(design, n, 2, y, names, &options, &fit, &err), VT_OK);
        double a = (double)t[0] + 0.5, b = (double)t[1] + 0.5, c = (double)t[2] + 0.5, d = (double)t[3] + 0.5;
        double expected = log(a * d / (b * c));
        if (fabs(fit->estimate[1] - expected) > 1e-10)
            fail_msg("table %zu: Firth slope %.17g, log((a+.5)(d+.5)/((b+.5)(c+.5))) = %.17g", k, fit->estimate[1],
                     expected);
        assert_true(fabs(fit->estimate[0] - log(c / d)) < 1e-10);
        assert_true(fit->converged);
        assert_true(isfinite(fit->std_error[1]));
        irls_result_free(fit);
        free(design);
        free(y);
    }
}

/* x > 0 predicts y = 1 perfectly: the plain fit runs off to fitted
 * probabilities of 0 and 1; Firth's stays finite and converges. */
static void firth_should_converge_where_the_plain_fit_separates(void **state)
{
    (void)state;
    size_t n = 200;
    double *design = calloc(n * 2, sizeof(double)), *y = calloc(n, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        design[i * 2] = 1;
        design[i * 2 + 1] = (double)i / 10.0 - 10.0;
        y[i] = design[i * 2 + 1] > 0;
    }
    char *names[] = {"(Intercept)", "x"};
    irls_options plain = {25, 1e-8, 0, 0}, firth = {200, 1e-8, 1, 0};
    irls_result *fit = NULL;
    vt_err err = {0};
    assert_int_equal(fit_design(design, n, 2, y, names, &plain, &fit, &err), VT_OK);
    assert_true(fit->n_boundary > 0 || !fit->converged);
    irls_result_free(fit);
    assert_int_equal(fit_design(design, n, 2, y, names, &firth, &fit, &err), VT_OK);
    assert_true(fit->converged);
    /* Finite and moderate (about 8.4 per unit of x); with x spanning +-10
     * some fitted probabilities are still numerically 0 or 1. */
    assert_true(isfinite(fit->std_error[1]));
    assert_true(fit->estimate[1] > 1 && fit->estimate[1] < 50);
    irls_result_free(fit);
    free(design);
    free(y);
}

/* Ridge as glmnet's alpha = 0: at the solution the gradient of
 * sum(w loglik) / sum(w) - l2/2 sum((b_j sd_j)^2), sd_j the population sd
 * (divisor sum(w), about the weighted mean), vanishes (<= 1e-8), on the raw
 * scale, intercept unpenalised; unweighted, and with weights (some 0, rows
 * that count nowhere, not even in sd_j).  Regression: the penalty used the
 * sample sd (n - 1) and, under weights, loglik / n. */
static void ridge_should_zero_the_penalised_gradient(void **state)
{
    (void)state;
    size_t n = 3000, p = 4;
    double *design = calloc(n * p, sizeof(double)), *y = calloc(n, sizeof(double)), *prior = calloc(n, sizeof(double));
    uint64_t seed = 7;
    for (size_t i = 0; i < n; i++) {
        double *x = design + i * p;
        x[0] = 1;
        for (size_t j = 1; j < p; j++)
            x[j] = (test_uniform(&seed) - 0.5) * (double)(j * 10);
        y[i] = test_uniform(&seed) < 1 / (1 + exp(-(0.3 + x[1] / 5 - x[2] / 10 + x[3] / 30)));
        prior[i] = i % 7 == 0 ? 0.0 : (double)(1 + i % 4);
    }
    char *names[] = {"(Intercept)", "a", "b", "c"};
    double lambdas[] = {0.001, 0.1, 3};
    for (int weighted = 0; weighted < 2; weighted++) {
        const double *w = weighted ? prior : NULL;
        double total = 0, sd[4] = {0}, mean[4] = {0};
        for (size_t i = 0; i < n; i++)
            total += w ? w[i] : 1.0;
        for (size_t j = 1; j < p; j++) {
            for (size_t i = 0; i < n; i++)
                mean[j] += (w ? w[i] : 1.0) * design[i * p + j] / total;
            for (size_t i = 0; i < n; i++)
                sd[j] += (w ? w[i] : 1.0) * (design[i * p + j] - mean[j]) * (design[i * p + j] - mean[j]) / total;
            sd[j] = sqrt(sd[j]);
        }
        double previous_norm = INFINITY;
        for (int k = 0; k < 3; k++) {
            irls_options options = {200, 1e-15, 0, lambdas[k]};
            irls_target target = {options, 0, "churn"};
            matrix_source matrix = {design, p, {y}, {w}};
            irls_source source = {matrix_scan, &matrix, n, p, 1, names, NULL, NULL};
            irls_design *prepared = NULL;
            irls_result *fit = NULL;
            vt_err err = {0};
            assert_int_equal(irls_design_new(&source, 1, &prepared, &err), VT_OK);
            assert_int_equal(irls_fit(prepared, &target, &fit, &err), VT_OK);
            irls_design_free(prepared);
            double gradient[4] = {0}, norm = 0;
            for (size_t i = 0; i < n; i++) {
                double eta = 0;
                for (size_t j = 0; j < p; j++)
                    eta += fit->estimate[j] * design[i * p + j];
                double residual = y[i] - 1 / (1 + exp(-eta));
                for (size_t j = 0; j < p; j++)
                    gradient[j] += (w ? w[i] : 1.0) * design[i * p + j] * residual / total;
            }
            for (size_t j = 1; j < p; j++) {
                gradient[j] -= lambdas[k] * sd[j] * sd[j] * fit->estimate[j];
                norm += fit->estimate[j] * sd[j] * fit->estimate[j] * sd[j];
            }
            for (size_t j = 0; j < p; j++)
                if (fabs(gradient[j]) > 1e-8)
                    fail_msg("%s, lambda %g: gradient %zu = %.3g", weighted ? "weighted" : "unweighted", lambdas[k], j,
                             gradient[j]);
            assert_true(norm < previous_norm); /* more penalty, smaller standardised coefficients */
            previous_norm = norm;
            irls_result_free(fit);
        }
    }
    free(design);
    free(y);
    free(prior);
}

/* Every allocation of a ridge fit failing in turn: the fit fails with
 * VT_ENOMEM, or succeeds with the coefficients of a clean run (before,
 * a failed penalty allocation was overwritten by the next check's and
 * the fit returned VT_OK unpenalised). */
static void ridge_should_fail_whole_when_an_allocation_fails(void **state)
{
    (void)state;
    size_t n = 200, p = 3;
    double *design = calloc(n * p, sizeof(double)), *y = calloc(n, sizeof(double));
    uint64_t seed = 11;
    for (size_t i = 0; i < n; i++) {
        double *x = design + i * p;
        x[0] = 1;
        x[1] = test_uniform(&seed) * 4;
        x[2] = test_uniform(&seed) - 0.5;
        y[i] = test_uniform(&seed) < 1 / (1 + exp(-(x[1] - 2 + x[2])));
    }
    char *names[] = {"(Intercept)", "a", "b"};
    irls_options options = {100, 1e-12, 0, 0.5};
    irls_target target = {options, 0, "churn"};
    matrix_source matrix = {design, p, {y}, {NULL}};
    irls_source source = {matrix_scan, &matrix, n, p, 1, names, NULL, NULL};
    irls_design *prepared = NULL;
    irls_result *clean = NULL;
    vt_err err = {0};
    assert_int_equal(irls_design_new(&source, 1, &prepared, &err), VT_OK);
    assert_int_equal(irls_fit(prepared, &target, &clean, &err), VT_OK);
    for (unsigned long at = 1;; at++) {
        irls_result *fit = NULL;
        vt_alloc_fail_at(at);
        vt_status status = irls_fit(prepared, &target, &fit, &err);
        unsigned long made = vt_alloc_count();
        vt_alloc_fail_at(0);
        if (status == VT_OK) {
            for (size_t j = 0; j < p; j++)
                if (fit->estimate[j] != clean->estimate[j])
                    fail_msg("allocation %lu failing: VT_OK with coefficient %zu %.17g, not %.17g", at, j,
                             fit->estimate[j], clean->estimate[j]);
        } else {
            assert_int_equal(status, VT_ENOMEM);
        }
        irls_result_free(fit);
        if (made < at)
            break;
    }
    irls_result_free(clean);
    irls_design_free(prepared);
    free(design);
    free(y);
}

/* A term the caller leaves out (irls_source.left_out) is set aside as an
 * aliased one, with the caller's reason, and the other estimates are those
 * of the fit without its column (to 1e-12: the two designs' sums may group
 * differently). */
static void left_out_term_should_fit_as_without_its_column(void **state)
{
    (void)state;
    size_t n = 300, p = 3;
    double *design = calloc(n * p, sizeof(double)), *narrow = calloc(n * 2, sizeof(double));
    double *y = calloc(n, sizeof(double));
    uint64_t seed = 29;
    for (size_t i = 0; i < n; i++) {
        double *x = design + i * p;
        x[0] = 1;
        x[1] = test_uniform(&seed) < 0.02; /* a rare indicator: the term a level leaves out */
        x[2] = test_uniform(&seed) * 4;
        narrow[2 * i] = 1;
        narrow[2 * i + 1] = x[2];
        y[i] = test_uniform(&seed) < 1 / (1 + exp(-(x[2] - 2)));
    }
    char *names[] = {"(Intercept)", "x_missing", "x"}, *narrow_names[] = {"(Intercept)", "x"};
    char *left_out[] = {NULL, "left out: 3 missing cells", NULL};
    irls_options options;
    irls_options_default(&options);
    irls_target target = {options, 0, "churn"};
    matrix_source matrix = {design, p, {y}, {NULL}};
    irls_source source = {matrix_scan, &matrix, n, p, 1, names, NULL, left_out};
    irls_design *prepared = NULL;
    irls_result *fit = NULL, *without = NULL;
    vt_err err = {0};
    assert_int_equal(irls_design_new(&source, 1, &prepared, &err), VT_OK);
    assert_int_equal(irls_fit(prepared, &target, &fit, &err), VT_OK);
    assert_int_equal(fit_design(narrow, n, 2, y, narrow_names, &options, &without, &err), VT_OK);
    assert_true(fit->aliased[1]);
    assert_string_equal(fit->alias_reason[1], "left out: 3 missing cells");
    assert_true(isnan(fit->estimate[1]));
    assert_true(fabs(fit->estimate[0] - without->estimate[0]) < 1e-12);
    assert_true(fabs(fit->estimate[2] - without->estimate[1]) < 1e-12);
    assert_true(fabs(fit->std_error[2] - without->std_error[1]) < 1e-12);
    assert_true(fabs(fit->deviance - without->deviance) < 1e-9);
    irls_result_free(fit);
    irls_result_free(without);
    irls_design_free(prepared);
    free(design);
    free(narrow);
    free(y);
}

/* Targets fitted in the same passes follow the sequence each follows
 * alone, to the bit, whichever method each uses and whenever each stops. */
static void targets_fitted_together_should_equal_each_alone(void **state)
{
    (void)state;
    size_t n = 6000, p = 4;
    double *design = calloc(n * p, sizeof(double)), *y0 = calloc(n, sizeof(double)), *y1 = calloc(n, sizeof(double));
    uint64_t seed = 7;
    for (size_t i = 0; i < n; i++) {
        double *x = design + i * p, u[5];
        for (int j = 0; j < 5; j++)
            u[j] = test_uniform(&seed);
        x[0] = 1;
        x[1] = u[0] - 0.5;
        x[2] = 3 * u[1];
        x[3] = u[2] < 0.3;
        y0[i] = u[3] < 1 / (1 + exp(-(x[1] - 2 * x[2] + 0.5 * x[3])));
        y1[i] = u[4] < 1 / (1 + exp(-(-2 + 0.2 * x[2])));
    }
    char *names[] = {"(Intercept)", "a", "b", "c"};
    const irls_options pairs[][2] = {
        {{25, 1e-8, 0, 0}, {25, 1e-8, 0, 0}},      /* the two stop at different iterations */
        {{25, 1e-8, 0, 0.01}, {25, 1e-8, 0, 0.3}}, /* ridge, two strengths */
        {{200, 1e-8, 1, 0}, {200, 1e-8, 1, 0}},    /* Firth's two passes per iteration */
        {{3, 1e-8, 0, 0}, {25, 1e-8, 0, 0}},       /* one runs out of iterations */
    };
    for (size_t c = 0; c < sizeof pairs / sizeof pairs[0]; c++) {
        const double *both[] = {y0, y1};
        irls_result *together[2] = {NULL}, *alone[2] = {NULL};
        vt_err err = {0};
        assert_int_equal(fit_targets(design, n, p, both, 2, names, pairs[c], 2, together, &err), VT_OK);
        for (int k = 0; k < 2; k++) {
            assert_int_equal(fit_targets(design, n, p, &both[k], 1, names, &pairs[c][k], 1, &alone[k], &err), VT_OK);
            assert_memory_equal(together[k]->estimate, alone[k]->estimate, p * sizeof(double));
            assert_memory_equal(together[k]->std_error, alone[k]->std_error, p * sizeof(double));
            assert_memory_equal(&together[k]->deviance, &alone[k]->deviance, sizeof(double));
            assert_memory_equal(&together[k]->null_deviance, &alone[k]->null_deviance, sizeof(double));
            assert_int_equal(together[k]->iterations, alone[k]->iterations);
            assert_int_equal(together[k]->converged, alone[k]->converged);
            irls_result_free(together[k]);
            irls_result_free(alone[k]);
        }
    }
    free(design);
    free(y0);
    free(y1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(targets_fitted_together_should_equal_each_alone),
        cmocka_unit_test(irls_should_give_the_log_odds_ratio_of_a_2x2_table),
        cmocka_unit_test(irls_should_drop_constant_and_aliased_columns_in_r_order),
        cmocka_unit_test(irls_should_report_non_convergence),
        cmocka_unit_test(irls_should_not_depend_on_the_thread_count),
        cmocka_unit_test(firth_should_add_half_to_every_cell_of_a_2x2_table),
        cmocka_unit_test(firth_should_converge_where_the_plain_fit_separates),
        cmocka_unit_test(ridge_should_zero_the_penalised_gradient),
        cmocka_unit_test(ridge_should_fail_whole_when_an_allocation_fails),
        cmocka_unit_test(left_out_term_should_fit_as_without_its_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
