/* Metrics equal scikit-learn's on fixtures with ties and weights (<= 1e-9),
 * and the decile, capture and bucket figures add up. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "metrics.h"
#include "testutil.h"

static double *numbers(const cJSON *array, size_t *n)
{
    *n = (size_t)cJSON_GetArraySize(array);
    double *values = calloc(*n, sizeof(double));
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, array) values[i++] = item->valuedouble;
    return values;
}

static void metrics_should_equal_sklearn(void **state)
{
    (void)state;
    cJSON *fixture = test_read_json(FIXTURES "/metrics_sklearn.json");
    assert_non_null(fixture);
    const cJSON *item;
    size_t n_cases = 0;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(fixture, "cases")) {
        size_t n = 0, n_score = 0, n_weight = 0;
        double *y = numbers(cJSON_GetObjectItem(item, "y"), &n);
        double *score = numbers(cJSON_GetObjectItem(item, "score"), &n_score);
        const cJSON *weight_json = cJSON_GetObjectItem(item, "weight");
        double *weights = cJSON_IsArray(weight_json) ? numbers(weight_json, &n_weight) : NULL;
        metrics result;
        vt_err err = {0};
        assert_int_equal(metrics_compute(y, score, weights, n, 40, 70, &result, &err), VT_OK);
        const char *name = cJSON_GetObjectItem(item, "name")->valuestring;
        const struct {
            const char *key;
            double ours;
        } checks[] = {{"roc_auc", result.roc_auc},
                      {"average_precision", result.average_precision},
                      {"log_loss", result.log_loss},
                      {"brier", result.brier}};
        for (size_t c = 0; c < 4; c++) {
            double theirs = cJSON_GetObjectItem(item, checks[c].key)->valuedouble;
            if (fabs(checks[c].ours - theirs) > 1e-9)
                fail_msg("%s %s: ours %.17g, sklearn %.17g", name, checks[c].key, checks[c].ours, theirs);
        }
        free(y);
        free(score);
        free(weights);
        n_cases++;
    }
    assert_int_equal(n_cases, 5);
    cJSON_Delete(fixture);
}

static void deciles_capture_and_buckets_should_add_up(void **state)
{
    (void)state;
    size_t n = 1000;
    double *y = calloc(n, sizeof(double)), *score = calloc(n, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        score[i] = (double)(i + 1) / (double)(n + 1);
        y[i] = i >= 900; /* every event in the top decile */
    }
    metrics result;
    vt_err err = {0};
    assert_int_equal(metrics_compute(y, score, NULL, n, 40, 70, &result, &err), VT_OK);
    assert_int_equal(result.n_deciles, 10);
    size_t rows = 0;
    for (int g = 0; g < 10; g++)
        rows += result.deciles[g].count;
    assert_int_equal(rows, n);
    assert_true(result.deciles[9].observed_rate == 1.0 && result.deciles[0].observed_rate == 0.0);
    assert_true(fabs(result.top_decile_capture - 1.0) < 1e-15);
    assert_true(fabs(result.top_decile_lift - 10.0) < 1e-12);
    assert_true(fabs(result.roc_auc - 1.0) < 1e-15);
    assert_int_equal(result.bucket_rows[0] + result.bucket_rows[1] + result.bucket_rows[2], n);
    /* health = round(100 (1 - p)) < 40 is red: p > 0.605 roughly, 395 rows */
    assert_int_equal(result.bucket_rows[0], 395);
    assert_true(result.hosmer_lemeshow > 0 && result.hosmer_lemeshow_p < 0.05);
    for (size_t i = 0; i < n; i++)
        y[i] = 1;
    assert_int_equal(metrics_compute(y, score, NULL, n, 40, 70, &result, &err), VT_EDATA);
    free(y);
    free(score);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metrics_should_equal_sklearn),
        cmocka_unit_test(deciles_capture_and_buckets_should_add_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
