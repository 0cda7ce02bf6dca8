/* The ti() basis (models/tensor.c) against R mgcv 1.8-41's smoothCon and
 * PredictMat (tests/data/tensor_*.json, made by make_tensor_fixtures.R):
 * knots, S.scale, the two penalties, the model matrix at training rows and
 * at new points below, at and beyond the range.  Tolerance: 1e-12
 * relative, of max(1, |mgcv's value|) for the basis and of the largest
 * |entry| of a penalty for its entries; the largest differences seen are
 * printed.
 *
 *   check_tensor FIXTURE.json */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tensor.h"
#include "testutil.h"

#define TOLERANCE 1e-12

static const char *fixture_path;

static double item(const cJSON *array, int i)
{
    return cJSON_GetArrayItem(array, i)->valuedouble;
}

static double *doubles(const cJSON *array, size_t *n)
{
    *n = (size_t)cJSON_GetArraySize(array);
    double *out = calloc(*n ? *n : 1, sizeof(double));
    for (size_t i = 0; i < *n; i++)
        out[i] = item(array, (int)i);
    return out;
}

/* |ours - mgcv| / scale over a matrix of rows; fails past TOLERANCE. */
static double compare(const double *ours, const cJSON *rows, size_t n_cols, double scale, const char *what)
{
    double worst = 0;
    for (int r = 0; r < cJSON_GetArraySize(rows); r++) {
        const cJSON *row = cJSON_GetArrayItem(rows, r);
        assert_int_equal((size_t)cJSON_GetArraySize(row), n_cols);
        for (size_t c = 0; c < n_cols; c++) {
            double theirs = item(row, (int)c), s = scale > 0 ? scale : fmax(1.0, fabs(theirs));
            double gap = fabs(ours[(size_t)r * n_cols + c] - theirs) / s;
            worst = fmax(worst, gap);
            if (!(gap <= TOLERANCE))
                fail_msg("%s [%d, %zu]: ours %.17g, mgcv %.17g", what, r, c, ours[(size_t)r * n_cols + c], theirs);
        }
    }
    return worst;
}

static double largest_entry(const cJSON *rows)
{
    double largest = 0;
    const cJSON *row, *cell;
    cJSON_ArrayForEach(row, rows) cJSON_ArrayForEach(cell, row) largest = fmax(largest, fabs(cell->valuedouble));
    return largest;
}

static void check_case(const cJSON *c)
{
    const cJSON *k = cJSON_GetObjectItem(c, "k");
    size_t k1 = (size_t)item(k, 0), k2 = (size_t)item(k, 1), n1, n2;
    double *x1 = doubles(cJSON_GetObjectItem(c, "x1"), &n1), *x2 = doubles(cJSON_GetObjectItem(c, "x2"), &n2);
    assert_int_equal(n1, n2);
    tensor_spec spec;
    vt_err err = {0};
    assert_int_equal(tensor_spec_build(x1, x2, n1, k1, k2, &spec, &err), VT_OK);
    size_t n = spec.n;
    assert_int_equal(n, (k1 - 1) * (k2 - 1));
    /* knots and S.scale */
    for (int i = 0; i < 2; i++) {
        const cJSON *knots = cJSON_GetObjectItem(c, i == 0 ? "knots1" : "knots2");
        for (size_t j = 0; j < spec.margin[i].k; j++)
            assert_true(fabs(spec.margin[i].knots[j] - item(knots, (int)j)) <=
                        TOLERANCE * fmax(1.0, fabs(item(knots, (int)j))));
        double scale = item(cJSON_GetObjectItem(c, "S_scale"), i);
        double norm = item(cJSON_GetObjectItem(c, "margin_largest_eigenvalue"), i);
        assert_true(fabs(spec.penalty_scale[i] / scale - 1) <= TOLERANCE);
        assert_true(fabs(spec.margin_norm[i] / norm - 1) <= TOLERANCE);
        assert_int_equal(tensor_penalty_rank(&spec, i), (size_t)item(cJSON_GetObjectItem(c, "rank"), i));
    }
    /* the penalties */
    double worst_s = 0;
    for (int i = 0; i < 2; i++) {
        const cJSON *s = cJSON_GetObjectItem(c, i == 0 ? "S1" : "S2");
        worst_s = fmax(worst_s, compare(spec.penalty[i], s, n, largest_entry(s), i == 0 ? "S1" : "S2"));
    }
    /* the model matrix at training rows and at new points */
    size_t n_rows, n_new, n_new2;
    double *rows = doubles(cJSON_GetObjectItem(c, "X_rows"), &n_rows);
    double *got = calloc(n_rows * n, sizeof(double));
    for (size_t r = 0; r < n_rows; r++) {
        size_t at = (size_t)rows[r];
        tensor_eval(&spec, x1[at], x2[at], got + r * n);
    }
    double worst_x = compare(got, cJSON_GetObjectItem(c, "X"), n, 0, "X");
    double *new1 = doubles(cJSON_GetObjectItem(c, "new_x1"), &n_new), *new2 = doubles(cJSON_GetObjectItem(c, "new_x2"), &n_new2);
    assert_int_equal(n_new, n_new2);
    double *got_new = calloc(n_new * n, sizeof(double));
    for (size_t r = 0; r < n_new; r++)
        tensor_eval(&spec, new1[r], new2[r], got_new + r * n);
    double worst_new = compare(got_new, cJSON_GetObjectItem(c, "X_new"), n, 0, "X_new");
    print_message("%s (k %zu, %zu; %zu rows): penalties %.3g, %zu training rows %.3g, %zu new points %.3g\n",
                  cJSON_GetObjectItem(c, "label")->valuestring, k1, k2, n1, worst_s, n_rows, worst_x, n_new, worst_new);

    /* a spec rebuilt from its stored fields (as a model loader would) evaluates to the same bytes */
    tensor_spec copy;
    memset(&copy, 0, sizeof copy);
    for (int i = 0; i < 2; i++) {
        size_t km = spec.margin[i].k;
        copy.margin[i].k = km;
        copy.margin[i].knots = malloc(km * sizeof(double));
        copy.margin[i].constraint = malloc(km * sizeof(double));
        memcpy(copy.margin[i].knots, spec.margin[i].knots, km * sizeof(double));
        memcpy(copy.margin[i].constraint, spec.margin[i].constraint, km * sizeof(double));
        copy.margin[i].penalty_scale = spec.margin[i].penalty_scale;
        copy.margin_norm[i] = spec.margin_norm[i];
        copy.penalty_scale[i] = spec.penalty_scale[i];
    }
    assert_int_equal(tensor_finish(&copy, &err), VT_OK);
    double *again = calloc(n_new * n, sizeof(double));
    for (size_t r = 0; r < n_new; r++)
        tensor_eval(&copy, new1[r], new2[r], again + r * n);
    assert_memory_equal(again, got_new, n_new * n * sizeof(double));
    for (int i = 0; i < 2; i++)
        assert_memory_equal(copy.penalty[i], spec.penalty[i], n * n * sizeof(double));
    tensor_free(&copy);
    tensor_free(&spec);
    tensor_free(NULL);
    free(again);
    free(x1);
    free(x2);
    free(rows);
    free(got);
    free(new1);
    free(new2);
    free(got_new);
}

static void tensor_should_match_mgcv(void **state)
{
    (void)state;
    cJSON *root = test_read_json(fixture_path);
    assert_non_null(root);
    const cJSON *c;
    int n_cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases")) {
        check_case(c);
        n_cases++;
    }
    assert_true(n_cases > 0);
    cJSON_Delete(root);
}

static void tensor_should_refuse_bad_input(void **state)
{
    (void)state;
    double x[6] = {1, 2, 3, 4, 5, 6}, few[6] = {1, 1, 2, 2, 1, 2}, bad[6] = {1, 2, NAN, 4, 5, 6};
    tensor_spec spec;
    vt_err err = {0};
    assert_int_equal(tensor_spec_build(x, few, 6, 3, 3, &spec, &err), VT_EDATA); /* 2 distinct values < k */
    assert_int_equal(tensor_spec_build(x, bad, 6, 3, 3, &spec, &err), VT_EDATA);
    assert_int_equal(tensor_spec_build(x, x, 6, 2, 3, &spec, &err), VT_EDATA);
    assert_int_equal(tensor_spec_build(x, x, 6, 3, TENSOR_MAX_K + 1, &spec, &err), VT_EDATA);
    assert_int_equal(tensor_spec_build(x, x, 6, 3, 3, &spec, &err), VT_OK);
    assert_int_equal(spec.n, 4);
    tensor_free(&spec);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: check_tensor FIXTURE.json\n");
        return 2;
    }
    fixture_path = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(tensor_should_match_mgcv),
                                       cmocka_unit_test(tensor_should_refuse_bad_input)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
