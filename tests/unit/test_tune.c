/* Tuning a scorecard: the non-negative fit meets the KKT conditions of its
 * convex problem (checked here by direct sums, not by the solver), a
 * reversed measure ends at weight 0 with its unconstrained sign, a noise
 * measure near 0, weights sum to 100 per set; bands from shares. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bands.h"
#include "testutil.h"
#include "tune.h"


static scorecard *load_text(const char *text)
{
    char *path = test_write_temp(text, strlen(text));
    scorecard *card = NULL;
    vt_err err = {0};
    if (scorecard_load(path, &card, &err) != VT_OK)
        fail_msg("load: %s", err.msg);
    test_remove_temp(path);
    return card;
}

static const char three_measures[] =
    "{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
    " {\"column\": \"good\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 100}]},"
    " {\"column\": \"noise\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 100}]},"
    " {\"column\": \"reversed\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 100}]}]}";

/* n rows whose points (0, 25, .., 100 per column) drive the outcome by
 * true coefficients per 100 points lost: good +2, noise 0, reversed -1.5. */
static void make_rows(tune_data *data, size_t n, size_t n_columns, uint64_t seed)
{
    memset(data, 0, sizeof *data);
    data->n = n;
    data->n_columns = n_columns;
    data->y = calloc(n, sizeof(double));
    data->points = calloc(n * n_columns, sizeof(double));
    data->set = calloc(n, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        double *p = data->points + i * n_columns;
        for (size_t c = 0; c < n_columns; c++)
            p[c] = 25 * floor(5 * test_uniform(&seed));
        double eta = -1 + 2 * (100 - p[0]) / 100 - 1.5 * (100 - p[2]) / 100;
        data->y[i] = test_uniform(&seed) < 1 / (1 + exp(-eta));
    }
}

/* The log-likelihood's gradient along each coefficient (intercept first). */
static void gradient(const tune_data *data, const tune_set *set, double *g)
{
    size_t m_count = set->n_measures;
    memset(g, 0, (m_count + 1) * sizeof(double));
    for (size_t i = 0; i < data->n; i++) {
        const double *p = data->points + i * data->n_columns;
        double eta = set->intercept;
        for (size_t m = 0; m < m_count; m++)
            eta += set->measures[m].coefficient * (100 - p[m]) / 100;
        double residual = data->y[i] - 1 / (1 + exp(-eta));
        g[0] += residual;
        for (size_t m = 0; m < m_count; m++)
            g[m + 1] += residual * (100 - p[m]) / 100;
    }
}

static void fit_should_meet_kkt_and_zero_a_reversed_measure(void **state)
{
    (void)state;
    scorecard *card = load_text(three_measures);
    tune_data data;
    size_t n = 20000;
    make_rows(&data, n, card->n_columns, 42);
    size_t *all = calloc(n, sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        all[i] = i;
    tune_set set = {0};
    vt_err err = {0};
    assert_int_equal(tune_fit(card, &data, all, n, 1, &set, &err), VT_OK);
    assert_true(set.converged);
    const tune_measure *good = &set.measures[0], *noise = &set.measures[1], *reversed = &set.measures[2];
    /* The reversed measure: weight 0, named, its unconstrained fit says the opposite of the card. */
    assert_true(reversed->weight == 0 && reversed->zeroed && !reversed->aliased);
    assert_true(reversed->free_coefficient < 0 && reversed->free_z < -10);
    /* Noise near 0 (its true weight), the good measure carries the rest. */
    assert_true(noise->weight < 5);
    assert_true(fabs(good->weight + noise->weight + reversed->weight - 100) < 1e-9);
    assert_true(fabs(good->coefficient - 2) < 0.3);
    /* KKT: zero gradient along the free coefficients, non-positive along the zeroed one. */
    double g[4];
    gradient(&data, &set, g);
    for (int k = 0; k < 3; k++)
        if (k == 0 || set.measures[k - 1].coefficient > 0)
            assert_true(fabs(g[k]) < 1e-6 * (double)n);
    assert_true(g[3] <= 1e-6 * (double)n);
    /* Applied to the card: the weights the fit gave. */
    tune_apply(card, &set);
    assert_true(card->sets[0].measures[2].weight == 0);
    tune_sets_free(&set, 1);
    free(all);
    tune_data_free(&data);
    scorecard_free(card);
}

static void fit_should_refuse_one_class_and_no_useful_measure(void **state)
{
    (void)state;
    scorecard *card = load_text(three_measures);
    tune_data data;
    size_t n = 2000, all[2000];
    make_rows(&data, n, card->n_columns, 7);
    for (size_t i = 0; i < n; i++)
        all[i] = i;
    tune_set set = {0};
    vt_err err = {0};
    /* Every measure backwards: more points, more churn. */
    uint64_t seed = 11;
    for (size_t i = 0; i < n; i++) {
        const double *p = data.points + i * data.n_columns;
        data.y[i] = test_uniform(&seed) < 1 / (1 + exp(-((p[0] + p[1] + p[2]) / 50 - 3)));
    }
    assert_int_equal(tune_fit(card, &data, all, n, 1, &set, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "no measure lowers the risk"));
    tune_sets_free(&set, 1);
    for (size_t i = 0; i < n; i++)
        data.y[i] = 1;
    assert_int_equal(tune_fit(card, &data, all, n, 1, &set, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "single class"));
    tune_sets_free(&set, 1);
    tune_data_free(&data);
    scorecard_free(card);
}

static void bands_should_hit_shares_within_the_ties(void **state)
{
    (void)state;
    /* 1000 rows, health 0..99 ten times each: a share of 5% is health < 5. */
    double health[1000];
    for (int i = 0; i < 1000; i++)
        health[i] = i % 100 + 0.3; /* rounds down */
    double red = 0, yellow = 0, red_share = 0, yellow_share = 0;
    vt_err err = {0};
    assert_int_equal(bands_from_shares(health, 1000, 0.05, 0.15, &red, &yellow, &err), VT_OK);
    assert_true(red == 5 && yellow == 20);
    bands_shares(health, 1000, red, yellow, &red_share, &yellow_share);
    assert_true(fabs(red_share - 0.05) < 1e-12 && fabs(yellow_share - 0.15) < 1e-12);
    /* Ties: all at 50 but one: red takes the whole-number cut-off nearest the request. */
    for (int i = 0; i < 1000; i++)
        health[i] = i == 0 ? 10 : 50;
    assert_int_equal(bands_from_shares(health, 1000, 0.3, 0.3, &red, &yellow, &err), VT_OK);
    assert_true(red > 0 && red <= 11 && yellow > red && yellow <= 100);
    /* Out of range, or no rows. */
    assert_int_equal(bands_from_shares(health, 1000, 0.6, 0.5, &red, &yellow, &err), VT_EUSAGE);
    assert_int_equal(bands_from_shares(health, 0, 0.05, 0.1, &red, &yellow, &err), VT_EDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fit_should_meet_kkt_and_zero_a_reversed_measure),
        cmocka_unit_test(fit_should_refuse_one_class_and_no_useful_measure),
        cmocka_unit_test(bands_should_hit_shares_within_the_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
