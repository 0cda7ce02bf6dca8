/* The cr basis (models/smooth.c) against R mgcv 1.8-41's smoothCon and
 * PredictMat (tests/data/gam_basis.json, made by make_gam_fixtures.R):
 * knots, F, S.scale, the constrained penalty and basis rows, within 1e-10
 * relative of max(1, |R|) (measured: about 1e-14). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smooth.h"
#include "testutil.h"

#define TOLERANCE 1e-10

static void assert_near(double ours, double theirs, const char *what, int index)
{
    if (!(fabs(ours - theirs) <= TOLERANCE * fmax(1.0, fabs(theirs))))
        fail_msg("%s [%d]: ours %.17g, mgcv %.17g", what, index, ours, theirs);
}

static double item(const cJSON *array, int i)
{
    return cJSON_GetArrayItem(array, i)->valuedouble;
}

static void basis_should_match_mgcv(void **state)
{
    (void)state;
    cJSON *root = test_read_json(FIXTURES "/gam_basis.json");
    assert_non_null(root);
    const cJSON *c;
    int n_cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases")) {
        size_t k = (size_t)cJSON_GetObjectItem(c, "k")->valueint;
        double knots[SMOOTH_MAX_K], sums[SMOOTH_MAX_K];
        for (size_t j = 0; j < k; j++) {
            knots[j] = item(cJSON_GetObjectItem(c, "knots"), (int)j);
            sums[j] = item(cJSON_GetObjectItem(c, "column_sums"), (int)j);
        }
        /* F: row j maps knot values to the second derivative at knot j */
        double second[SMOOTH_MAX_K * SMOOTH_MAX_K];
        assert_int_equal(smooth_second_derivatives(knots, k, second, NULL), VT_OK);
        for (size_t j = 0; j < k * k; j++)
            assert_near(second[j], item(cJSON_GetObjectItem(c, "F"), (int)j), "F", (int)j);
        smooth_spec spec;
        vt_err err = {0};
        assert_int_equal(smooth_spec_build(knots, k, sums, cJSON_GetObjectItem(c, "max_abs_row_sum")->valuedouble,
                                           &spec, &err), VT_OK);
        assert_near(spec.penalty_scale, cJSON_GetObjectItem(c, "S_scale")->valuedouble, "S.scale", 0);
        const cJSON *s = cJSON_GetObjectItem(c, "S");
        for (size_t a = 0; a < k - 1; a++)
            for (size_t b = 0; b < k - 1; b++)
                assert_near(spec.penalty[a * (k - 1) + b], item(cJSON_GetArrayItem(s, (int)a), (int)b), "S",
                            (int)(a * (k - 1) + b));
        const cJSON *x = cJSON_GetObjectItem(c, "x"), *rows = cJSON_GetObjectItem(c, "X_constrained");
        const cJSON *raw_rows = cJSON_GetObjectItem(c, "X_unconstrained");
        for (int i = 0; i < cJSON_GetArraySize(x); i++) {
            double out[SMOOTH_MAX_K], raw[SMOOTH_MAX_K];
            smooth_eval(&spec, item(x, i), out);
            smooth_basis_raw(spec.knots, spec.second, k, item(x, i), raw);
            for (size_t j = 0; j < k - 1; j++)
                assert_near(out[j], item(cJSON_GetArrayItem(rows, i), (int)j), "constrained row", i);
            for (size_t j = 0; j < k; j++)
                assert_near(raw[j], item(cJSON_GetArrayItem(raw_rows, i), (int)j), "unconstrained row", i);
        }
        smooth_free(&spec);
        n_cases++;
    }
    assert_true(n_cases >= 4);
    cJSON_Delete(root);
}

/* R's quantile(type = 7) of the distinct values, the endpoints exact. */
static void knots_should_be_quantiles_of_the_distinct_values(void **state)
{
    (void)state;
    double x[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, knots[4];
    smooth_place_knots(x, 11, 4, knots);
    assert_true(knots[0] == 0 && knots[3] == 10);
    assert_near(knots[1], 10.0 / 3, "knot", 1);
    assert_near(knots[2], 20.0 / 3, "knot", 2);
}

/* Beyond the end knots the basis is a straight line: finite at any x. */
static void basis_should_be_linear_beyond_the_knots(void **state)
{
    (void)state;
    double knots[] = {0, 1, 3, 6, 10}, sums[] = {100, 200, 150, 120, 60};
    smooth_spec spec;
    vt_err err = {0};
    assert_int_equal(smooth_spec_build(knots, 5, sums, 1.5, &spec, &err), VT_OK);
    double a[4], b[4], c[4];
    smooth_eval(&spec, 20, a);
    smooth_eval(&spec, 30, b);
    smooth_eval(&spec, 1e12, c);
    for (int j = 0; j < 4; j++) {
        assert_true(isfinite(c[j]));
        double slope = (b[j] - a[j]) / 10;
        assert_near(c[j], a[j] + slope * (1e12 - 20), "extrapolated", j);
    }
    double log_pdet = 0;
    assert_int_equal(smooth_penalty_log_pdet(&spec, &log_pdet, &err), VT_OK);
    assert_true(isfinite(log_pdet));
    smooth_free(&spec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(basis_should_match_mgcv),
        cmocka_unit_test(knots_should_be_quantiles_of_the_distinct_values),
        cmocka_unit_test(basis_should_be_linear_beyond_the_knots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
