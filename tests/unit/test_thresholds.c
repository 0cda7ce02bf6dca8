/* Thresholds from a learned curve (train/thresholds.h), on a model fitted
 * here to rows with a known shape: churn log-odds 8 (0.4 - x) below
 * x = 0.4 and flat above, and a whole-number column k (0 .. 6) adding 0.4
 * per unit.  The suggestions sit where the curve crosses the levels the
 * card's points stand for, inside the bend; a card already there keeps
 * them; a card whose direction the curve contradicts keeps its own; k gets
 * whole numbers; a column without values is refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve.h"
#include "testutil.h"
#include "thresholds.h"
#include "train.h"

#define N_ROWS 6000

static model *fitted;
static double xs[N_ROWS], ks[N_ROWS];

static int fit_model(void **state)
{
    (void)state;
    size_t size = 64 + (size_t)N_ROWS * 48, len = 0;
    char *text = malloc(size);
    uint64_t seed = 20261204;
    len += (size_t)snprintf(text + len, size - len, "id,x,k,churn\n");
    for (size_t i = 0; i < N_ROWS; i++) {
        xs[i] = floor(1000 * test_uniform(&seed)) / 1000;
        ks[i] = floor(7 * test_uniform(&seed));
        double eta = -2.5 + 8 * fmax(0, 0.4 - xs[i]) + 0.4 * (ks[i] - 3);
        int churn = test_uniform(&seed) < 1 / (1 + exp(-eta));
        len += (size_t)snprintf(text + len, size - len, "%zu,%.3f,%.0f,%d\n", i, xs[i], ks[i], churn);
    }
    char *path = test_write_temp(text, len);
    train_spec spec;
    train_spec_default(&spec);
    spec.data_path = path;
    spec.churn = "churn";
    spec.id = "id";
    spec.smooth = "x,k";
    spec.threads = 1;
    vt_err err = {0};
    train_notes notes;
    int ok = train_spec_check(&spec, 0, &err) == VT_OK && train_run(&spec, &fitted, &notes, &err) == VT_OK;
    if (!ok)
        fprintf(stderr, "fit: %s\n", err.msg);
    train_notes_free(&notes);
    train_spec_free(&spec);
    test_remove_temp(path);
    free(text);
    *state = NULL;
    return ok ? 0 : -1;
}

static int free_model(void **state)
{
    (void)state;
    model_free(fitted);
    return 0;
}

static size_t feature_of(const char *name)
{
    for (size_t f = 0; f < fitted->enc->n_features; f++)
        if (strcmp(fitted->enc->features[f].name, name) == 0)
            return f;
    fail_msg("no feature %s", name);
    return 0;
}

/* Two thresholds, 100 and 50 points, otherwise 0. */
static sc_measure two_steps(const char *column, int higher, double first, double second, sc_threshold *steps)
{
    steps[0] = (sc_threshold){first, 100};
    steps[1] = (sc_threshold){second, 50};
    return (sc_measure){(char *)column, 0, higher, steps, 2, 0, 1, 0};
}

static void suggest(const char *column, const sc_measure *measure, const double *values, threshold_suggestion *out)
{
    vt_err err = {0};
    const model_target *t = model_find_target(fitted, "churn");
    assert_int_equal(thresholds_suggest(fitted, t, feature_of(column), measure, values, N_ROWS, out, &err), VT_OK);
}

static double curve_at(const char *column, double x)
{
    double f;
    curve_eval(fitted, model_find_target(fitted, "churn"), feature_of(column), x, &f, NULL);
    return f;
}

static void suggestions_should_cross_the_points_levels_inside_the_bend(void **state)
{
    (void)state;
    sc_threshold steps[2];
    sc_measure measure = two_steps("x", 1, 0.95, 0.9, steps);
    threshold_suggestion s;
    suggest("x", &measure, xs, &s);
    assert_int_equal(s.n, 2);
    assert_false(s.whole);
    assert_true(s.risk_high - s.risk_low > 2); /* the curve climbs about 8 * 0.35 over the middle 90% */
    for (size_t j = 0; j < 2; j++) {
        double points = j == 0 ? 75 : 25; /* the bands' midpoints: (100 + 50) / 2, (50 + 0) / 2 */
        assert_true(fabs(s.level[j] - (s.risk_high - points / 100 * (s.risk_high - s.risk_low))) < 1e-12);
        assert_true(s.moved[j]);
        assert_true(s.card[j] == measure.thresholds[j].at);
        /* on the curve's level, up to the 3 digits it is rounded to (slope about 8) */
        assert_true(fabs(curve_at("x", s.suggested[j]) - s.level[j]) < 0.08);
        assert_true(s.suggested[j] > 0.04 && s.suggested[j] < 0.4);
    }
    assert_true(s.suggested[0] > s.suggested[1]);
    /* the same rule on the true curve, 8 (0.4 - x) below 0.4 over x in
     * [0.05, 0.95] (range 2.8): levels 0.7 and 2.1, at 0.3125 and 0.1375 */
    assert_true(fabs(s.suggested[0] - 0.3125) < 0.03);
    assert_true(fabs(s.suggested[1] - 0.1375) < 0.03);
    /* the bands' mean curve values: the riskier band, the higher */
    assert_true(s.band_risk[2] > s.band_risk[1] || isnan(s.band_risk[1]));
    thresholds_free(&s);
}

static void a_card_at_the_suggestions_should_keep_them(void **state)
{
    (void)state;
    sc_threshold steps[2], again[2];
    sc_measure measure = two_steps("x", 1, 0.95, 0.9, steps);
    threshold_suggestion first, second;
    suggest("x", &measure, xs, &first);
    sc_measure moved = two_steps("x", 1, first.suggested[0], first.suggested[1], again);
    suggest("x", &moved, xs, &second);
    for (size_t j = 0; j < 2; j++)
        assert_true(fabs(second.suggested[j] - first.suggested[j]) <= 0.002);
    thresholds_free(&first);
    thresholds_free(&second);
}

static void a_direction_the_curve_contradicts_should_keep_the_cards(void **state)
{
    (void)state;
    sc_threshold steps[2];
    /* "lower is better" on x, where risk falls as x grows: the crossings
     * come in the wrong order for rising thresholds */
    sc_measure measure = two_steps("x", 0, 0.2, 0.3, steps);
    threshold_suggestion s;
    suggest("x", &measure, xs, &s);
    for (size_t j = 0; j < 2; j++) {
        assert_false(s.moved[j]);
        assert_true(s.suggested[j] == measure.thresholds[j].at);
    }
    thresholds_free(&s);
}

static void a_column_of_whole_numbers_should_get_whole_numbers(void **state)
{
    (void)state;
    sc_threshold steps[2];
    sc_measure measure = two_steps("k", 0, 5, 6, steps); /* lower is better: risk grows with k */
    threshold_suggestion s;
    suggest("k", &measure, ks, &s);
    assert_true(s.whole);
    for (size_t j = 0; j < 2; j++)
        assert_true(s.suggested[j] == floor(s.suggested[j]));
    assert_true(s.suggested[0] < s.suggested[1]);
    assert_true(s.moved[0]); /* the 75-point level falls near k = 1.5: 5 moves down */
    assert_true(s.suggested[0] <= 2);
    thresholds_free(&s);
}

static void a_column_without_values_should_be_refused(void **state)
{
    (void)state;
    static double none[N_ROWS];
    for (size_t i = 0; i < N_ROWS; i++)
        none[i] = NAN;
    sc_threshold steps[2];
    sc_measure measure = two_steps("x", 1, 0.95, 0.9, steps);
    threshold_suggestion s;
    vt_err err = {0};
    const model_target *t = model_find_target(fitted, "churn");
    assert_int_equal(thresholds_suggest(fitted, t, feature_of("x"), &measure, none, N_ROWS, &s, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "'x'"));
    assert_null(s.suggested);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suggestions_should_cross_the_points_levels_inside_the_bend),
        cmocka_unit_test(a_card_at_the_suggestions_should_keep_them),
        cmocka_unit_test(a_direction_the_curve_contradicts_should_keep_the_cards),
        cmocka_unit_test(a_column_of_whole_numbers_should_get_whole_numbers),
        cmocka_unit_test(a_column_without_values_should_be_refused),
    };
    return cmocka_run_group_tests(tests, fit_model, free_model);
}
