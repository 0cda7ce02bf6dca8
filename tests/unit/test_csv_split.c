/* Splitting a file into blocks and parsing each block on its own must give
 * the same rows, fields and line numbers as reading the file whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csv_reader.h"
#include "csv_split.h"
#include "testutil.h"

static const char tricky[] =
    "\xEF\xBB\xBF" "id,text,n\r\n"
    "1,\"a, b\",1\r\n"
    "2,\"line one\r\nline two\",2\r\n"
    "\r\n"
    "3,\"quote \"\" and\nnewline\",3\n"
    "4,plain,4\r"
    "5,\"\",5\n"
    "6,\"\"\"\",6\n"
    "7,x,7";

typedef struct {
    long line;
    char text[64];
} seen_row;

static size_t read_whole(const char *path, seen_row *rows)
{
    csv_reader *reader = NULL;
    vt_err err = {0};
    assert_int_equal(csv_reader_open(path, ',', &reader, &err), VT_OK);
    size_t n = 0;
    const csv_row *row = NULL;
    while (csv_reader_next(reader, &row, &err) == VT_OK && row) {
        rows[n].line = row->line;
        snprintf(rows[n].text, sizeof rows[n].text, "%s|%s|%s", row->fields[0], row->fields[1], row->fields[2]);
        n++;
    }
    csv_reader_free(reader);
    return n;
}

static void split_should_match_the_whole_file_reader(void **state)
{
    (void)state;
    char *path = test_write_temp(tricky, sizeof tricky - 1);
    seen_row expected[16], got[16];
    size_t n_expected = read_whole(path, expected);
    assert_int_equal(n_expected, 7);
    for (size_t block_bytes = 1; block_bytes < 160; block_bytes++) {
        csv_splitter *splitter = NULL;
        vt_err err = {0};
        assert_int_equal(csv_splitter_open(path, NULL, block_bytes, 0, &splitter, &err), VT_OK);
        csv_block block = {0};
        assert_int_equal(csv_splitter_next(splitter, &block, 1, &err), VT_OK);
        assert_int_equal(block.len, 11); /* "id,text,n\r\n" without the BOM */
        size_t n = 0;
        for (;;) {
            assert_int_equal(csv_splitter_next(splitter, &block, 0, &err), VT_OK);
            if (block.len == 0)
                break;
            csv_reader *reader = NULL;
            assert_int_equal(csv_reader_open_memory(block.bytes, block.len, ',', "t.csv", block.first_line, 3,
                                                    &reader, &err), VT_OK);
            const csv_row *row = NULL;
            while (csv_reader_next(reader, &row, &err) == VT_OK && row) {
                assert_true(n < 16);
                got[n].line = row->line;
                snprintf(got[n].text, sizeof got[n].text, "%s|%s|%s", row->fields[0], row->fields[1],
                         row->fields[2]);
                n++;
            }
            csv_reader_free(reader);
        }
        if (n != n_expected)
            fail_msg("block size %zu: %zu rows, expected %zu", block_bytes, n, n_expected);
        for (size_t i = 0; i < n; i++) {
            if (got[i].line != expected[i].line || strcmp(got[i].text, expected[i].text) != 0)
                fail_msg("block size %zu row %zu: line %ld '%s', expected line %ld '%s'", block_bytes, i, got[i].line,
                         got[i].text, expected[i].line, expected[i].text);
        }
        csv_block_free(&block);
        csv_splitter_free(splitter);
    }
    test_remove_temp(path);
}

/* Blocks without quotes take a faster path than libcsv; it must agree. */
static void plain_blocks_should_parse_as_libcsv_does(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "a,b,c\r\n1, 2 ,3\r\n\r\n  \r\n4,,\t6\t\n7,8,9",
        "a,b,c\n,,\n x , y , z \n\n\n1,2,3\n",
        "a,b\n1,2\n3,4,5\n",
        "a\tb\n 1 \t 2 \n\t\n",
    };
    const char delimiters[] = {',', ',', ',', '\t'};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        char *path = test_write_temp(texts[k], strlen(texts[k]));
        csv_reader *whole = NULL, *plain = NULL;
        vt_err err_whole = {0}, err_plain = {0};
        assert_int_equal(csv_reader_open(path, delimiters[k], &whole, &err_whole), VT_OK);
        const char *body = strchr(texts[k], '\n') + 1;
        assert_int_equal(csv_reader_open_memory(body, strlen(body), delimiters[k], "t.csv", 2,
                                                csv_reader_n_columns(whole), &plain, &err_plain), VT_OK);
        for (;;) {
            const csv_row *a = NULL, *b = NULL;
            vt_status status_whole = csv_reader_next(whole, &a, &err_whole);
            vt_status status_plain = csv_reader_next(plain, &b, &err_plain);
            assert_int_equal(status_plain, status_whole);
            if (status_whole != VT_OK) {
                assert_int_equal(err_plain.line, err_whole.line);
                assert_int_equal(err_plain.col, err_whole.col);
                break;
            }
            assert_int_equal(b == NULL, a == NULL);
            if (a == NULL)
                break;
            assert_int_equal(b->line, a->line);
            assert_int_equal(b->n_fields, a->n_fields);
            for (size_t f = 0; f < a->n_fields; f++)
                assert_string_equal(b->fields[f], a->fields[f]);
        }
        csv_reader_free(whole);
        csv_reader_free(plain);
        test_remove_temp(path);
    }
}

/* Bug (fuzz_csv, issue 9): blank lines before the header made the header
 * block only those lines, so train and predict said "empty file: a header
 * row is required" on a file the reader reads fine. */
static void split_should_keep_blank_lines_before_the_header_in_its_block(void **state)
{
    (void)state;
    static const char text[] = "\n \r\n\t\nid,n\n1,2\n";
    char *path = test_write_temp(text, sizeof text - 1);
    for (size_t block_bytes = 1; block_bytes < 24; block_bytes++) {
        csv_splitter *splitter = NULL;
        vt_err err = {0};
        assert_int_equal(csv_splitter_open(path, NULL, block_bytes, 0, &splitter, &err), VT_OK);
        csv_block block = {0};
        assert_int_equal(csv_splitter_next(splitter, &block, 1, &err), VT_OK);
        csv_reader *names = NULL;
        assert_int_equal(csv_reader_open_memory(block.bytes, block.len, ',', "t.csv", 1, 0, &names, &err), VT_OK);
        assert_int_equal(csv_reader_n_columns(names), 2);
        assert_string_equal(csv_reader_column(names, 0), "id");
        assert_int_equal(csv_splitter_next(splitter, &block, 0, &err), VT_OK);
        assert_int_equal(block.first_line, 5);
        assert_int_equal(block.len, 4); /* "1,2\n" */
        csv_reader_free(names);
        csv_block_free(&block);
        csv_splitter_free(splitter);
    }
    test_remove_temp(path);
}

/* Bug (fuzz_csv, issue 9): with blocks under 3 bytes, bytes like a BOM at
 * the start of a later line were taken for the file's BOM and dropped. */
static void split_should_drop_a_bom_only_at_the_start_of_the_file(void **state)
{
    (void)state;
    static const char text[] = "a\n\xEF\xBB\xBF" "b\n";
    char *path = test_write_temp(text, sizeof text - 1);
    for (size_t block_bytes = 1; block_bytes < 12; block_bytes++) {
        csv_splitter *splitter = NULL;
        vt_err err = {0};
        assert_int_equal(csv_splitter_open(path, NULL, block_bytes, 0, &splitter, &err), VT_OK);
        csv_block block = {0};
        assert_int_equal(csv_splitter_next(splitter, &block, 1, &err), VT_OK);
        assert_int_equal(block.len, 2);
        assert_int_equal(csv_splitter_next(splitter, &block, 0, &err), VT_OK);
        assert_int_equal(block.len, 5);
        assert_memory_equal(block.bytes, "\xEF\xBB\xBF" "b\n", 5);
        csv_block_free(&block);
        csv_splitter_free(splitter);
    }
    test_remove_temp(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_should_match_the_whole_file_reader),
        cmocka_unit_test(plain_blocks_should_parse_as_libcsv_does),
        cmocka_unit_test(split_should_keep_blank_lines_before_the_header_in_its_block),
        cmocka_unit_test(split_should_drop_a_bom_only_at_the_start_of_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
