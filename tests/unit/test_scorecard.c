/* Scorecards: threshold points, per-stage measure sets, the missing-value
 * policies, rules that force buckets or add points. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scorecard.h"
#include "testutil.h"

static const char card_text[] =
    "{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"name\": \"t\","
    " \"measures\": ["
    "  {\"column\": \"usage\", \"better\": \"higher\", \"points\": [{\"at\": 0.8, \"points\": 100}, {\"at\": 0.5, \"points\": 50}], \"weight\": 2},"
    "  {\"column\": \"tickets\", \"better\": \"lower\", \"points\": [{\"at\": 0, \"points\": 100}, {\"at\": 2, \"points\": 40}], \"otherwise\": 10, \"weight\": 1},"
    "  {\"column\": \"nps\", \"better\": \"higher\", \"points\": [{\"at\": 9, \"points\": 100}], \"weight\": 1, \"missing\": \"exclude\"}],"
    " \"stages\": {\"column\": \"stage\", \"levels\": {\"new\": ["
    "  {\"column\": \"usage\", \"better\": \"higher\", \"points\": [{\"at\": 0.3, \"points\": 100}], \"weight\": 1}]}},"
    " \"rules\": [{\"when\": \"tickets >= 10\", \"bucket\": \"red\"}, {\"when\": \"usage > 0.95 AND nps >= 9\", \"points\": 5}]}";

typedef struct {
    scorecard *card;
    scorecard_binding *binding;
    double points[8];
} fixture;

static void setup_card(fixture *f)
{
    char *path = test_write_temp(card_text, strlen(card_text));
    vt_err err = {0};
    if (scorecard_load(path, &f->card, &err) != VT_OK)
        fail_msg("load: %s", err.msg);
    test_remove_temp(path);
    const char *header[] = {"id", "stage", "usage", "tickets", "nps"};
    assert_int_equal(scorecard_bind(f->card, "d.csv", header, 5, &f->binding, &err), VT_OK);
}

static sc_result score(fixture *f, const char *stage, const char *usage, const char *tickets, const char *nps)
{
    const char *fields[] = {"x", stage, usage, tickets, nps};
    size_t lengths[5];
    for (int i = 0; i < 5; i++)
        lengths[i] = strlen(fields[i]);
    csv_row row = {5, fields, lengths, 2};
    sc_result result = {0, BUCKET_RED, f->points, 0};
    vt_err err = {0};
    assert_int_equal(scorecard_row(f->card, f->binding, &row, "d.csv", &result, &err), VT_OK);
    return result;
}

static void teardown_card(fixture *f)
{
    scorecard_binding_free(f->binding);
    scorecard_free(f->card);
}

static void thresholds_should_give_points_at_and_between_steps(void **state)
{
    (void)state;
    fixture f;
    setup_card(&f);
    /* usage 0.8 (at the step: 100) x2, tickets 0 (100), nps 9 (100) */
    assert_true(fabs(score(&f, "old", "0.8", "0", "9").health - 100) < 1e-12);
    /* usage 0.79 -> 50 (x2), tickets 2 -> 40, nps 8.9 -> 0: (100 + 40 + 0) / 4 */
    assert_true(fabs(score(&f, "old", "0.79", "2", "8.9").health - 35) < 1e-12);
    /* tickets 3 -> otherwise 10; usage 0.1 -> 0: (0 + 10 + 0) / 4 = 2.5 -> red */
    sc_result low = score(&f, "old", "0.1", "3", "1");
    assert_true(fabs(low.health - 2.5) < 1e-12);
    assert_int_equal(low.level, BUCKET_RED);
    teardown_card(&f);
}

static void missing_values_should_follow_each_measures_policy(void **state)
{
    (void)state;
    fixture f;
    setup_card(&f);
    /* nps missing and excluded: (2 x 100 + 100) / 3 = 100 */
    assert_true(fabs(score(&f, "old", "0.9", "0", "").health - 100) < 1e-12);
    /* tickets missing scores zero points: (2 x 100 + 0 + 100) / 4 = 75 */
    assert_true(fabs(score(&f, "old", "0.9", "NA", "9").health - 75) < 1e-12);
    teardown_card(&f);
}

static void stages_should_use_their_own_measures(void **state)
{
    (void)state;
    fixture f;
    setup_card(&f);
    /* a "new" account: only usage >= 0.3 counts */
    sc_result fresh = score(&f, "new", "0.4", "9", "0");
    assert_true(fabs(fresh.health - 100) < 1e-12);
    assert_int_equal(fresh.level, BUCKET_GREEN);
    assert_true(isnan(f.points[2])); /* tickets is not a measure of the "new" set */
    teardown_card(&f);
}

static void rules_should_force_buckets_and_add_points(void **state)
{
    (void)state;
    fixture f;
    setup_card(&f);
    sc_result forced = score(&f, "old", "0.9", "12", "9"); /* health (200 + 10 + 100) / 4 = 77.5, but tickets >= 10 */
    assert_int_equal(forced.level, BUCKET_RED);
    assert_true(forced.fired & 1);
    sc_result bonus = score(&f, "old", "0.96", "2", "9"); /* (200 + 40 + 100) / 4 = 85, + 5 */
    assert_true(fabs(bonus.health - 90) < 1e-12);
    assert_true(bonus.fired == 2);
    teardown_card(&f);
}

static vt_status load_text(const char *text, vt_err *err)
{
    char *path = test_write_temp(text, strlen(text));
    scorecard *card = NULL;
    vt_status status = scorecard_load(path, &card, err);
    scorecard_free(card);
    test_remove_temp(path);
    return status;
}

static void bad_scorecards_should_be_refused(void **state)
{
    (void)state;
    vt_err err = {0};
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
                               "{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": 0.5, \"points\": 50}, {\"at\": 0.8, \"points\": 100}]}]}",
                               &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "out of order"));
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
                               "{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 50}], \"weight\": 0}]}",
                               &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "sum to zero"));
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
                               "{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 50}]}],"
                               " \"rules\": [{\"when\": \"u > 1 AND (v < \", \"bucket\": \"red\"}]}",
                               &err), VT_EPARSE);
    assert_non_null(strstr(err.msg, "expected a number at character 16"));
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 2, \"measures\": []}", &err),
                     VT_EFORMAT);
    assert_non_null(strstr(err.msg, "newer"));
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": [", &err),
                     VT_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thresholds_should_give_points_at_and_between_steps),
        cmocka_unit_test(missing_values_should_follow_each_measures_policy),
        cmocka_unit_test(stages_should_use_their_own_measures),
        cmocka_unit_test(rules_should_force_buckets_and_add_points),
        cmocka_unit_test(bad_scorecards_should_be_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
