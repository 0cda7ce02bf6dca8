/* The model file: a saved-then-loaded model matches bit for bit, and bad
 * files are refused with the reason. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model.h"
#include "testutil.h"

static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static double random_double(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return ((double)(seed >> 11) / 9007199254740992.0 - 0.5) * pow(10, (double)(seed % 13) - 6);
}

static model *make_model(void)
{
    model *m = model_new();
    m->tool_version = strdup(VT_VERSION);
    m->created_at = strdup("2026-11-23T00:00:00Z");
    m->data_path = strdup("x.csv");
    m->data_hash = 0xfedcba9876543210ULL;
    m->id_column = strdup("id");
    m->enc = encoding_new();
    m->enc->features = calloc(2, sizeof(enc_feature));
    m->enc->n_features = 2;
    enc_feature *num = &m->enc->features[0], *cat = &m->enc->features[1];
    num->name = strdup("usage");
    num->type = TYPE_NUMERIC;
    num->mean = num->impute = random_double();
    num->sd = fabs(random_double());
    num->missing_term = 1;
    cat->name = strdup("plan");
    cat->type = TYPE_CATEGORICAL;
    cat->n_levels = 3;
    cat->levels = calloc(3, sizeof(char *));
    cat->levels[0] = strdup("basic");
    cat->levels[1] = strdup("pro, \"quoted\"");
    cat->levels[2] = strdup("\xc3\xa9lite");
    assert_int_equal(encoding_finish_terms(m->enc), VT_OK);
    const char *names[] = {"churn", "expansion"};
    for (size_t k = 0; k < 2; k++) {
        model_target *target = &m->targets[m->n_targets++];
        target->name = strdup(names[k]);
        target->label = strdup(names[k]);
        assert_int_equal(model_target_alloc(target, m->enc->n_terms), VT_OK);
        for (size_t t = 0; t < m->enc->n_terms; t++) {
            target->estimate[t] = random_double();
            target->std_error[t] = fabs(random_double());
            target->z_value[t] = random_double();
            target->p_value[t] = fmod(fabs(random_double()), 1.0);
        }
        target->aliased[2] = 1;
        target->alias_reason[2] = strdup("constant column");
        target->estimate[2] = target->std_error[2] = target->z_value[2] = target->p_value[2] = NAN;
        target->deviance = random_double();
        target->n_obs = 1000;
        target->converged = 1;
        target->iterations = 6;
    }
    return m;
}

static char *saved_path(void)
{
    char *path = test_write_temp("", 0);
    return path;
}

static void model_should_round_trip_bit_for_bit(void **state)
{
    (void)state;
    for (int round = 0; round < 200; round++) {
        model *m = make_model();
        char *path = saved_path();
        vt_err err = {0};
        assert_int_equal(model_save(m, path, &err), VT_OK);
        model *back = NULL;
        if (model_load(path, &back, &err) != VT_OK)
            fail_msg("%s:%ld:%ld: %s", err.path, err.line, err.col, err.msg);
        assert_int_equal(back->enc->n_terms, m->enc->n_terms);
        for (size_t t = 0; t < m->enc->n_terms; t++)
            assert_string_equal(back->enc->term_names[t], m->enc->term_names[t]);
        assert_memory_equal(&back->enc->features[0].mean, &m->enc->features[0].mean, sizeof(double));
        assert_memory_equal(&back->enc->features[0].sd, &m->enc->features[0].sd, sizeof(double));
        for (size_t k = 0; k < 2; k++)
            for (size_t t = 0; t < m->enc->n_terms; t++) {
                assert_int_equal(back->targets[k].aliased[t], m->targets[k].aliased[t]);
                if (m->targets[k].aliased[t])
                    continue;
                assert_memory_equal(&back->targets[k].estimate[t], &m->targets[k].estimate[t], sizeof(double));
                assert_memory_equal(&back->targets[k].std_error[t], &m->targets[k].std_error[t], sizeof(double));
            }
        assert_string_equal(back->id_column, "id");
        model_free(back);
        model_free(m);
        test_remove_temp(path);
    }
}

/* Collinear groups (issue 22): a group spanning two columns makes them one
 * driver, named by both, its members' contributions added at the first; a
 * group inside one column changes no driver; both survive the file. */
static void collinear_groups_should_merge_drivers_and_round_trip(void **state)
{
    (void)state;
    model *m = make_model(); /* terms: intercept, usage, usage_missing, plan levels 2 and 3 */
    model_target *churn = &m->targets[0], *expansion = &m->targets[1];
    churn->collinear = calloc(1, sizeof(model_collinear));
    churn->collinear[0] = (model_collinear){2, calloc(2, sizeof(size_t)), 3891.5, 0.46, 0.125};
    churn->collinear[0].terms[0] = 1; /* usage */
    churn->collinear[0].terms[1] = 3; /* a level of plan */
    churn->n_collinear = 1;
    expansion->collinear = calloc(1, sizeof(model_collinear));
    expansion->collinear[0] = (model_collinear){2, calloc(2, sizeof(size_t)), 45.0, 0.1, 0};
    expansion->collinear[0].terms[0] = 3;
    expansion->collinear[0].terms[1] = 4; /* plan's two levels: one column already */
    expansion->n_collinear = 1;
    assert_int_equal(model_finish_drivers(m), VT_OK);
    const model_drivers *one = &churn->drivers, *two = &expansion->drivers;
    assert_int_equal(model_n_drivers(one, m->enc), 1);
    assert_string_equal(model_driver_name(one, m->enc, 0), "usage + plan");
    assert_true(model_driver_merged(one, 0));
    assert_int_equal(model_driver_head(one, 1), 0);
    assert_int_equal(model_n_drivers(two, m->enc), 2);
    assert_null(two->driver_of);
    assert_string_equal(model_driver_name(two, m->enc, 1), "plan");
    double effects[2] = {0.25, -1.5};
    model_merge_drivers(one, 2, effects);
    assert_true(effects[0] == -1.25 && effects[1] == 0);
    model_centre_groups(churn, one, m->enc, 1, effects); /* less the group's offset, at its head */
    assert_true(effects[0] == -1.375 && effects[1] == 0);
    model_merge_drivers(two, 2, effects);
    assert_true(effects[0] == -1.375 && effects[1] == 0);
    assert_true(model_in_collinear_group(churn, 3) && !model_in_collinear_group(churn, 4));

    char *path = saved_path();
    vt_err err = {0};
    assert_int_equal(model_save(m, path, &err), VT_OK);
    model *back = NULL;
    if (model_load(path, &back, &err) != VT_OK)
        fail_msg("%s:%ld:%ld: %s", err.path, err.line, err.col, err.msg);
    assert_int_equal(back->targets[0].n_collinear, 1);
    assert_int_equal(back->targets[0].collinear[0].terms[1], 3);
    assert_memory_equal(&back->targets[0].collinear[0].standardised, &churn->collinear[0].standardised, sizeof(double));
    assert_string_equal(model_driver_name(&back->targets[0].drivers, back->enc, 0), "usage + plan");
    assert_memory_equal(&back->targets[0].collinear[0].offset, &churn->collinear[0].offset, sizeof(double));
    assert_null(back->targets[1].drivers.driver_of);
    model_free(back);

    /* A group naming a term the encoding lacks, or out of order, is refused at its place. */
    churn->collinear[0].terms[1] = 1;
    churn->collinear[0].terms[0] = 3;
    assert_int_equal(model_save(m, path, &err), VT_OK);
    assert_int_equal(model_load(path, &back, &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "targets[0].collinear[0].terms[1]: 'usage' out of term order or in two groups"));
    assert_true(err.line > 0);
    model_free(m);
    test_remove_temp(path);
}

static vt_status load_text(const char *text, vt_err *err)
{
    char *path = test_write_temp(text, strlen(text));
    model *m = NULL;
    vt_status status = model_load(path, &m, err);
    model_free(m);
    test_remove_temp(path);
    return status;
}

static void model_should_refuse_bad_files(void **state)
{
    (void)state;
    vt_err err = {0};
    assert_int_equal(load_text("", &err), VT_EFORMAT);
    assert_int_equal(load_text("{\"format\": \"vitals-model\", \"format_version\": 1", &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "ends early"));
    assert_int_equal(load_text("{\"format\": \"vitals-model\", \"format_version\": 7}", &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "newer"));
    assert_int_equal(load_text("[1, 2]", &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "not a vitals model"));
    assert_int_equal(load_text("{\"format\": \"vitals-model\", \"format_version\": 1}", &err), VT_EFORMAT);
    assert_string_equal(err.msg, "not a valid vitals model: tool_version: missing (expected a string)");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 1);

    model *m = make_model();
    m->targets[0].estimate[0] = INFINITY;
    char *path = saved_path();
    assert_int_equal(model_save(m, path, &err), VT_ENUMERIC);
    model_free(m);
    test_remove_temp(path);
}

/* The bands' source survives a round trip bit for bit; absolute stores no shares. */
static void bands_source_should_round_trip(void **state)
{
    (void)state;
    for (int by_share = 0; by_share < 2; by_share++) {
        model *m = make_model();
        m->red_below = 57;
        m->yellow_below = 81;
        if (by_share)
            m->bands_source = (model_bands_source){1, {0.05, 0.15}, {0.0509, 0.15075}, 20000};
        char *path = saved_path();
        vt_err err = {0};
        assert_int_equal(model_save(m, path, &err), VT_OK);
        model *back = NULL;
        if (model_load(path, &back, &err) != VT_OK)
            fail_msg("%s:%ld:%ld: %s", err.path, err.line, err.col, err.msg);
        assert_true(back->red_below == 57 && back->yellow_below == 81);
        assert_int_equal(back->bands_source.by_share, by_share);
        assert_memory_equal(back->bands_source.asked, m->bands_source.asked, sizeof m->bands_source.asked);
        assert_memory_equal(back->bands_source.reached, m->bands_source.reached, sizeof m->bands_source.reached);
        assert_int_equal(back->bands_source.rows, m->bands_source.rows);
        model_free(back);
        model_free(m);
        test_remove_temp(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_should_round_trip_bit_for_bit),
        cmocka_unit_test(model_should_refuse_bad_files),
        cmocka_unit_test(collinear_groups_should_merge_drivers_and_round_trip),
        cmocka_unit_test(bands_source_should_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
