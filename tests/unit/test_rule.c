/* Scorecard rules: precedence, parentheses, NOT, missing values, errors
 * with positions. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "rule.h"

static int eval_text(const char *text, const char *const *names, const double *values, size_t n)
{
    rule *r = NULL;
    size_t at = 0;
    char msg[128];
    if (rule_parse(text, &r, &at, msg, sizeof msg) != VT_OK)
        fail_msg("'%s' did not parse: %s at %zu", text, msg, at);
    const char *const *columns;
    size_t n_columns = rule_columns(r, &columns);
    double mapped[8];
    for (size_t c = 0; c < n_columns; c++) {
        mapped[c] = NAN;
        for (size_t i = 0; i < n; i++)
            if (strcmp(columns[c], names[i]) == 0)
                mapped[c] = values[i];
    }
    int result = rule_eval(r, mapped);
    rule_free(r);
    return result;
}

static void rules_should_respect_precedence_and_parentheses(void **state)
{
    (void)state;
    const char *names[] = {"a", "b", "c"};
    double values[] = {1, 0, 5};
    /* AND binds tighter than OR: a > 0 OR (b > 0 AND c > 10) */
    assert_true(eval_text("a > 0 OR b > 0 AND c > 10", names, values, 3));
    assert_false(eval_text("(a > 0 OR b > 0) AND c > 10", names, values, 3));
    assert_true(eval_text("NOT b > 0 AND c >= 5", names, values, 3));
    assert_false(eval_text("NOT (b > 0 OR c >= 5)", names, values, 3));
    assert_true(eval_text("not not a = 1", names, values, 3));
    assert_true(eval_text("a != 2 and c <= 5.0 or b == 7", names, values, 3));
    assert_true(eval_text("  (((a>0)))  ", names, values, 3));
    assert_true(eval_text("c > -1e1", names, values, 3));
}

static void rules_should_treat_missing_values_as_false(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    double values[] = {1};
    assert_false(eval_text("missing > 0", names, values, 1));
    assert_false(eval_text("missing <= 0", names, values, 1));
    assert_true(eval_text("NOT missing > 0", names, values, 1));
    assert_true(eval_text("missing > 0 OR a = 1", names, values, 1));
}

static void rules_should_report_errors_with_positions(void **state)
{
    (void)state;
    const struct {
        const char *text;
        size_t at;
        const char *words;
    } cases[] = {{"a > ", 4, "number"},
                 {"a > 0 AND", 9, "column name"},
                 {"(a > 0", 6, "')'"},
                 {"a 0", 2, "comparison"},
                 {"a > 0 b > 1", 6, "AND, OR"},
                 {"", 0, "column name"},
                 {"a > x", 4, "number"},
                 {"a > 0 ANDb > 1", 6, "AND, OR"},
                 {"a > 1 AND (b < ", 15, "number"}, /* regression: a failure inside () kept its position */
                 {"(a > 1 OR (b >", 14, "number"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rule *r = NULL;
        size_t at = 99;
        char msg[128] = "";
        assert_int_equal(rule_parse(cases[i].text, &r, &at, msg, sizeof msg), VT_EPARSE);
        assert_null(r);
        if (at != cases[i].at || strstr(msg, cases[i].words) == NULL)
            fail_msg("'%s': error at %zu (%s), expected at %zu (%s)", cases[i].text, at, msg, cases[i].at,
                     cases[i].words);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_should_respect_precedence_and_parentheses),
        cmocka_unit_test(rules_should_treat_missing_values_as_false),
        cmocka_unit_test(rules_should_report_errors_with_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
