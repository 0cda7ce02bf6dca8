/* Training from a file read again on each pass (--memory-limit) gives the
 * model bytes a table in memory gives, whatever the blocks and threads:
 * small blocks put a mixed column's first text, a run of unlabelled rows
 * and the solver's block edges in different file blocks.  A file changed
 * after its survey is refused. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(streamed_model_should_equal_the_in_memory_one),
        cmocka_unit_test(streaming_should_refuse_what_needs_the_table),
        cmocka_unit_test(survey_should_refuse_a_file_changed_since),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
