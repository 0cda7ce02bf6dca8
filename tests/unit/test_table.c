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
    table_options options = {',', na, n_na, roles, n_roles, max_levels, NULL};
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

/* ---- Threads and blocks ----------------------------------------------- */

static table_role block_roles[] = {{"churn", ROLE_LABEL, "--churn"}, {"id", ROLE_TEXT, "--id"},
                                   {"zip", ROLE_CATEGORICAL, "--categorical"}, {"skip", ROLE_SKIP, "--drop"}};

/* A few thousand rows that span many small blocks: numbers with missing
 * cells, text levels of which one first appears near the end, a column of
 * numbers that turns to text only in a late block (its levels then start
 * with the numbers' canonical spellings), a declared categorical, ids. */
static char *block_rows(size_t rows)
{
    char *text = malloc(rows * 96 + 64), *at = text;
    assert_non_null(text);
    at += sprintf(at, "id,x,plan,code,zip,skip,churn\n");
    for (size_t r = 0; r < rows; r++) {
        const char *plan = r > rows - 40 && r % 7 == 0 ? "late" : r % 3 ? "basic" : r % 5 ? "pro" : "NA";
        char code[32];
        if (r < rows / 3)
            sprintf(code, "%s", r % 4 == 0 ? "1.0" : r % 4 == 1 ? "2" : r % 4 == 2 ? "" : "1");
        else
            sprintf(code, "c%zu", r % 13);
        at += sprintf(at, "A%zu,%s,%s,%s,%05zu,%zu,%s\n", r, r % 17 ? (r % 2 ? "1.25" : "-3e-2") : "nan", plan, code,
                      r % 23, r, r % 3 ? "yes" : "0");
        if (r % 500 == 250)
            at += sprintf(at, "\n"); /* a blank line: lines and rows differ */
    }
    return text;
}

static vt_status read_path(const char *path, const table_role *roles, size_t n_roles, size_t threads, size_t block,
                           table **out, vt_err *err)
{
    table_options options = {',', NULL, 0, roles, n_roles, 0, NULL};
    return table_read_threads(path, &options, threads, block, out, err);
}

static void assert_same_column(const table_column *a, const table_column *b, size_t n_rows)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->csv_index, b->csv_index);
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->n_missing, b->n_missing);
    assert_int_equal(a->first_missing_line, b->first_missing_line);
    assert_int_equal(a->values == NULL, b->values == NULL);
    if (a->values)
        assert_memory_equal(a->values, b->values, n_rows * sizeof *a->values); /* the bits */
    assert_int_equal(a->codes == NULL, b->codes == NULL);
    if (a->codes)
        assert_memory_equal(a->codes, b->codes, n_rows * sizeof *a->codes);
    assert_int_equal(a->levels == NULL, b->levels == NULL);
    if (a->levels) {
        assert_int_equal(dict_size(a->levels), dict_size(b->levels));
        for (size_t id = 0; id < dict_size(a->levels); id++)
            assert_string_equal(dict_key(a->levels, (long)id), dict_key(b->levels, (long)id));
    }
    assert_int_equal(a->text == NULL, b->text == NULL);
    for (size_t r = 0; a->text && r < n_rows; r++)
        assert_string_equal(a->text[r], b->text[r]);
}

static void assert_same_table(const table *a, const table *b)
{
    assert_int_equal(a->n_rows, b->n_rows);
    assert_int_equal(a->n_columns, b->n_columns);
    assert_memory_equal(a->lines, b->lines, a->n_rows * sizeof *a->lines);
    assert_true(a->bytes == b->bytes && a->hash == b->hash);
    for (size_t c = 0; c < a->n_columns; c++)
        assert_same_column(&a->columns[c], &b->columns[c], a->n_rows);
}

/* Issue 10: typed on threads, block by block, the table is the one a single
 * block on one thread gives, byte for byte, whatever the thread count. */
static void table_should_not_depend_on_threads_or_blocks(void **state)
{
    (void)state;
    char *text = block_rows(3000);
    char *path = test_write_temp(text, strlen(text));
    table *whole = NULL;
    vt_err err = {0};
    assert_int_equal(read_path(path, block_roles, 4, 1, 1u << 30, &whole, &err), VT_OK);
    assert_int_equal(whole->n_rows, 3000);
    assert_int_equal(whole->lines[2999], 3007); /* the header and 6 blank lines before */
    table_column *plan = table_find(whole, "plan"), *code = table_find(whole, "code");
    assert_int_equal(plan->type, TYPE_CATEGORICAL);
    assert_int_equal(dict_size(plan->levels), 3);
    assert_string_equal(dict_key(plan->levels, 2), "late");
    assert_int_equal(plan->codes[2961], 2);
    assert_int_equal(code->type, TYPE_CATEGORICAL);
    assert_string_equal(dict_key(code->levels, 0), "1"); /* "1.0" first, spelled as a number */
    assert_string_equal(dict_key(code->levels, 1), "2");
    assert_string_equal(dict_key(code->levels, 2), "c12");
    assert_int_equal(code->codes[2], -1);
    assert_int_equal(table_find(whole, "x")->n_missing, 177);
    const size_t threads[] = {1, 2, 7, 0}, blocks[] = {1, 64, 4096, 0};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++)
        for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++) {
            table *data = NULL;
            assert_int_equal(read_path(path, block_roles, 4, threads[t], blocks[b], &data, &err), VT_OK);
            assert_same_table(whole, data);
            table_free(data);
        }
    table_free(whole);
    test_remove_temp(path);
    free(text);
}

/* The error is the first bad cell in the file: an earlier block's, though
 * a later block (typed first on another thread) has one too. */
static void expect_first_error(const char *text, const table_role *roles, size_t n_roles, vt_status code,
                               long line, long col, const char *what)
{
    char *path = test_write_temp(text, strlen(text));
    vt_err reference = {0};
    table *data = NULL;
    assert_int_equal(read_path(path, roles, n_roles, 1, 1u << 30, &data, &reference), code);
    assert_int_equal(reference.line, line);
    assert_int_equal(reference.col, col);
    if (strstr(reference.msg, what) == NULL)
        fail_msg("%ld:%ld: %s", reference.line, reference.col, reference.msg);
    const size_t threads[] = {1, 2, 7}, blocks[] = {1, 64, 1000};
    for (size_t t = 0; t < 3; t++)
        for (size_t b = 0; b < 3; b++) {
            vt_err err = {0};
            assert_int_equal(read_path(path, roles, n_roles, threads[t], blocks[b], &data, &err), code);
            assert_null(data);
            assert_int_equal(err.line, line);
            assert_int_equal(err.col, col);
            assert_string_equal(err.msg, reference.msg);
        }
    test_remove_temp(path);
}

/* Rows 0..n of "id,x,plan,code,zip,skip,churn" with bad cells spliced in:
 * `bad` holds {row, replacement line} pairs. */
static char *rows_with(size_t rows, const char *const *bad, size_t n_bad)
{
    char *text = block_rows(rows), *out = malloc(strlen(text) + 4096), *at = out;
    assert_non_null(out);
    size_t row = 0;
    int header = 1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        const char *use = line;
        for (size_t i = 0; !header && i < n_bad; i += 2)
            if ((size_t)atol(bad[i]) == row)
                use = bad[i + 1];
        at += sprintf(at, "%s\n", use);
        row += !header;
        header = 0;
    }
    free(text);
    return out;
}

static void table_should_report_the_first_error_in_the_file(void **state)
{
    (void)state;
    /* (strtok drops the blank lines: row r is on line r + 2.) */
    const char *label_then_inf[] = {"1500", "A,1,pro,c1,1,1,maybe", "2800", "A,inf,pro,c1,1,1,0"};
    char *text = rows_with(3000, label_then_inf, 4);
    expect_first_error(text, block_roles, 4, VT_EDATA, 1502, 7, "label column 'churn': 'maybe'");
    free(text);
    const char *inf_then_quote[] = {"700", "A,1e999,pro,c1,1,1,0", "2000", "A,1,\"pro,c1,1,1,0"};
    text = rows_with(3000, inf_then_quote, 4);
    expect_first_error(text, block_roles, 4, VT_EDATA, 702, 2, "'1e999' is");
    free(text);
    const char *ragged_then_label[] = {"900", "A,1,pro,c1,1,0", "901", "A,1,pro,c1,1,1,2"};
    text = rows_with(3000, ragged_then_label, 4);
    expect_first_error(text, block_roles, 4, VT_EPARSE, 902, 7, "row has 6 fields");
    free(text);
    /* A column of numbers that meets one word in a late block. */
    const char *word[] = {"2500", "A,oops,pro,c1,1,1,0", "2600", "A,inf,pro,c1,1,1,0"};
    text = rows_with(3000, word, 2);
    expect_first_error(text, block_roles, 4, VT_EDATA, 2502, 2, "'oops' is not a number, but 2822 of its 2823");
    free(text);
    text = rows_with(3000, word, 4); /* ... and a bad cell after it: the bad cell, as on one thread */
    expect_first_error(text, block_roles, 4, VT_EDATA, 2602, 2, "'inf' is");
    free(text);
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
        cmocka_unit_test(table_should_not_depend_on_threads_or_blocks),
        cmocka_unit_test(table_should_report_the_first_error_in_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
