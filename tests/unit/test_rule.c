/* Scorecard rules: precedence, parentheses, NOT, missing values, errors
 * with positions. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
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
    rule_value mapped[8];
    for (size_t c = 0; c < n_columns; c++) {
        mapped[c] = (rule_value){NAN, NULL, 0};
        for (size_t i = 0; i < n; i++)
            if (strcmp(columns[c], names[i]) == 0)
                mapped[c].number = values[i];
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

/* text = prefix x n, middle, suffix x n; malloc'ed. */
static char *repeated(const char *prefix, size_t n, const char *middle, const char *suffix)
{
    size_t a = strlen(prefix), b = strlen(middle), c = strlen(suffix);
    char *text = malloc(n * (a + c) + b + 1), *at = text;
    assert_non_null(text);
    for (size_t i = 0; i < n; i++, at += a)
        memcpy(at, prefix, a);
    memcpy(at, middle, b);
    at += b;
    for (size_t i = 0; i < n; i++, at += c)
        memcpy(at, suffix, c);
    *at = '\0';
    return text;
}

static void expect_too_deep(const char *text, size_t expected_at)
{
    rule *r = NULL;
    size_t at = 0;
    char msg[128] = "";
    assert_int_equal(rule_parse(text, &r, &at, msg, sizeof msg), VT_EPARSE);
    assert_null(r);
    assert_string_equal(msg, "nested deeper than 256 levels");
    assert_int_equal(at, expected_at);
}

/* Regression (issue 9): a rule nested 40,000 parentheses or 75,000 NOTs
 * deep overflowed the recursive-descent parser's stack (SIGSEGV in score
 * and compare).  Nesting is now refused past RULE_NESTING_LIMIT, at the
 * byte of the first '(' or NOT too many; the limit itself still parses. */
static void rules_should_refuse_nesting_past_the_limit(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    double values[] = {1};
    char *text = repeated("(", 40000, "a > 0", ")");
    expect_too_deep(text, RULE_NESTING_LIMIT);
    free(text);
    text = repeated("NOT ", 75000, "a > 0", "");
    expect_too_deep(text, 4 * RULE_NESTING_LIMIT);
    free(text);
    text = repeated("NOT (", 20000, "a > 0", ")");
    expect_too_deep(text, 5 * (RULE_NESTING_LIMIT / 2));
    free(text);
    text = repeated("(", RULE_NESTING_LIMIT, "a > 0", ")");
    assert_true(eval_text(text, names, values, 1));
    free(text);
    text = repeated("NOT ", RULE_NESTING_LIMIT, "a > 0", ""); /* an even count of NOTs */
    assert_true(eval_text(text, names, values, 1));
    free(text);
}

/* Regression (issue 9): 260,000 chained ANDs built a tree 260,000 deep
 * whose recursive evaluation (and freeing) overflowed a scorer thread's
 * stack.  A chain is now one node: parsed, evaluated and freed in a loop. */
static void rules_should_evaluate_long_chains_flat(void **state)
{
    (void)state;
    const char *names[] = {"a", "b"};
    double values[] = {1, 0};
    char *text = repeated("a > 0 AND ", 260000, "a >= 1", "");
    assert_true(eval_text(text, names, values, 2));
    free(text);
    text = repeated("a > 0 AND ", 260000, "b > 0", ""); /* the last operand decides */
    assert_false(eval_text(text, names, values, 2));
    free(text);
    text = repeated("b > 0 OR ", 260000, "a = 1 AND NOT b > 0", "");
    assert_true(eval_text(text, names, values, 2));
    free(text);
    /* Many distinct columns: each is looked up by hash, listed once. */
    size_t n = 100000;
    char *many = malloc(n * 24), *at = many;
    assert_non_null(many);
    for (size_t i = 0; i < n; i++)
        at += sprintf(at, "%sc%zu > 0", i ? " OR " : "", i % (n / 2));
    rule *r = NULL;
    size_t error_at = 0;
    char msg[128];
    assert_int_equal(rule_parse(many, &r, &error_at, msg, sizeof msg), VT_OK);
    const char *const *columns;
    assert_int_equal(rule_columns(r, &columns), n / 2);
    assert_string_equal(columns[n / 2 - 1], "c49999");
    rule_value *zeros = calloc(n / 2, sizeof *zeros);
    assert_non_null(zeros);
    assert_false(rule_eval(r, zeros));
    zeros[n / 2 - 1].number = 1;
    assert_true(rule_eval(r, zeros));
    free(zeros);
    rule_free(r);
    free(many);
}


/* Evaluate text against cells given as strings (NULL: missing); a cell
 * that reads as a number also has that number. */
static int eval_cells(const char *text, const char *const *names, const char *const *cells, size_t n)
{
    rule *r = NULL;
    size_t at = 0;
    char msg[160];
    if (rule_parse(text, &r, &at, msg, sizeof msg) != VT_OK)
        fail_msg("'%s' did not parse: %s at %zu", text, msg, at);
    const char *const *columns;
    size_t n_columns = rule_columns(r, &columns);
    rule_value mapped[8];
    for (size_t c = 0; c < n_columns; c++) {
        mapped[c] = (rule_value){NAN, NULL, 0};
        for (size_t i = 0; i < n; i++)
            if (strcmp(columns[c], names[i]) == 0 && cells[i] != NULL) {
                char *end;
                mapped[c] = (rule_value){strtod(cells[i], &end), cells[i], strlen(cells[i])};
                if (*end != '\0' || end == cells[i])
                    mapped[c].number = NAN;
            }
    }
    int result = rule_eval(r, mapped);
    rule_free(r);
    return result;
}

/* Issue 22: any column is named in double quotes ("" for one "), text is
 * compared with =, != and [NOT] IN, exactly and case-sensitively. */
static void rules_should_name_any_column_and_compare_text(void **state)
{
    (void)state;
    const char *names[] = {"Customer service calls", "Geography", "plan", "say \"hi\"", "gone"};
    const char *cells[] = {"4", "Germany", "pro", "it's", NULL};
    assert_true(eval_cells("\"Customer service calls\" >= 4", names, cells, 5));
    assert_false(eval_cells("\"Customer service calls\" > 4", names, cells, 5));
    assert_true(eval_cells("Geography = 'Germany' AND \"Geography\" != 'France'", names, cells, 5));
    assert_false(eval_cells("Geography = 'germany'", names, cells, 5));   /* case-sensitive */
    assert_false(eval_cells("Geography = 'Germany '", names, cells, 5));  /* exact bytes */
    assert_true(eval_cells("Geography == 'Germany'", names, cells, 5));
    assert_true(eval_cells("plan IN ('pro', 'team')", names, cells, 5));
    assert_true(eval_cells("plan in('team','pro')", names, cells, 5));
    assert_false(eval_cells("plan NOT IN ('pro', 'team')", names, cells, 5));
    assert_true(eval_cells("plan not in ('free')", names, cells, 5));
    assert_true(eval_cells("\"say \"\"hi\"\"\" = 'it''s'", names, cells, 5));
    assert_true(eval_cells("\"say \"\"hi\"\"\" IN ('x', 'it''s')", names, cells, 5));
    /* Missing: every comparison is false, NOT IN and != included (as SQL's
     * NULL); NOT of a comparison is two-valued, as for numbers. */
    assert_false(eval_cells("gone = 'x'", names, cells, 5));
    assert_false(eval_cells("gone != 'x'", names, cells, 5));
    assert_false(eval_cells("gone IN ('x')", names, cells, 5));
    assert_false(eval_cells("gone NOT IN ('x')", names, cells, 5));
    assert_true(eval_cells("NOT gone IN ('x')", names, cells, 5));
    /* A keyword quoted is a column. */
    const char *keywords[] = {"NOT", "and"};
    const char *kw_cells[] = {"1", "yes"};
    assert_true(eval_cells("\"NOT\" = 1 AND \"and\" = 'yes'", keywords, kw_cells, 2));
    /* The kinds the parser tells the scorecard. */
    rule *r = NULL;
    size_t at = 0;
    char msg[160];
    assert_int_equal(rule_parse("a > 1 OR b IN ('x') OR c = 'y'", &r, &at, msg, sizeof msg), VT_OK);
    assert_int_equal(rule_column_kind(r, 0, &at), RULE_NUMBER);
    assert_int_equal(at, 0);
    assert_int_equal(rule_column_kind(r, 1, &at), RULE_TEXT);
    assert_int_equal(at, 9);
    assert_int_equal(rule_column_kind(r, 2, NULL), RULE_TEXT);
    rule_free(r);
}

static void text_rules_should_report_errors_with_positions(void **state)
{
    (void)state;
    const struct {
        const char *text;
        size_t at;
        const char *words;
    } cases[] = {{"\"Customer service calls >= 4", 0, "unterminated column name"},
                 {"a = 'Germany", 4, "unterminated text value"},
                 {"a IN ('x', 'y", 11, "unterminated text value"},
                 {"a IN ()", 5, "empty IN list"},
                 {"a IN ( )", 5, "empty IN list"},
                 {"a IN 'x'", 5, "'(' after IN"},
                 {"a IN ('x' 'y')", 10, "',' or ')'"},
                 {"a IN ('x',)", 10, "single quotes"},
                 {"a IN (1, 2)", 6, "single quotes"},
                 {"a NOT 'x'", 2, "IN after NOT"},
                 {"a > 'x'", 4, "not with >"},
                 {"a <= 'x'", 5, "not with <="},
                 {"a = \"x\"", 4, "double quotes name a column"},
                 {"`a b` > 1", 0, "backquotes"},
                 {"\"\" > 1", 0, "empty column name"},
                 {"a > 1 AND a = 'x'", 10, "compared with text here but with a number at character 1"},
                 {"a IN ('x') OR (a < 2)", 15, "compared with a number here but with text at character 1"},
                 {"\"a\"\" > 1", 0, "unterminated column name"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rule *r = NULL;
        size_t at = 99;
        char msg[160] = "";
        assert_int_equal(rule_parse(cases[i].text, &r, &at, msg, sizeof msg), VT_EPARSE);
        assert_null(r);
        if (at != cases[i].at || strstr(msg, cases[i].words) == NULL)
            fail_msg("'%s': error at %zu (%s), expected at %zu (%s)", cases[i].text, at, msg, cases[i].at,
                     cases[i].words);
    }
}

/* Hostile text: a 200,000-value IN list is found by hash; bytes that are
 * not UTF-8 are names and values like any other; nesting is bounded as
 * for numbers. */
static void text_rules_should_survive_hostile_input(void **state)
{
    (void)state;
    size_t n = 200000;
    char *list = malloc(n * 16 + 64), *at = list;
    assert_non_null(list);
    at += sprintf(at, "plan NOT IN (");
    for (size_t i = 0; i < n; i++)
        at += sprintf(at, "%s'v%zu'", i ? ", " : "", i);
    sprintf(at, ")");
    const char *names[] = {"plan"}, *hit[] = {"v199999"}, *miss[] = {"v200000"};
    assert_false(eval_cells(list, names, hit, 1));
    assert_true(eval_cells(list, names, miss, 1));
    free(list);
    const char *raw[] = {"\xff\xfe name"}, *raw_cells[] = {"\xc3\x28"};
    assert_true(eval_cells("\"\xff\xfe name\" = '\xc3\x28'", raw, raw_cells, 1));
    char *deep = repeated("(", 300, "a IN ('x')", ")");
    expect_too_deep(deep, 256);
    free(deep);
    deep = repeated("NOT ", 300, "\"a b\" = 'x'", "");
    expect_too_deep(deep, 1024);
    free(deep);
}


/* Out of memory at every allocation of a text rule's parse: VT_ENOMEM and
 * "out of memory", nothing leaked (ASan's leak check), never a rule that
 * dropped a failed allocation. */
static void text_rules_should_fail_cleanly_out_of_memory(void **state)
{
    (void)state;
    const char *text = "\"Customer service calls\" >= 4 AND (Geography = 'Germany' OR plan NOT IN ('pro', 'it''s'))";
    for (unsigned long n = 1;; n++) {
        rule *r = NULL;
        size_t at = 0;
        char msg[160] = "";
        vt_alloc_fail_at(n);
        vt_status status = rule_parse(text, &r, &at, msg, sizeof msg);
        unsigned long made = vt_alloc_count();
        vt_alloc_fail_at(0);
        if (status == VT_OK) {
            if (made >= n)
                fail_msg("allocation %lu failed and the parse went on", n);
            rule_free(r);
            break;
        }
        assert_int_equal(status, VT_ENOMEM);
        assert_string_equal(msg, "out of memory");
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_should_respect_precedence_and_parentheses),
        cmocka_unit_test(rules_should_treat_missing_values_as_false),
        cmocka_unit_test(rules_should_report_errors_with_positions),
        cmocka_unit_test(rules_should_refuse_nesting_past_the_limit),
        cmocka_unit_test(rules_should_evaluate_long_chains_flat),
        cmocka_unit_test(rules_should_name_any_column_and_compare_text),
        cmocka_unit_test(text_rules_should_report_errors_with_positions),
        cmocka_unit_test(text_rules_should_survive_hostile_input),
        cmocka_unit_test(text_rules_should_fail_cleanly_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
