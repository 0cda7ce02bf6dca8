/* The readers of DATA beside predict's own pass (compare, drift,
 * explain-change's earlier snapshot, previous runs) go through row_stream:
 * what they keep does not depend on the block a row falls in or the thread
 * count (blocks of ~10 rows to the whole file, 1 to 3 threads), and their
 * first error is the first in input order, even when it is an id repeated
 * in a block that a later bad cell ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "drift.h"
#include "explain.h"
#include "model.h"
#include "previous.h"
#include "train.h"
#include "testutil.h"

enum { N_ROWS = 3000 };

static const size_t block_sizes[] = {300, 4096, 0};
enum { N_BLOCK_SIZES = 3, MAX_THREADS = 3 };

/* x1 numeric with blanks (a smooth column), x2, plan categorical; rows
 * 500-519 have no churn label (compare counts them, keeps none).  with:
 * row `bad` has x2 "lots", row `dup` repeats the first id (0: neither). */
static char *make_csv(size_t bad, size_t dup)
{
    static const char *const plans[] = {"basic", "pro", "team"};
    uint64_t state = 4242;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    fputs("id,x1,x2,plan,churn,expand\n", out);
    for (size_t i = 0; i < N_ROWS; i++) {
        double u[4];
        for (int j = 0; j < 4; j++)
            u[j] = test_uniform(&state);
        double x1 = 10 * u[0], x2 = 3 * u[1];
        double eta = -0.5 + 0.4 * sin(x1) - 0.8 * (x2 - 1.5) + (i % 3 == 1 ? 0.5 : 0);
        if (i + 2 == dup)
            fputs("c0,", out);
        else
            fprintf(out, "c%zu,", i);
        if (i % 23 == 5)
            fputs(",", out);
        else
            fprintf(out, "%.4f,", x1);
        if (i + 2 == bad)
            fputs("lots,", out);
        else
            fprintf(out, "%.6f,", x2);
        fprintf(out, "%s,", plans[i % 3]);
        if (i >= 500 && i < 520)
            fputs(",", out);
        else
            fprintf(out, "%d,", u[2] < 1 / (1 + exp(-eta)));
        fprintf(out, "%d\n", u[3] < 0.3 + 0.02 * x1);
    }
    fclose(out);
    return text;
}

static model *train(const char *path, const char *smooth)
{
    train_spec spec;
    train_spec_default(&spec);
    spec.data_path = path;
    spec.churn = "churn";
    spec.expansion = "expand";
    spec.id = "id";
    spec.smooth = smooth;
    spec.threads = 1;
    vt_err err = {0};
    if (train_spec_check(&spec, 0, &err) != VT_OK)
        fail_msg("train_spec_check: %s", err.msg);
    model *m = NULL;
    train_notes notes;
    if (train_run(&spec, &m, &notes, &err) != VT_OK)
        fail_msg("train_run: %s", err.msg);
    train_notes_free(&notes);
    train_spec_free(&spec);
    return m;
}

typedef struct {
    char *path;
    model *m, *other;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char *text = make_csv(0, 0);
    f->path = test_write_temp(text, strlen(text));
    free(text);
    f->m = train(f->path, "x1");
    f->other = train(f->path, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    model_free(f->m);
    model_free(f->other);
    test_remove_temp(f->path);
    free(f);
    return 0;
}

static row_stream_options input_at(const char *path, size_t block_bytes, size_t threads)
{
    return (row_stream_options){.path = path, .delimiter = ',', .block_bytes = block_bytes, .threads = threads};
}

static void assert_same_doubles(const double *a, const double *b, size_t n, const char *what)
{
    if (n && memcmp(a, b, n * sizeof *a) != 0)
        fail_msg("%s differ", what);
}

static void compare_should_not_depend_on_blocks_or_threads(void **state)
{
    fixture *f = *state;
    for (size_t target = 0; target < f->m->n_targets; target++) {
        vt_err err = {0};
        compare_rows want = {0};
        row_stream_options input = input_at(f->path, 0, 1);
        assert_int_equal(compare_read(f->m, target, NULL, &input, &want, &err), VT_OK);
        assert_int_equal(want.skipped, target == 0 ? 20 : 0);
        assert_int_equal(want.n + want.skipped, N_ROWS);
        assert_int_equal(want.n_curves, 1);
        for (size_t b = 0; b < N_BLOCK_SIZES; b++)
            for (size_t threads = 1; threads <= MAX_THREADS; threads++) {
                compare_rows got = {0};
                input = input_at(f->path, block_sizes[b], threads);
                assert_int_equal(compare_read(f->m, target, NULL, &input, &got, &err), VT_OK);
                assert_int_equal(got.n, want.n);
                assert_int_equal(got.skipped, want.skipped);
                assert_same_doubles(want.y, got.y, want.n, "outcomes");
                assert_same_doubles(want.risk, got.risk, want.n, "risks");
                assert_same_doubles(want.curve_x, got.curve_x, want.n, "curve values");
                assert_same_doubles(want.curve_f, got.curve_f, want.n, "curves");
                assert_memory_equal(want.model_bucket, got.model_bucket, want.n);
                for (size_t i = 0; i < want.n; i++)
                    assert_string_equal(want.ids[i], got.ids[i]);
                compare_rows_free(&got);
            }
        compare_rows_free(&want);
    }
}

static void drift_should_not_depend_on_blocks_or_threads(void **state)
{
    fixture *f = *state;
    vt_err err = {0};
    drift_risks want = {0};
    row_stream_options input = input_at(f->path, 0, 1);
    assert_int_equal(drift_score(f->m, f->other, &input, &want, &err), VT_OK);
    assert_int_equal(want.n, N_ROWS);
    for (size_t b = 0; b < N_BLOCK_SIZES; b++)
        for (size_t threads = 1; threads <= MAX_THREADS; threads++) {
            drift_risks got = {0};
            input = input_at(f->path, block_sizes[b], threads);
            assert_int_equal(drift_score(f->m, f->other, &input, &got, &err), VT_OK);
            assert_int_equal(got.n, want.n);
            assert_same_doubles(want.old_risk, got.old_risk, want.n, "old risks");
            assert_same_doubles(want.new_risk, got.new_risk, want.n, "new risks");
            drift_risks_free(&got);
        }
    drift_risks_free(&want);
}

/* Every id of a's table in b's at the same index, with the same numbers
 * (the contributions read back through explain_change against zeros). */
static void assert_same_then(const model *m, const explain_then *a, const explain_then *b)
{
    const previous_scores *sa = explain_then_scores(a), *sb = explain_then_scores(b);
    assert_int_equal(previous_size(sa), N_ROWS);
    assert_int_equal(previous_size(sb), previous_size(sa));
    size_t n = encoding_n_effects(m->enc);
    double *zeros = calloc(n + 1, sizeof(double)), *change_a = calloc(n + 1, sizeof(double)),
           *change_b = calloc(n + 1, sizeof(double));
    size_t *order = calloc(n + 1, sizeof(size_t));
    for (size_t i = 0; i < N_ROWS; i++) {
        char id[32];
        int len = snprintf(id, sizeof id, "c%zu", i);
        long index = previous_find(sa, id, (size_t)len);
        assert_true(index >= 0);
        assert_int_equal(previous_find(sb, id, (size_t)len), index);
        assert_int_equal(previous_health(sa, index), previous_health(sb, index));
        assert_int_equal(previous_bucket(sa, index), previous_bucket(sb, index));
        assert_true(explain_then_eta(a, index) == explain_then_eta(b, index));
        const model_drivers *drivers = NULL;
        explain_change(a, index, 0, zeros, 0, 0, change_a, order, &drivers);
        explain_change(b, index, 0, zeros, 0, 0, change_b, order, &drivers);
        assert_same_doubles(change_a, change_b, n + 1, "contributions");
    }
    free(zeros);
    free(change_a);
    free(change_b);
    free(order);
}

static void explain_then_should_not_depend_on_blocks_or_threads(void **state)
{
    fixture *f = *state;
    vt_err err = {0};
    explain_then *want = NULL;
    row_stream_options input = input_at(f->path, 0, 1);
    assert_int_equal(explain_then_load(f->m, &input, 0, &want, &err), VT_OK);
    for (size_t b = 0; b < N_BLOCK_SIZES; b++)
        for (size_t threads = 1; threads <= MAX_THREADS; threads++) {
            explain_then *got = NULL;
            input = input_at(f->path, block_sizes[b], threads);
            assert_int_equal(explain_then_load(f->m, &input, 0, &got, &err), VT_OK);
            assert_same_then(f->m, want, got);
            explain_then_free(got);
        }
    explain_then_free(want);
}

/* A file of earlier scores: id,health,bucket; row `bad` has health 101,
 * row `dup` repeats the first id. */
static char *scores_file(size_t bad, size_t dup)
{
    static const char *const buckets[] = {"red", "yellow", "green"};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    fputs("id,churn_risk,health,bucket\n", out);
    for (size_t i = 0; i < N_ROWS; i++) {
        if (i + 2 == dup)
            fprintf(out, "c0,");
        else
            fprintf(out, "c%zu,", i);
        fprintf(out, "0.5,%zu,%s\n", i + 2 == bad ? 101 : i % 101, buckets[(i % 101) * 3 / 101]);
    }
    fclose(out);
    char *path = test_write_temp(text, size);
    free(text);
    return path;
}

static void previous_should_not_depend_on_blocks_or_threads(void **state)
{
    (void)state;
    char *path = scores_file(0, 0);
    vt_err err = {0};
    previous_scores *want = NULL;
    row_stream_options input = input_at(path, 0, 1);
    assert_int_equal(previous_load(&input, "id", &want, &err), VT_OK);
    assert_int_equal(previous_size(want), N_ROWS);
    for (size_t b = 0; b < N_BLOCK_SIZES; b++)
        for (size_t threads = 1; threads <= MAX_THREADS; threads++) {
            previous_scores *got = NULL;
            input = input_at(path, block_sizes[b], threads);
            assert_int_equal(previous_load(&input, "id", &got, &err), VT_OK);
            assert_int_equal(previous_size(got), N_ROWS);
            for (size_t i = 0; i < N_ROWS; i++) {
                char id[32];
                int len = snprintf(id, sizeof id, "c%zu", i);
                long index = previous_find(want, id, (size_t)len);
                assert_int_equal(index, (long)i);
                assert_int_equal(previous_find(got, id, (size_t)len), index);
                assert_int_equal(previous_health(got, index), previous_health(want, index));
                assert_int_equal(previous_bucket(got, index), previous_bucket(want, index));
            }
            previous_free(got);
        }
    previous_free(want);
    test_remove_temp(path);
}

/* The error of each load at every block size and thread count. */
static void assert_first_error(const model *m, const char *path, int scores, long line, long col, const char *text)
{
    for (size_t b = 0; b < N_BLOCK_SIZES; b++)
        for (size_t threads = 1; threads <= MAX_THREADS; threads++) {
            vt_err err = {0};
            row_stream_options input = input_at(path, block_sizes[b], threads);
            previous_scores *previous = NULL;
            explain_then *then = NULL;
            vt_status status = scores ? previous_load(&input, "id", &previous, &err)
                                      : explain_then_load(m, &input, 0, &then, &err);
            assert_int_equal(status, VT_EDATA);
            assert_null(previous);
            assert_null(then);
            if (err.line != line || err.col != col || strstr(err.msg, text) == NULL)
                fail_msg("blocks of %zu, %zu threads: %ld:%ld: %s", block_sizes[b], threads, err.line, err.col,
                         err.msg);
        }
}

static void the_first_error_in_input_order_should_win(void **state)
{
    fixture *f = *state;
    /* An id repeated just before a bad cell in the same small block, and
     * one block or many before it. */
    size_t dups[] = {10, 12};
    size_t bads[] = {12, 2900};
    for (size_t k = 0; k < 2; k++) {
        char *text = make_csv(bads[k], dups[k]);
        char *path = test_write_temp(text, strlen(text));
        assert_first_error(f->m, path, 0, (long)dups[k], 1, "id 'c0' appears twice");
        test_remove_temp(path);
        free(text);
        path = scores_file(bads[k], dups[k]);
        assert_first_error(NULL, path, 1, (long)dups[k], 1, "id 'c0' appears twice");
        test_remove_temp(path);
    }
    /* The bad cell first, the repeated id after it (here or blocks later). */
    size_t late[] = {14, 2950};
    for (size_t k = 0; k < 2; k++) {
        char *text = make_csv(12, late[k]);
        char *path = test_write_temp(text, strlen(text));
        assert_first_error(f->m, path, 0, 12, 3, "'lots'");
        test_remove_temp(path);
        free(text);
        path = scores_file(12, late[k]);
        assert_first_error(NULL, path, 1, 12, 3, "health '101' is not a whole number 0-100");
        test_remove_temp(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare_should_not_depend_on_blocks_or_threads),
        cmocka_unit_test(drift_should_not_depend_on_blocks_or_threads),
        cmocka_unit_test(explain_then_should_not_depend_on_blocks_or_threads),
        cmocka_unit_test(previous_should_not_depend_on_blocks_or_threads),
        cmocka_unit_test(the_first_error_in_input_order_should_win),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
