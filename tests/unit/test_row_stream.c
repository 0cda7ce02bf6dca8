/* The one row stream: what a job writes and merges does not depend on the
 * worker count or the block size, the error returned is the first in file
 * order, a failing merge stops the run, and every result is released. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "row_stream.h"
#include "testutil.h"

#define N_ROWS 3000

/* A block's result: its row count and the sum of x, and an allocation a
 * release must free (so the leak check sees a missed release). */
typedef struct {
    size_t n_rows;
    double sum;
    char *held;
} block_result;

typedef struct {
    buf text;          /* every block's text, in merge order */
    size_t n_rows;
    double sum;
    size_t n_merged;
    size_t fail_at_merge; /* 1-based merge to fail, 0: none */
} totals;

static int n_released;

static vt_status process(void *worker, const row_block *block, buf *out, void *result, vt_err *err)
{
    (void)worker;
    block_result *r = result;
    if (r->held == NULL && (r->held = malloc(16)) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    r->n_rows = 0;
    r->sum = 0;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(block->rows, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        char *end = NULL;
        double x = strtod(row->fields[1], &end);
        if (end == row->fields[1] || *end != '\0')
            return vt_err_set(err, VT_EDATA, "rows.csv", row->line, 2, "'%s' is not a number", row->fields[1]);
        r->n_rows++;
        r->sum += x;
        if (buf_reserve(out, row->lengths[0] + 1) != 0)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        buf_put(out, row->fields[0], row->lengths[0]);
        buf_put(out, "\n", 1);
    }
}

static vt_status merge(void *user, void *result, const buf *text, vt_err *err)
{
    totals *t = user;
    const block_result *r = result;
    if (++t->n_merged == t->fail_at_merge)
        return vt_err_set(err, VT_EDATA, "rows.csv", 0, 0, "merge %zu refused", t->n_merged);
    t->n_rows += r->n_rows;
    t->sum += r->sum;
    if (buf_reserve(&t->text, text->len) != 0)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    buf_put(&t->text, text->data, text->len);
    return VT_OK;
}

static void release(void *result)
{
    block_result *r = result;
    if (r->held)
        n_released++;
    free(r->held);
}

/* rows.csv: id,x with N_ROWS rows; bad_a and bad_b (1-based rows, 0: none)
 * hold "oops" instead of a number. */
static void write_rows(size_t bad_a, size_t bad_b)
{
    FILE *f = fopen("rows.csv", "w");
    assert_non_null(f);
    fputs("id,x\n", f);
    for (size_t i = 1; i <= N_ROWS; i++) {
        if (i == bad_a || i == bad_b)
            fprintf(f, "a%zu,oops\n", i);
        else
            fprintf(f, "a%zu,%zu.25\n", i, i);
    }
    fclose(f);
}

static vt_status run(size_t n_workers, size_t block_bytes, totals *t, vt_err *err)
{
    row_stream_options options = {.path = "rows.csv", .block_bytes = block_bytes};
    row_stream *rows = NULL;
    vt_status status = row_stream_open(&options, &rows, err);
    if (status != VT_OK)
        return status;
    assert_int_equal(row_stream_n_columns(rows), 2);
    assert_string_equal(row_stream_header(rows)[1], "x");
    assert_int_equal(row_stream_find(rows, "x"), 1);
    void *workers[8] = {0};
    row_job job = {process, merge, release, sizeof(block_result), t};
    status = row_stream_run(rows, workers, n_workers, &job, NULL, err);
    row_stream_free(rows);
    return status;
}

static void same_text_and_sums_for_any_workers_and_blocks(void **state)
{
    (void)state;
    write_rows(0, 0);
    totals one = {0};
    vt_err err = {0};
    n_released = 0;
    assert_int_equal(run(1, 0, &one, &err), VT_OK);
    assert_int_equal(one.n_rows, N_ROWS);
    assert_true(n_released > 0);
    const size_t workers[] = {1, 2, 3, 8}, blocks[] = {16, 100, 4096};
    for (size_t w = 0; w < 4; w++)
        for (size_t b = 0; b < 3; b++) {
            totals t = {0};
            assert_int_equal(run(workers[w], blocks[b], &t, &err), VT_OK);
            assert_int_equal(t.n_rows, N_ROWS);
            assert_true(t.sum == one.sum); /* merged in file order: the same sum to the bit */
            assert_int_equal(t.text.len, one.text.len);
            assert_memory_equal(t.text.data, one.text.data, one.text.len);
            buf_free(&t.text);
        }
    buf_free(&one.text);
}

static void first_error_in_file_order(void **state)
{
    (void)state;
    write_rows(120, 2900);
    const size_t workers[] = {1, 2, 8};
    for (size_t w = 0; w < 3; w++) {
        totals t = {0};
        vt_err err = {0};
        assert_int_equal(run(workers[w], 64, &t, &err), VT_EDATA);
        assert_int_equal(err.line, 121); /* row 120 is on line 121 */
        assert_int_equal(err.col, 2);
        assert_true(t.n_rows < 120); /* nothing after the failed block was merged */
        buf_free(&t.text);
    }
}

static void failed_merge_stops_the_run(void **state)
{
    (void)state;
    write_rows(0, 0);
    totals t = {.fail_at_merge = 3};
    vt_err err = {0};
    assert_int_equal(run(2, 64, &t, &err), VT_EDATA);
    assert_int_equal(t.n_merged, 3);
    assert_non_null(strstr(err.msg, "merge 3 refused"));
    buf_free(&t.text);
}

static void header_only_and_empty_input(void **state)
{
    (void)state;
    FILE *f = fopen("rows.csv", "w");
    fputs("id,x\n", f);
    fclose(f);
    totals t = {0};
    vt_err err = {0};
    assert_int_equal(run(2, 0, &t, &err), VT_OK);
    assert_int_equal(t.n_rows, 0);
    f = fopen("rows.csv", "w");
    fclose(f);
    assert_int_equal(run(2, 0, &t, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "a header row is required"));
    f = fopen("rows.csv", "w");
    fputs("id,id\n1,2\n", f);
    fclose(f);
    assert_int_equal(run(2, 0, &t, &err), VT_EDATA);
    assert_int_equal(err.line, 1);
    unlink("rows.csv");
}

int main(void)
{
    char dir[] = "/tmp/vitals-row-stream-XXXXXX";
    if (mkdtemp(dir) == NULL || chdir(dir) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_text_and_sums_for_any_workers_and_blocks),
        cmocka_unit_test(first_error_in_file_order),
        cmocka_unit_test(failed_merge_stops_the_run),
        cmocka_unit_test(header_only_and_empty_input),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unlink("rows.csv");
    rmdir(dir);
    return failed;
}
