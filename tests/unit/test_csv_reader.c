/* The CSV reader: RFC 4180 quoting, line numbers, BOM, CRLF, blank lines,
 * records across chunk boundaries, and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "csv_reader.h"
#include "testutil.h"

typedef struct {
    csv_reader *reader;
    char *path;
} opened;

static opened open_text(const char *text, char delimiter)
{
    opened file = {NULL, test_write_temp(text, strlen(text))};
    vt_err err = {0};
    if (csv_reader_open(file.path, delimiter, &file.reader, &err) != VT_OK)
        fail_msg("open failed: %s", err.msg);
    return file;
}

static void close_file(opened *file)
{
    csv_reader_free(file->reader);
    test_remove_temp(file->path);
}

static const csv_row *next_row(opened *file)
{
    const csv_row *row = NULL;
    vt_err err = {0};
    if (csv_reader_next(file->reader, &row, &err) != VT_OK)
        fail_msg("next failed: %ld:%ld %s", err.line, err.col, err.msg);
    return row;
}

static void reader_should_unquote_and_number_lines(void **state)
{
    (void)state;
    opened file = open_text("\xEF\xBB\xBF" "id,note,n\r\n"
                            "1,\"a, \"\"quoted\"\" word\",2\r\n"
                            "\r\n"
                            "2,\"two\nlines\",3\r\n"
                            "3,plain,4", ',');
    assert_int_equal(csv_reader_n_columns(file.reader), 3);
    assert_string_equal(csv_reader_column(file.reader, 0), "id");
    const csv_row *row = next_row(&file);
    assert_int_equal(row->line, 2);
    assert_string_equal(row->fields[1], "a, \"quoted\" word");
    row = next_row(&file);
    assert_int_equal(row->line, 4);
    assert_string_equal(row->fields[1], "two\nlines");
    row = next_row(&file);
    assert_int_equal(row->line, 6);
    assert_string_equal(row->fields[2], "4");
    assert_null(next_row(&file));
    close_file(&file);
}

static void reader_should_handle_records_across_chunks(void **state)
{
    (void)state;
    /* About 3 MB, so quoted newlines straddle the 1 MB read chunks. */
    size_t n_rows = 150000, cap = n_rows * 32 + 64, used = 0;
    char *text = malloc(cap);
    used += (size_t)snprintf(text, cap, "k,v\n");
    for (size_t i = 0; i < n_rows; i++)
        used += (size_t)snprintf(text + used, cap - used, "%zu,\"x\ny,%zu\"\n", i, i);
    char *path = test_write_temp(text, used);
    free(text);
    csv_reader *reader = NULL;
    vt_err err = {0};
    assert_int_equal(csv_reader_open(path, ',', &reader, &err), VT_OK);
    char expected[64];
    for (size_t i = 0; i < n_rows; i++) {
        const csv_row *row = NULL;
        assert_int_equal(csv_reader_next(reader, &row, &err), VT_OK);
        assert_non_null(row);
        assert_int_equal(row->line, (long)(2 + 2 * i));
        snprintf(expected, sizeof expected, "x\ny,%zu", i);
        assert_string_equal(row->fields[1], expected);
    }
    const csv_row *row = NULL;
    assert_int_equal(csv_reader_next(reader, &row, &err), VT_OK);
    assert_null(row);
    csv_reader_free(reader);
    test_remove_temp(path);
}

static void reader_should_use_other_delimiters(void **state)
{
    (void)state;
    opened file = open_text("a\tb\n 1 \t x y \n", '\t');
    const csv_row *row = next_row(&file);
    assert_int_equal(row->n_fields, 2);
    assert_string_equal(row->fields[0], "1");
    assert_string_equal(row->fields[1], "x y");
    close_file(&file);
    file = open_text("a;b\n\"1;2\";3\n", ';');
    row = next_row(&file);
    assert_string_equal(row->fields[0], "1;2");
    close_file(&file);
}

static vt_status first_error(const char *text, vt_err *err)
{
    char *path = test_write_temp(text, strlen(text));
    csv_reader *reader = NULL;
    vt_status status = csv_reader_open(path, ',', &reader, err);
    const csv_row *row = NULL;
    while (status == VT_OK) {
        status = csv_reader_next(reader, &row, err);
        if (row == NULL)
            break;
    }
    csv_reader_free(reader);
    test_remove_temp(path);
    return status;
}

static void reader_should_report_errors_with_positions(void **state)
{
    (void)state;
    vt_err err = {0};
    assert_int_equal(first_error("a,b\n1,2\n3\n", &err), VT_EPARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 2);
    assert_int_equal(first_error("a,b\n1,2,3\n", &err), VT_EPARSE);
    assert_int_equal(err.col, 3);
    assert_int_equal(first_error("a,b\n1,\"2\n", &err), VT_EPARSE);
    assert_non_null(strstr(err.msg, "malformed"));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2); /* regression (issue 9): the column was 0 */
    assert_int_equal(first_error("a,b\n1,2\"x\n", &err), VT_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    /* The line the bad field starts on, after a quoted newline before it. */
    assert_int_equal(first_error("a,b,c\n\"x\ny\",\"2\"z,3\n", &err), VT_EPARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 2);
    assert_int_equal(first_error("", &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "empty file"));
    assert_int_equal(first_error("a,a\n", &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "duplicate"));
    assert_int_equal(first_error("a,b\n1,", &err), VT_OK); /* an empty last field, no line end */
    char binary[] = "a,b\n1,x\0y\n";
    char *path = test_write_temp(binary, sizeof binary - 1);
    csv_reader *reader = NULL;
    assert_int_equal(csv_reader_open(path, ',', &reader, &err), VT_EPARSE);
    assert_null(reader);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    assert_non_null(strstr(err.msg, "binary"));
    test_remove_temp(path);
    char quoted_nul[] = "a,b,c\n1,\"x\ny\",3\n1,2,\"p\nq\0\"\n";
    path = test_write_temp(quoted_nul, sizeof quoted_nul - 1);
    assert_int_equal(csv_reader_open(path, ',', &reader, &err), VT_EPARSE);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.col, 3);
    test_remove_temp(path);
}

/* Regression (issue 9): the duplicate-name check and csv_reader_find
 * scanned the names, n^2 / 2 compares: a 100,000-column header took 10 s.
 * Names are hashed; duplicates are still found, with both columns. */
static void reader_should_hash_a_wide_header(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n * 8 + 32), *at = text;
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        at += sprintf(at, "%sc%zu", i ? "," : "", i);
    strcpy(at, "\n");
    opened file = open_text(text, ',');
    assert_int_equal(csv_reader_n_columns(file.reader), n);
    assert_int_equal(csv_reader_find(file.reader, "c99999"), 99999);
    assert_int_equal(csv_reader_find(file.reader, "c0"), 0);
    assert_int_equal(csv_reader_find(file.reader, "c100000"), -1);
    assert_string_equal(csv_reader_column(file.reader, 12345), "c12345");
    close_file(&file);
    strcpy(at, ",c5\n");
    vt_err err = {0};
    assert_int_equal(first_error(text, &err), VT_EDATA);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, (long)n + 1);
    assert_string_equal(err.msg, "duplicate column name 'c5' (also column 6)");
    free(text);
}

static void reader_should_fingerprint_the_bytes(void **state)
{
    (void)state;
    opened a = open_text("x,y\n1,2\n", ','), b = open_text("x,y\n1,3\n", ',');
    while (next_row(&a)) {
    }
    while (next_row(&b)) {
    }
    assert_int_equal(csv_reader_bytes(a.reader), 8);
    assert_true(csv_reader_hash(a.reader) != csv_reader_hash(b.reader));
    close_file(&a);
    close_file(&b);
}

/* Bug (fuzz_csv, issue 9): a lone CR, then a blank line of spaces ending in
 * LF, was taken for one CR LF line end, so later rows were numbered a line
 * short in the libcsv path (the fast path and the splitter counted right). */
static void reader_should_count_a_blank_line_after_a_lone_cr(void **state)
{
    (void)state;
    opened file = open_text("h\r1\r \t\n2\r\n\"3\"\r\r\n4\n", ',');
    static const long lines[] = {2, 4, 5, 7};
    for (size_t i = 0; i < 4; i++) {
        const csv_row *row = next_row(&file);
        assert_non_null(row);
        assert_int_equal(row->line, lines[i]);
    }
    assert_null(next_row(&file));
    close_file(&file);
}

/* The records before a malformed one come first, so a bad cell in them is
 * the first error in the file (issue 10: with blocks typed on threads, the
 * error must not depend on where the blocks are cut). */
static void reader_should_return_the_records_before_a_malformed_one(void **state)
{
    (void)state;
    const char *text = "1,2\n3,4\n5,\"6\"x\n7,8\n";
    csv_reader *reader = NULL;
    vt_err err = {0};
    const csv_row *row = NULL;
    assert_int_equal(csv_reader_open_memory(text, strlen(text), ',', "mem", 2, 2, &reader, &err), VT_OK);
    for (long line = 2; line <= 3; line++) {
        assert_int_equal(csv_reader_next(reader, &row, &err), VT_OK);
        assert_non_null(row);
        assert_int_equal(row->line, line);
    }
    assert_int_equal(csv_reader_next(reader, &row, &err), VT_EPARSE);
    assert_null(row);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 2);
    assert_int_equal(csv_reader_next(reader, &row, &err), VT_EPARSE); /* and again */
    csv_reader_rewind_memory(reader, "9,9\n", 4, 7);
    assert_int_equal(csv_reader_next(reader, &row, &err), VT_OK);
    assert_int_equal(row->line, 7);
    csv_reader_free(reader);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reader_should_unquote_and_number_lines),
        cmocka_unit_test(reader_should_handle_records_across_chunks),
        cmocka_unit_test(reader_should_use_other_delimiters),
        cmocka_unit_test(reader_should_report_errors_with_positions),
        cmocka_unit_test(reader_should_return_the_records_before_a_malformed_one),
        cmocka_unit_test(reader_should_hash_a_wide_header),
        cmocka_unit_test(reader_should_fingerprint_the_bytes),
        cmocka_unit_test(reader_should_count_a_blank_line_after_a_lone_cr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
