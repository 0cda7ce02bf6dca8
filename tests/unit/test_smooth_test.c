/* smooth_test equals mgcv 1.8-41's summary.gam (testStat) on the smooths of
 * four binomial fits and on hand-made inputs, and psum.chisq on direct
 * calls (tests/data/smooth_test_r.json, made by make_smooth_test_fixture.R).
 *
 * Tolerances.  stat and ref_df: 1e-9 relative; they differ from R's only
 * by rounding in the factor of X'WX (Cholesky here, QR of fit$R in R) and
 * the eigen-decomposition (GSL here, LAPACK in R).  p_value: 1e-6 relative
 * where R's is above 1e-10, else 1e-12 absolute.  Davies' algorithm (tol
 * 2e-5) is only that accurate against the true tail, but it is the same
 * algorithm with the same choices here, so it agrees with R's to rounding
 * of its inputs; the pchisq branch agrees to GSL's accuracy. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smooth_test.h"
#include "testutil.h"

#define STAT_RTOL 1e-9
#define P_RTOL 1e-6
#define P_SMALL 1e-10
#define P_ATOL 1e-12

static double *numbers(const cJSON *array, size_t *n)
{
    *n = (size_t)cJSON_GetArraySize(array);
    double *values = calloc(*n ? *n : 1, sizeof(double));
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, array) values[i++] = item->valuedouble;
    return values;
}

static double number(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItem(object, key);
    assert_non_null(item);
    return item->valuedouble;
}

static double relative(double ours, double theirs)
{
    return theirs == 0 ? fabs(ours) : fabs(ours - theirs) / fabs(theirs);
}

/* Checks one p-value against R's with the stated tolerance; tracks the
 * largest differences in the two regimes. */
static void check_p(const char *name, double ours, double theirs, double *worst_rel, double *worst_abs)
{
    if (theirs > P_SMALL) {
        double rel = relative(ours, theirs);
        *worst_rel = fmax(*worst_rel, rel);
        if (!(rel <= P_RTOL))
            fail_msg("%s p_value: ours %.17g, R %.17g (relative %.3g)", name, ours, theirs, rel);
    } else {
        double diff = fabs(ours - theirs);
        *worst_abs = fmax(*worst_abs, diff);
        if (!(diff <= P_ATOL))
            fail_msg("%s p_value: ours %.17g, R %.17g (absolute %.3g)", name, ours, theirs, diff);
    }
}

static void smooth_test_should_equal_mgcv(void **state)
{
    (void)state;
    cJSON *fixture = test_read_json(FIXTURES "/smooth_test_r.json");
    assert_non_null(fixture);
    const cJSON *item;
    size_t n_cases = 0;
    double worst_stat = 0, worst_df = 0, worst_p = 0, worst_p_abs = 0;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(fixture, "cases")) {
        const char *name = cJSON_GetObjectItem(item, "name")->valuestring;
        size_t p = (size_t)number(item, "p"), n_beta, n_gram, n_cov;
        double *beta = numbers(cJSON_GetObjectItem(item, "beta"), &n_beta);
        double *gram = numbers(cJSON_GetObjectItem(item, "gram_block"), &n_gram);
        double *cov = numbers(cJSON_GetObjectItem(item, "cov_block"), &n_cov);
        assert_true(n_beta == p && n_gram == p * p && n_cov == p * p);
        smooth_test_result result;
        vt_err err = {0};
        vt_status status =
            smooth_test(p, gram, cov, beta, number(item, "rank"), number(item, "res_df"), &result, &err);
        if (status != VT_OK)
            fail_msg("%s: %s", name, err.msg);
        double stat_rel = relative(result.stat, number(item, "stat"));
        double df_rel = relative(result.ref_df, number(item, "ref_df"));
        if (!(stat_rel <= STAT_RTOL))
            fail_msg("%s stat: ours %.17g, R %.17g", name, result.stat, number(item, "stat"));
        if (!(df_rel <= STAT_RTOL))
            fail_msg("%s ref_df: ours %.17g, R %.17g", name, result.ref_df, number(item, "ref_df"));
        check_p(name, result.p_value, number(item, "p_value"), &worst_p, &worst_p_abs);
        worst_stat = fmax(worst_stat, stat_rel);
        worst_df = fmax(worst_df, df_rel);
        free(beta);
        free(gram);
        free(cov);
        n_cases++;
    }
    assert_true(n_cases >= 12);
    print_message("%zu smooths: largest relative difference from R: stat %.3g, ref_df %.3g, p_value %.3g "
                  "(p <= 1e-10: absolute %.3g)\n",
                  n_cases, worst_stat, worst_df, worst_p, worst_p_abs);
    cJSON_Delete(fixture);
}

static void psum_chisq_should_equal_mgcv(void **state)
{
    (void)state;
    cJSON *fixture = test_read_json(FIXTURES "/smooth_test_r.json");
    assert_non_null(fixture);
    const cJSON *item;
    size_t n_cases = 0;
    double worst = 0, worst_abs = 0;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(fixture, "psum_cases")) {
        size_t r, n_df, n_nc;
        double *lb = numbers(cJSON_GetObjectItem(item, "lb"), &r);
        double *df = numbers(cJSON_GetObjectItem(item, "df"), &n_df);
        double *nc = numbers(cJSON_GetObjectItem(item, "nc"), &n_nc);
        assert_true(n_df == r && n_nc == r);
        double p = -1;
        int ifault = -1;
        vt_err err = {0};
        char name[64];
        snprintf(name, sizeof name, "psum case %zu", n_cases + 1);
        vt_status status = smooth_test_psum_chisq(number(item, "q"), r, lb, df, nc, number(item, "sigz"),
                                                  cJSON_IsTrue(cJSON_GetObjectItem(item, "lower_tail")),
                                                  SMOOTH_TEST_TOL, (int)number(item, "nlim"), &p, &ifault, &err);
        if (status != VT_OK)
            fail_msg("%s: %s", name, err.msg);
        if (ifault != (int)number(item, "ifault"))
            fail_msg("%s: ifault %d, R %d", name, ifault, (int)number(item, "ifault"));
        check_p(name, p, number(item, "p"), &worst, &worst_abs);
        free(lb);
        free(df);
        free(nc);
        n_cases++;
    }
    assert_true(n_cases >= 10);
    print_message("%zu psum.chisq calls: largest relative difference from R %.3g\n", n_cases, worst);
    cJSON_Delete(fixture);
}

/* With every eigen-direction kept (rank = p), the statistic is
 * beta' V^-1 beta whatever X'WX is, and the p-value chi-square(p)'s. */
static void full_rank_should_be_the_wald_statistic(void **state)
{
    (void)state;
    const double gram[9] = {4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2};
    const double cov[9] = {0.5, 0, 0, 0, 0.25, 0, 0, 0, 2};
    const double beta[3] = {1, -1, 2};
    smooth_test_result result;
    assert_int_equal(smooth_test(3, gram, cov, beta, 3, -1, &result, NULL), VT_OK);
    double wald = 1 / 0.5 + 1 / 0.25 + 4 / 2.0;
    assert_true(fabs(result.stat - wald) < 1e-12 * wald);
    assert_true(fabs(result.p_value - gsl_cdf_chisq_Q(wald, 3)) < 1e-14);
    assert_true(result.ref_df == 3);
}

static void bad_input_should_be_refused(void **state)
{
    (void)state;
    const double gram[4] = {1, 2, 2, 1}; /* eigenvalues 3 and -1 */
    const double good[4] = {2, 0.5, 0.5, 1};
    const double cov[4] = {1, 0, 0, 1}, zero[4] = {0};
    const double beta[2] = {0.3, -0.2}, nan_beta[2] = {NAN, 0};
    smooth_test_result result;
    vt_err err = {0};
    assert_int_equal(smooth_test(2, gram, cov, beta, 1.5, -1, &result, &err), VT_ENUMERIC);
    assert_non_null(strstr(err.msg, "not positive definite"));
    assert_int_equal(smooth_test(0, good, cov, beta, 1.5, -1, &result, &err), VT_EDATA);
    assert_int_equal(smooth_test(2, good, cov, nan_beta, 1.5, -1, &result, &err), VT_EDATA);
    assert_int_equal(smooth_test(2, good, cov, beta, 0, -1, &result, &err), VT_EDATA);
    assert_int_equal(smooth_test(2, good, cov, beta, NAN, -1, &result, &err), VT_EDATA);
    assert_int_equal(smooth_test(2, good, zero, beta, 1.5, -1, &result, &err), VT_EDATA);
    const double lb0[2] = {0, 0}, df_half[2] = {1, 0.5};
    double p;
    assert_int_equal(smooth_test_psum_chisq(1, 2, lb0, NULL, NULL, 0, 0, SMOOTH_TEST_TOL, 100000, &p, NULL, &err),
                     VT_EDATA);
    assert_int_equal(smooth_test_psum_chisq(1, 2, beta, df_half, NULL, 0, 0, SMOOTH_TEST_TOL, 100000, &p, NULL, &err),
                     VT_EDATA); /* round(0.5) = 0 in R: below 1 */
    assert_int_equal(smooth_test_psum_chisq(1, 0, beta, NULL, NULL, 0, 0, SMOOTH_TEST_TOL, 100000, &p, NULL, &err),
                     VT_EDATA);
}

/* Every allocation failing in turn gives VT_ENOMEM, and leaks nothing
 * (ASan's leak check); then the same answer as without failures. */
static void allocation_failures_should_be_reported(void **state)
{
    (void)state;
    const double gram[9] = {4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2};
    const double cov[9] = {0.5, 0.1, 0, 0.1, 0.25, 0, 0, 0, 2};
    const double beta[3] = {1, -1, 2};
    smooth_test_result expected, result;
    assert_int_equal(smooth_test(3, gram, cov, beta, 2.4, -1, &expected, NULL), VT_OK);
    for (unsigned long n = 1;; n++) {
        vt_err err = {0};
        vt_alloc_fail_at(n);
        vt_status status = smooth_test(3, gram, cov, beta, 2.4, -1, &result, &err);
        unsigned long made = vt_alloc_count();
        vt_alloc_fail_at(0);
        if (made < n) {
            assert_int_equal(status, VT_OK);
            break;
        }
        assert_int_equal(status, VT_ENOMEM);
        assert_int_equal(err.code, VT_ENOMEM);
    }
    assert_true(result.stat == expected.stat && result.p_value == expected.p_value);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(smooth_test_should_equal_mgcv),
        cmocka_unit_test(psum_chisq_should_equal_mgcv),
        cmocka_unit_test(full_rank_should_be_the_wald_statistic),
        cmocka_unit_test(bad_input_should_be_refused),
        cmocka_unit_test(allocation_failures_should_be_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
