/* train/collinear against hand-computed cases.  For the correlation matrix
 * [[1 r 0] [r 1 0] [0 0 1]] the eigenvalues are 1+r, 1, 1-r; the smallest's
 * eigenvector is (1, -1, 0)/sqrt 2, so its condition index is
 * sqrt((1+r)/(1-r)) and terms 0 and 1 each put (1+r)/2 of their variance
 * on it.  r = 0.9999 gives 141.4 (> 30: one group {0, 1}); r = 0.9 gives
 * 4.36 (none).  Scaling the terms (a column in other units) changes
 * nothing; skipping term 1 (aliased) leaves no group. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "collinear.h"

static void fill(double *a, double r, const double *scale)
{
    double c[9] = {1, r, 0, r, 1, 0, 0, 0, 1};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            a[i * 3 + j] = c[i * 3 + j] * scale[i] * scale[j];
}

static void near_pair_is_one_group(void **state)
{
    (void)state;
    double a[9], scale[3] = {1, 1, 1}, r = 0.9999;
    fill(a, r, scale);
    collinear_group *groups;
    size_t n;
    assert_int_equal(collinear_find(a, 3, NULL, &groups, &n), VT_OK);
    assert_int_equal(n, 1);
    assert_int_equal(groups[0].n_terms, 2);
    assert_int_equal(groups[0].terms[0], 0);
    assert_int_equal(groups[0].terms[1], 1);
    assert_float_equal(groups[0].condition_index, sqrt((1 + r) / (1 - r)), 1e-6);
    collinear_groups_free(groups, n);
}

static void scale_does_not_matter(void **state)
{
    (void)state;
    double a[9], scale[3] = {60, 0.17, 1e3}, r = 0.9999;
    fill(a, r, scale);
    collinear_group *groups;
    size_t n;
    assert_int_equal(collinear_find(a, 3, NULL, &groups, &n), VT_OK);
    assert_int_equal(n, 1);
    assert_float_equal(groups[0].condition_index, sqrt((1 + r) / (1 - r)), 1e-5);
    collinear_groups_free(groups, n);
}

static void moderate_correlation_is_not_flagged(void **state)
{
    (void)state;
    double a[9], scale[3] = {1, 1, 1};
    fill(a, 0.9, scale);
    collinear_group *groups;
    size_t n;
    assert_int_equal(collinear_find(a, 3, NULL, &groups, &n), VT_OK);
    assert_int_equal(n, 0);
    assert_null(groups);
}

static void skipped_term_is_left_out(void **state)
{
    (void)state;
    double a[9], scale[3] = {1, 1, 1};
    fill(a, 0.9999, scale);
    int skip[3] = {0, 1, 0};
    collinear_group *groups;
    size_t n;
    assert_int_equal(collinear_find(a, 3, skip, &groups, &n), VT_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(near_pair_is_one_group),
        cmocka_unit_test(scale_does_not_matter),
        cmocka_unit_test(moderate_correlation_is_not_flagged),
        cmocka_unit_test(skipped_term_is_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
