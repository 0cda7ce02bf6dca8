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
    assert_non_null(strstr(err.msg, "expected a number or a text value in single quotes at character 16"));
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 2, \"measures\": []}", &err),
                     VT_EFORMAT);
    assert_non_null(strstr(err.msg, "newer"));
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": [", &err),
                     VT_EFORMAT);
}

#define CARD_HEAD "{\"format\": \"vitals-scorecard\", \"format_version\": 1, "
#define MEASURE(extra) "{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 50}]" extra "}"

/* Fields that were read without a check (a weight of "2" became 1, a rule
 * with both bucket and points lost its points): each is refused, named. */
static void every_field_should_be_checked(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {CARD_HEAD "\"measures\": [" MEASURE(", \"weight\": \"2\"") "]}",
         "measures[0].weight: expected a finite number, found \"2\""},
        {CARD_HEAD "\"measures\": [" MEASURE(", \"otherwise\": 150") "]}",
         "measures[0].otherwise: expected a number from 0 to 100, found 150"},
        {CARD_HEAD "\"measures\": [" MEASURE(", \"missing\": \"maybe\"") "]}",
         "measures[0].missing: expected \"zero\" or \"exclude\", found \"maybe\""},
        {CARD_HEAD "\"name\": 5, \"measures\": [" MEASURE("") "]}", "name: expected a string, found 5"},
        {CARD_HEAD "\"bands\": {\"red_below\": \"40\"}, \"measures\": [" MEASURE("") "]}",
         "bands.red_below: expected a finite number, found \"40\""},
        {CARD_HEAD "\"measures\": [{\"column\": \"\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 5}]}]}",
         "measures[0].column: expected a column name, found \"\""},
        {CARD_HEAD "\"measures\": [{\"column\": \"u\", \"better\": \"up\", \"points\": [{\"at\": 1, \"points\": 5}]}]}",
         "measures[0].better: expected \"higher\" or \"lower\", found \"up\""},
        {CARD_HEAD "\"measures\": [{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": \"x\", \"points\": 5}]}]}",
         "measures[0].points[0].at: expected a finite number, found \"x\""},
        {CARD_HEAD "\"measures\": [{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 120}]}]}",
         "measures[0].points[0].points: expected a number from 0 to 100, found 120"},
        {CARD_HEAD "\"measures\": [" MEASURE("") "], \"rules\": [{\"when\": \"u > 1\", \"bucket\": \"red\", \"points\": 5}]}",
         "rules[0]: a rule needs \"bucket\" (red, yellow, green) or \"points\" (a number to add), not both"},
        {CARD_HEAD "\"measures\": [" MEASURE("") "], \"rules\": [{\"when\": \"u > 1\", \"bucket\": \"blue\"}]}",
         "rules[0].bucket: expected \"red\", \"yellow\" or \"green\", found \"blue\""},
        {CARD_HEAD "\"measures\": [" MEASURE("") "], \"stages\": {\"column\": \"s\", \"levels\": {\"a\": ["
             MEASURE("") "], \"a\": [" MEASURE("") "]}}}",
         "stages.levels.a: stage \"a\" appears twice"},
        {CARD_HEAD "\"measures\": [" MEASURE("") "], \"stages\": {\"column\": 3, \"levels\": {}}}",
         "stages.column: expected a string, found 3"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        vt_err err = {0};
        char want[512];
        snprintf(want, sizeof want, "not a valid scorecard: %s", cases[c][1]);
        assert_int_equal(load_text(cases[c][0], &err), VT_EFORMAT);
        if (strcmp(err.msg, want) != 0 || err.line != 1 || err.col < 1)
            fail_msg("case %zu: got %ld:%ld: %s\nwant 1:COL: %s", c, err.line, err.col, err.msg, want);
    }
}

/* tune re-scores rows from their points: scorecard_settle must give what
 * scorecard_row gave (health, bucket, rules), and a card written by
 * scorecard_to_json must load back and score the same. */
static void settle_and_written_card_should_score_as_the_row(void **state)
{
    (void)state;
    static const char *const rows[][4] = {
        {"old", "0.8", "0", "9"}, {"old", "0.99", "1", "9.5"}, {"old", "0.6", "12", ""},
        {"new", "0.4", "3", "2"}, {"new", "0.1", "0", "10"}, {"old", "0.1", "3", "1"},
    };
    fixture f;
    setup_card(&f);
    cJSON *written = scorecard_to_json(f.card, cJSON_CreateString("test"));
    char *text = cJSON_Print(written);
    char *path = test_write_temp(text, strlen(text));
    fixture again = {0};
    vt_err err = {0};
    assert_int_equal(scorecard_load(path, &again.card, &err), VT_OK);
    const char *header[] = {"id", "stage", "usage", "tickets", "nps"};
    assert_int_equal(scorecard_bind(again.card, "d.csv", header, 5, &again.binding, &err), VT_OK);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        sc_result row = score(&f, rows[r][0], rows[r][1], rows[r][2], rows[r][3]);
        sc_result settled = {0, BUCKET_RED, NULL, 0};
        const char *fields[] = {"x", rows[r][0], rows[r][1], rows[r][2], rows[r][3]};
        size_t lengths[5];
        for (int i = 0; i < 5; i++)
            lengths[i] = strlen(fields[i]);
        csv_row csv = {5, fields, lengths, 2};
        scorecard_settle(f.card, scorecard_row_set(f.card, f.binding, &csv), f.points, row.fired, &settled);
        assert_true(settled.health == row.health && settled.level == row.level && settled.fired == row.fired);
        sc_result reloaded = score(&again, rows[r][0], rows[r][1], rows[r][2], rows[r][3]);
        assert_true(reloaded.health == row.health && reloaded.level == row.level && reloaded.fired == row.fired);
    }
    test_remove_temp(path);
    free(text);
    cJSON_Delete(written);
    teardown_card(&again);
    teardown_card(&f);
}


/* Issue 22: a rule compares the stage column and a text column with text
 * (their cells are not read as numbers, so "onboarding" is no error), a
 * measure names a column with spaces; a column read both ways is refused
 * at load, naming where. */
static void text_rules_should_read_cells_as_text(void **state)
{
    (void)state;
    const char *text =
        "{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
        "{\"column\": \"usage rate\", \"better\": \"higher\", \"points\": [{\"at\": 0.5, \"points\": 100}]}],"
        " \"stages\": {\"column\": \"stage\", \"levels\": {\"onboarding\": ["
        "{\"column\": \"usage rate\", \"better\": \"higher\", \"points\": [{\"at\": 0.1, \"points\": 100}]}]}},"
        " \"rules\": [{\"when\": \"stage = 'onboarding' AND \\\"usage rate\\\" < 0.2\", \"points\": -30},"
        " {\"when\": \"plan NOT IN ('pro')\", \"bucket\": \"red\"}]}";
    char *path = test_write_temp(text, strlen(text));
    vt_err err = {0};
    scorecard *card = NULL;
    scorecard_binding *binding = NULL;
    if (scorecard_load(path, &card, &err) != VT_OK)
        fail_msg("load: %s", err.msg);
    test_remove_temp(path);
    const char *header[] = {"stage", "usage rate", "plan"};
    assert_int_equal(scorecard_bind(card, "d.csv", header, 3, &binding, &err), VT_OK);
    const struct {
        const char *stage, *usage, *plan;
        double health;
        unsigned long long fired;
    } rows[] = {{"onboarding", "0.15", "pro", 70, 1}, {"adoption", "0.15", "pro", 0, 0},
                {"adoption", "0.9", "free", 100, 2}, {"adoption", "0.9", "", 100, 0},
                {"onboarding", "0.15", "NA", 70, 1}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *fields[] = {rows[i].stage, rows[i].usage, rows[i].plan};
        size_t lengths[3];
        for (int k = 0; k < 3; k++)
            lengths[k] = strlen(fields[k]);
        csv_row row = {3, fields, lengths, 2};
        double points[4];
        sc_result result = {0, BUCKET_RED, points, 0};
        assert_int_equal(scorecard_row(card, binding, &row, "d.csv", &result, &err), VT_OK);
        assert_true(fabs(result.health - rows[i].health) < 1e-9);
        assert_int_equal(result.fired, rows[i].fired);
    }
    scorecard_binding_free(binding);
    scorecard_free(card);
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
                               "{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 50}]}],"
                               " \"rules\": [{\"when\": \"v > 1\", \"bucket\": \"red\"},"
                               " {\"when\": \"v > 2 OR u IN ('a')\", \"bucket\": \"red\"}]}",
                               &err), VT_EPARSE);
    assert_non_null(strstr(err.msg, "rules[1].when: column 'u' is compared with text at character 10 but read as a "
                                    "number by a measure"));
    assert_int_equal(load_text("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
                               "{\"column\": \"u\", \"better\": \"higher\", \"points\": [{\"at\": 1, \"points\": 50}]}],"
                               " \"rules\": [{\"when\": \"v = 'x'\", \"bucket\": \"red\"},"
                               " {\"when\": \"u > 2 AND v < 1\", \"bucket\": \"red\"}]}",
                               &err), VT_EPARSE);
    assert_non_null(strstr(err.msg, "column 'v' is compared with a number at character 11 but read as text by rules[0]"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thresholds_should_give_points_at_and_between_steps),
        cmocka_unit_test(missing_values_should_follow_each_measures_policy),
        cmocka_unit_test(stages_should_use_their_own_measures),
        cmocka_unit_test(rules_should_force_buckets_and_add_points),
        cmocka_unit_test(bad_scorecards_should_be_refused),
        cmocka_unit_test(every_field_should_be_checked),
        cmocka_unit_test(settle_and_written_card_should_score_as_the_row),
        cmocka_unit_test(text_rules_should_read_cells_as_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
