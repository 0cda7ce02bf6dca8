/* Typed tables: inference, missing tokens, labels, mixed columns. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "table.h"
#include "testutil.h"

static vt_status read_text_levels(const char *text, const table_role *roles, size_t n_roles, const char *const *na,
                                  size_t n_na, size_t max_levels, table **out, vt_err *err)
{
    char *path = test_write_temp(text, strlen(text));
    table_options options = {',', na, n_na, roles, n_roles, max_levels};
    vt_status status = table_read(path, &options, out, err);
    test_remove_temp(path);
    return status;
}

static vt_status read_text(const char *text, const table_role *roles, size_t n_roles, const char *const *na,
                           size_t n_na, table **out, vt_err *err)
{
    return read_text_levels(text, roles, n_roles, na, n_na, 0, out, err);
}

/* "x,id,churn" rows: id takes `levels` distinct values over `rows` rows. */
static char *id_rows(size_t rows, size_t levels)
{
    char *text = malloc(rows * 32 + 32), *at = text;
    assert_non_null(text);
    at += sprintf(at, "x,id,churn\n");
    for (size_t r = 0; r < rows; r++)
        at += sprintf(at, "%zu,A%zu,%zu\n", r, r % levels, r % 2);
    return text;
}

static vt_status read_ids(size_t rows, size_t levels, size_t max_levels, vt_err *err)
{
    char *text = id_rows(rows, levels);
    table *data = NULL;
    vt_status status = read_text_levels(text, NULL, 0, NULL, 0, max_levels, &data, err);
    table_free(data);
    free(text);
    return status;
}

/* Regression (issue 9): a forgotten --id made a level per row, a term per
 * row, and a fit cubic in the rows (66 s for 2,000 rows, out of memory at
 * 100,000).  Refused when read: over 1,000 levels, or from 20 rows on over
 * half the rows; --max-levels N replaces both rules. */
static void table_should_refuse_a_level_per_row(void **state)
{
    (void)state;
    vt_err err = {0};
    assert_int_equal(read_ids(30, 30, 0, &err), VT_EDATA);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 2);
    assert_non_null(strstr(err.msg, "column 'id' has 30 distinct values in 30 rows"));
    assert_non_null(strstr(err.msg, "(at most 15, half the rows)"));
    assert_non_null(strstr(err.msg, "--id id or --drop id"));
    assert_int_equal(read_ids(30, 15, 0, &err), VT_OK);
    assert_int_equal(read_ids(30, 16, 0, &err), VT_EDATA);
    assert_int_equal(read_ids(19, 19, 0, &err), VT_OK);   /* too few rows to judge by share */
    assert_int_equal(read_ids(30, 30, 30, &err), VT_OK);  /* --max-levels 30 */
    assert_int_equal(read_ids(30, 30, 29, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "(at most 29)"));
    assert_int_equal(read_ids(5000, 1000, 0, &err), VT_OK);
    assert_int_equal(read_ids(5000, 1001, 0, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "(at most 1000)"));
    assert_int_equal(read_ids(5000, 1001, 2000, &err), VT_OK);
    /* A declared role: skipped and text columns are not levels. */
    char *text = id_rows(30, 30);
    table_role skip[] = {{"id", ROLE_SKIP, "--drop"}}, id[] = {{"id", ROLE_TEXT, "--id"}};
    table *data = NULL;
    assert_int_equal(read_text(text, skip, 1, NULL, 0, &data, &err), VT_OK);
    table_free(data);
    assert_int_equal(read_text(text, id, 1, NULL, 0, &data, &err), VT_OK);
    table_free(data);
    free(text);
}

static void table_should_infer_types_and_missing_cells(void **state)
{
    (void)state;
    table_role roles[] = {{"churn", ROLE_LABEL, "--churn"}, {"id", ROLE_TEXT, "--id"}, {"skip", ROLE_SKIP, "--drop"}};
    const char *na[] = {"?"};
    table *data = NULL;
    vt_err err = {0};
    assert_int_equal(read_text("id,x,plan,skip,churn\n"
                               "a1,1.5,pro,zz,Yes\n"
                               "a2,NA,basic,zz,no\n"
                               "a3, ,NULL,1,TRUE\n"
                               "a4,?,pro,2,0\n"
                               "a5,-2e1,,3,\n",
                               roles, 3, na, 1, &data, &err),
                     VT_OK);
    assert_int_equal(data->n_rows, 5);
    assert_int_equal(data->n_columns, 4); /* skip is not stored */
    table_column *x = table_find(data, "x"), *plan = table_find(data, "plan"), *churn = table_find(data, "churn");
    assert_int_equal(x->type, TYPE_NUMERIC);
    assert_true(x->values[0] == 1.5 && isnan(x->values[1]) && isnan(x->values[2]) && isnan(x->values[3]));
    assert_true(x->values[4] == -20.0);
    assert_int_equal(x->n_missing, 3);
    assert_int_equal(x->first_missing_line, 3);
    assert_int_equal(plan->type, TYPE_CATEGORICAL);
    assert_int_equal(dict_size(plan->levels), 2);
    assert_true(plan->codes[2] < 0 && plan->codes[4] < 0);
    assert_true(churn->values[0] == 1 && churn->values[1] == 0 && churn->values[2] == 1 && churn->values[3] == 0);
    assert_true(isnan(churn->values[4]));
    assert_string_equal(table_find(data, "id")->text[3], "a4");
    assert_null(table_find(data, "skip"));
    table_free(data);
}

static void table_should_refuse_a_stray_word_among_numbers(void **state)
{
    (void)state;
    table *data = NULL;
    vt_err err = {0};
    assert_int_equal(read_text("x,y\n1,2\n3,4\nn/a,5\n6,7\n", NULL, 0, NULL, 0, &data, &err), VT_EDATA);
    assert_null(data);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 1);
    assert_non_null(strstr(err.msg, "--categorical x"));
    assert_non_null(strstr(err.msg, "--na 'n/a'"));
}

static void table_should_make_mostly_text_columns_categorical(void **state)
{
    (void)state;
    table *data = NULL;
    vt_err err = {0};
    assert_int_equal(read_text("plan\n1.0\nbasic\npro\n1\nbasic\n", NULL, 0, NULL, 0, &data, &err), VT_OK);
    table_column *plan = table_find(data, "plan");
    assert_int_equal(plan->type, TYPE_CATEGORICAL);
    assert_int_equal(dict_size(plan->levels), 3); /* "1.0" and "1" are one level */
    assert_int_equal(plan->codes[0], plan->codes[3]);
    table_free(data);
}

static void table_should_keep_declared_text_verbatim(void **state)
{
    (void)state;
    table_role roles[] = {{"zip", ROLE_CATEGORICAL, "--categorical"}};
    table *data = NULL;
    vt_err err = {0};
    assert_int_equal(read_text("zip\n01234\n1234\n01234\n", roles, 1, NULL, 0, &data, &err), VT_OK);
    assert_int_equal(dict_size(table_find(data, "zip")->levels), 2);
    table_free(data);
    table_role numeric[] = {{"n", ROLE_NUMERIC, "--numeric"}};
    assert_int_equal(read_text("n\nabc\n", numeric, 1, NULL, 0, &data, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "declared numeric"));
}

static void table_should_refuse_bad_labels_and_unknown_roles(void **state)
{
    (void)state;
    table_role label[] = {{"y", ROLE_LABEL, "--churn"}};
    table *data = NULL;
    vt_err err = {0};
    assert_int_equal(read_text("y\n1\n2\n", label, 1, NULL, 0, &data, &err), VT_EDATA);
    assert_int_equal(err.line, 3);
    table_role unknown[] = {{"nope", ROLE_SKIP, "--drop"}};
    assert_int_equal(read_text("y\n1\n", unknown, 1, NULL, 0, &data, &err), VT_EUSAGE);
    assert_non_null(strstr(err.msg, "--drop: no column 'nope'"));
    assert_int_equal(read_text("y\n", NULL, 0, NULL, 0, &data, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "no data rows"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_should_infer_types_and_missing_cells),
        cmocka_unit_test(table_should_refuse_a_stray_word_among_numbers),
        cmocka_unit_test(table_should_make_mostly_text_columns_categorical),
        cmocka_unit_test(table_should_keep_declared_text_verbatim),
        cmocka_unit_test(table_should_refuse_bad_labels_and_unknown_roles),
        cmocka_unit_test(table_should_refuse_a_level_per_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
