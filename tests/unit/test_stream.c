/* Training from a file read again on each pass (--memory-limit) gives the
 * model bytes a table in memory gives, whatever the blocks and threads:
 * small blocks put a mixed column's first text, a run of unlabelled rows
 * and the solver's block edges in different file blocks.  A file changed
 * after its survey is refused.  In memory too, the model does not depend
 * on the blocks or threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "table.h"
#include "train.h"
#include "testutil.h"

enum { N_ROWS = 5000 };

/* x1 numeric with blanks; tier numbers (1, 2.0) in the first rows, then
 * mostly words: a categorical column whose numbers are spelled as levels;
 * plan categorical with blanks; rows 1000-1039 have no churn label; w a
 * weight. */
static char *make_csv(void)
{
    static const char *const plans[] = {"basic", "pro", "team", ""};
    static const char *const tiers[] = {"gold", "silver", "bronze"};
    uint64_t state = 777;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    fputs("id,x1,x2,tier,plan,w,churn,expand\n", out);
    for (size_t i = 0; i < N_ROWS; i++) {
        double u[5];
        for (int j = 0; j < 5; j++)
            u[j] = test_uniform(&state);
        double x1 = 10 * u[0], x2 = 3 * u[1];
        double eta = -0.5 + 0.3 * (x1 - 5) - 0.8 * (x2 - 1.5) + (i % 4 == 1 ? 0.5 : 0);
        fprintf(out, "c%zu,", i);
        if (i % 17 == 3)
            fputs(",", out);
        else
            fprintf(out, "%.4f,", x1);
        fprintf(out, "%.6f,", x2);
        if (i < 60)
            fputs(i % 2 ? "1," : "2.0,", out);
        else
            fprintf(out, "%s,", tiers[i % 3]);
        fprintf(out, "%s,%.3f,", plans[i % 4], 0.5 + u[3]);
        if (i >= 1000 && i < 1040)
            fputs(",", out);
        else
            fprintf(out, "%d,", u[2] < 1 / (1 + exp(-eta)));
        fprintf(out, "%d\n", u[4] < 0.3 + 0.02 * x1);
    }
    fclose(out);
    return text;
}

/* The model file's text without its one line that may differ: the time. */
static char *model_text(const train_spec *spec)
{
    model *m = NULL;
    train_notes notes;
    vt_err err = {0};
    vt_status status = train_run(spec, &m, &notes, &err);
    if (status != VT_OK)
        fail_msg("train_run: %s", err.msg);
    char *path = test_write_temp("", 0);
    assert_int_equal(model_save(m, path, &err), VT_OK);
    char *text = test_read_text(path);
    assert_non_null(text);
    char *stamp = strstr(text, "\"created_at\"");
    assert_non_null(stamp);
    char *line_end = strchr(stamp, '\n');
    memmove(stamp, line_end, strlen(line_end) + 1);
    model_free(m);
    train_notes_free(&notes);
    test_remove_temp(path);
    return text;
}

typedef void (*spec_edit)(train_spec *spec);

static void plain(train_spec *spec) { (void)spec; }
static void drop_missing(train_spec *spec) { spec->missing = MISSING_DROP; }
static void weighted(train_spec *spec) { spec->weight = "w"; }
static void balanced(train_spec *spec) { spec->balance = 1; }
static void ridge(train_spec *spec) { spec->irls.l2 = 0.01; }
static void firth(train_spec *spec)
{
    spec->irls.firth = 1;
    spec->irls.max_iter = 200;
}

static void streamed_model_should_equal_the_in_memory_one(void **state)
{
    (void)state;
    char *text = make_csv();
    char *path = test_write_temp(text, strlen(text));
    char *drop[] = {"id"};
    spec_edit edits[] = {plain, drop_missing, weighted, balanced, ridge, firth};
    for (size_t e = 0; e < sizeof edits / sizeof *edits; e++) {
        train_spec spec;
        train_spec_default(&spec);
        spec.data_path = path;
        spec.churn = "churn";
        spec.expansion = "expand";
        spec.drop = drop;
        spec.n_drop = 1;
        spec.threads = 2;
        edits[e](&spec);
        char *in_memory = model_text(&spec);
        /* Blocks of ~40 rows to ~1,300: the first text of tier, the
         * unlabelled run and the solver's 2,048-row blocks fall apart. */
        size_t block_bytes[] = {1500, 4096, 65536};
        for (size_t b = 0; b < 3; b++)
            for (long threads = 1; threads <= 2; threads++) {
                spec.memory_limit = 1024;
                spec.block_bytes = block_bytes[b];
                spec.threads = threads;
                char *streamed = model_text(&spec);
                if (strcmp(in_memory, streamed) != 0)
                    fail_msg("spec %zu, blocks of %zu bytes, %ld threads: the models differ", e, block_bytes[b],
                             threads);
                free(streamed);
            }
        free(in_memory);
    }
    test_remove_temp(path);
    free(text);
}

static void streaming_should_refuse_what_needs_the_table(void **state)
{
    (void)state;
    char *text = make_csv();
    char *path = test_write_temp(text, strlen(text));
    train_spec spec;
    train_spec_default(&spec);
    spec.data_path = path;
    spec.churn = "churn";
    spec.memory_limit = 1024;
    spec.validation.holdout = 0.3;
    vt_err err = {0};
    assert_int_equal(train_spec_check(&spec, 0, &err), VT_OK);
    model *m = NULL;
    train_notes notes;
    assert_int_equal(train_run(&spec, &m, &notes, &err), VT_EUSAGE);
    assert_non_null(strstr(err.msg, "--holdout needs it in memory"));
    assert_null(m);
    train_notes_free(&notes);
    /* An identifier column is refused, as table_read refuses it. */
    spec.validation.holdout = 0;
    assert_int_equal(train_spec_check(&spec, 0, &err), VT_OK);
    assert_int_equal(train_run(&spec, &m, &notes, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "column 'id' has more than 1000 distinct values in 5000 rows"));
    train_notes_free(&notes);
    test_remove_temp(path);
    free(text);
}

static void survey_should_refuse_a_file_changed_since(void **state)
{
    (void)state;
    char *text = make_csv();
    char *path = test_write_temp(text, strlen(text));
    table_role roles[] = {{"churn", ROLE_LABEL, "--churn"}};
    table_options options = {',', NULL, 0, roles, 1, 0, NULL};
    table_survey *survey = NULL;
    vt_err err = {0};
    assert_int_equal(table_survey_new(path, &options, 2, 4096, &survey, &err), VT_OK);
    assert_int_equal(table_survey_layout(survey)->n_rows, N_ROWS);
    size_t rows = 0;
    for (size_t b = 0; b < table_survey_blocks(survey); b++)
        rows += table_survey_block_rows(survey, b);
    assert_int_equal(rows, N_ROWS);
    table *block = NULL;
    assert_int_equal(table_survey_read(survey, 1, &block, &err), VT_OK);
    table_free(block);
    FILE *out = fopen(path, "ab");
    fputs("c9,1,1,gold,pro,1,0,0\n", out);
    fclose(out);
    assert_int_equal(table_survey_read(survey, 1, &block, &err), VT_EIO);
    assert_non_null(strstr(err.msg, "changed"));
    assert_null(block);
    table_survey_free(survey);
    assert_int_equal(table_survey_new("-", &options, 2, 0, &survey, &err), VT_EUSAGE);
    test_remove_temp(path);
    free(text);
}

/* Training in memory: the same model bytes whatever the threads and the
 * block size (blocks of 64 bytes hold a row or two). */
static void in_memory_model_should_not_depend_on_threads_or_blocks(void **state)
{
    (void)state;
    char *text = make_csv();
    char *path = test_write_temp(text, strlen(text));
    char *drop[] = {"id"};
    train_spec spec;
    train_spec_default(&spec);
    spec.data_path = path;
    spec.churn = "churn";
    spec.expansion = "expand";
    spec.drop = drop;
    spec.n_drop = 1;
    spec.threads = 1;
    char *reference = model_text(&spec);
    const size_t block_bytes[] = {64, 1500, 0};
    for (size_t b = 0; b < 3; b++)
        for (long threads = 1; threads <= 2; threads++) {
            spec.block_bytes = block_bytes[b];
            spec.threads = threads;
            char *text_now = model_text(&spec);
            if (strcmp(reference, text_now) != 0)
                fail_msg("blocks of %zu bytes, %ld threads: the model differs", block_bytes[b], threads);
            free(text_now);
        }
    free(reference);
    test_remove_temp(path);
    free(text);
}

/* make_csv's rows with runs of blank lines: with small blocks some blocks
 * hold no row, and the survey keeps no place for them. */
static char *csv_with_blank_runs(void)
{
    char *text = make_csv(), *out = malloc(strlen(text) + 40 * 300 + 1), *at = out;
    assert_non_null(out);
    size_t line = 0;
    for (const char *from = text; *from; from++) {
        *at++ = *from;
        if (*from == '\n' && ++line % 700 == 350)
            for (int i = 0; i < 300; i++)
                *at++ = '\n';
    }
    *at = '\0';
    free(text);
    return out;
}

typedef struct {
    const table_survey *survey;
    size_t next;
    size_t stop_at;   /* fail at this block (SIZE_MAX: never) */
} pass_check;

static void assert_same_rows(const table *a, const table *b)
{
    assert_int_equal(a->n_rows, b->n_rows);
    assert_int_equal(a->n_columns, b->n_columns);
    assert_memory_equal(a->lines, b->lines, a->n_rows * sizeof *a->lines);
    for (size_t c = 0; c < a->n_columns; c++) {
        const table_column *x = &a->columns[c], *y = &b->columns[c];
        assert_int_equal(x->type, y->type);
        assert_int_equal(x->values == NULL, y->values == NULL);
        if (x->values)
            assert_memory_equal(x->values, y->values, a->n_rows * sizeof *x->values);
        assert_int_equal(x->codes == NULL, y->codes == NULL);
        if (x->codes)
            assert_memory_equal(x->codes, y->codes, a->n_rows * sizeof *x->codes);
        for (size_t id = 0; x->levels && id < dict_size(x->levels); id++)
            assert_string_equal(dict_key(x->levels, (long)id), dict_key(y->levels, (long)id));
        for (size_t r = 0; x->text && r < a->n_rows; r++)
            assert_string_equal(x->text[r], y->text[r]);
    }
}

static vt_status check_block(void *user, size_t b, const table *rows, vt_err *err)
{
    pass_check *check = user;
    assert_int_equal(b, check->next);
    check->next++;
    if (b == check->stop_at)
        return vt_err_set(err, VT_EDATA, rows->path, 0, 0, "stopped");
    table *expected = NULL;
    assert_int_equal(table_survey_read(check->survey, b, &expected, err), VT_OK);
    assert_same_rows(expected, rows);
    table_free(expected);
    return VT_OK;
}

/* A pass hands on every block with rows, in order, as table_survey_read
 * reads it, whatever the threads and the block size; a visit's error
 * stops it; a file changed or replaced since the survey is refused. */
static void survey_pass_should_give_the_blocks_in_order(void **state)
{
    (void)state;
    char *text = csv_with_blank_runs();
    char *path = test_write_temp(text, strlen(text));
    table_role roles[] = {{"churn", ROLE_LABEL, "--churn"}, {"id", ROLE_TEXT, "--id"}};
    table_options options = {',', NULL, 0, roles, 2, 0, NULL};
    vt_err err = {0};
    const size_t block_bytes[] = {64, 1500, 0};
    for (size_t b = 0; b < 3; b++)
        for (size_t threads = 1; threads <= 2; threads++) {
            table_survey *survey = NULL;
            assert_int_equal(table_survey_new(path, &options, threads, block_bytes[b], &survey, &err), VT_OK);
            assert_int_equal(table_survey_layout(survey)->n_rows, N_ROWS);
            pass_check check = {survey, 0, SIZE_MAX};
            if (table_survey_pass(survey, threads, check_block, &check, &err) != VT_OK)
                fail_msg("blocks of %zu bytes, %zu threads: %s", block_bytes[b], threads, err.msg);
            assert_int_equal(check.next, table_survey_blocks(survey));
            check = (pass_check){survey, 0, table_survey_blocks(survey) / 2};
            assert_int_equal(table_survey_pass(survey, threads, check_block, &check, &err), VT_EDATA);
            assert_string_equal(err.msg, "stopped");
            assert_int_equal(check.next, check.stop_at + 1);
            table_survey_free(survey);
        }
    /* Appended to, and replaced by a copy: both are another file now. */
    for (int replace = 0; replace < 2; replace++) {
        table_survey *survey = NULL;
        assert_int_equal(table_survey_new(path, &options, 2, 1500, &survey, &err), VT_OK);
        if (replace) {
            char *copy = test_write_temp(text, strlen(text));
            assert_int_equal(rename(copy, path), 0);
            free(copy);
        } else {
            FILE *out = fopen(path, "ab");
            fputs("c9,1,1,gold,pro,1,0,0\n", out);
            fclose(out);
        }
        pass_check check = {survey, 0, SIZE_MAX};
        assert_int_equal(table_survey_pass(survey, 2, check_block, &check, &err), VT_EIO);
        assert_non_null(strstr(err.msg, "changed"));
        table_survey_free(survey);
        if (!replace) { /* back as it was, for the next survey */
            test_remove_temp(path);
            path = test_write_temp(text, strlen(text));
        }
    }
    test_remove_temp(path);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(streamed_model_should_equal_the_in_memory_one),
        cmocka_unit_test(streaming_should_refuse_what_needs_the_table),
        cmocka_unit_test(survey_should_refuse_a_file_changed_since),
        cmocka_unit_test(in_memory_model_should_not_depend_on_threads_or_blocks),
        cmocka_unit_test(survey_pass_should_give_the_blocks_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
