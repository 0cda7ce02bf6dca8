/* The report speaks only of the targets the model holds: a model of
 * expansion alone (train --expansion without --churn) has no churn
 * heading, chart or word, with or without labelled data.  Until the
 * loader takes such a file, the test makes one by hiding the churn
 * target of a two-target model. */
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
#include "report_html.h"
#include "riskiest.h"
#include "train.h"
#include "testutil.h"

enum { N_ROWS = 2000 };

static char *make_csv(void)
{
    static const char *const plans[] = {"basic", "pro", "team"};
    uint64_t state = 77;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    fputs("id,x1,plan,churn,expand\n", out);
    for (size_t i = 0; i < N_ROWS; i++) {
        double x1 = 10 * test_uniform(&state), u = test_uniform(&state), v = test_uniform(&state);
        fprintf(out, "c%zu,%.4f,%s,%d,%d\n", i, x1, plans[i % 3], u < 1 / (1 + exp(1 - 0.2 * x1)),
                v < 1 / (1 + exp(2 - 0.3 * x1 + (i % 3 == 1))));
    }
    fclose(out);
    return text;
}

static model *train(const char *path)
{
    train_spec spec;
    train_spec_default(&spec);
    spec.data_path = path;
    spec.churn = "churn";
    spec.expansion = "expand";
    spec.id = "id";
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

/* The page of m with its churn target hidden (put back before return). */
static char *expansion_page(model *m, const char *data_path)
{
    assert_int_equal(m->n_targets, 2);
    assert_string_equal(m->targets[0].name, "churn");
    model_target churn = m->targets[0];
    m->targets[0] = m->targets[1];
    m->targets[1] = churn;
    m->n_targets = 1;
    row_stream_options data = {.path = data_path, .delimiter = ',', .block_bytes = 0, .threads = 1};
    report_inputs in = {.m = m, .model_path = "m.json", .data = data_path ? &data : NULL, .data_path = data_path,
                        .flag = 3};
    markup page = {0};
    vt_err err = {0};
    vt_status status = report_html_build(&in, &page, &err);
    m->n_targets = 2;
    m->targets[1] = m->targets[0];
    m->targets[0] = churn;
    if (status != VT_OK)
        fail_msg("report_html_build: %s", err.msg);
    char *text = strndup(page.data, page.len);
    text_free(&page);
    return text;
}

static void check_expansion_only(const char *page)
{
    assert_non_null(strstr(page, "<h2 id=\"drivers\">What drives expansion</h2>"));
    assert_non_null(strstr(page, "id=\"odds-expansion\""));
    assert_null(strstr(page, "odds-churn"));
    assert_non_null(strstr(page, "The largest driver of expansion: x1"));
    /* no word of churn anywhere in what is shown (the data's column is "churn", never named) */
    assert_null(strstr(page, "churn"));
    assert_null(strstr(page, "Churn"));
}

static void test_expansion_only(void **state)
{
    (void)state;
    char *text = make_csv();
    char *path = test_write_temp(text, strlen(text));
    free(text);
    model *m = train(path);
    char *page = expansion_page(m, NULL);
    check_expansion_only(page);
    free(page);
    page = expansion_page(m, path);
    check_expansion_only(page);
    assert_non_null(strstr(page, "<h2 id=\"ranking\">Does it find the expanders?</h2>"));
    assert_non_null(strstr(page, "ROC AUC 0.") && strstr(page, ": an expander is ranked higher than a non-expander "));
    free(page);
    model_free(m);
    test_remove_temp(path);
}

/* The riskiest accounts do not depend on the block a row falls in or the
 * thread count: small blocks on 1 to 3 threads give the whole file's list. */
static void test_riskiest_blocks(void **state)
{
    (void)state;
    char *text = make_csv();
    char *path = test_write_temp(text, strlen(text));
    free(text);
    model *m = train(path);
    vt_err err = {0};
    riskiest want, got;
    row_stream_options whole = {.path = path, .delimiter = ',', .threads = 1};
    assert_int_equal(riskiest_read(m, 0, &whole, &want, &err), VT_OK);
    assert_int_equal(want.n, RISKIEST_ROWS);
    assert_int_equal(want.read, N_ROWS);
    for (size_t i = 1; i < want.n; i++)
        assert_true(want.rows[i - 1].risk >= want.rows[i].risk);
    static const size_t blocks[] = {200, 1000};
    for (size_t b = 0; b < 2; b++)
        for (size_t threads = 1; threads <= 3; threads++) {
            row_stream_options input = {.path = path, .delimiter = ',', .block_bytes = blocks[b], .threads = threads};
            assert_int_equal(riskiest_read(m, 0, &input, &got, &err), VT_OK);
            assert_int_equal(got.n, want.n);
            assert_int_equal(got.read, want.read);
            for (size_t i = 0; i < want.n; i++) {
                assert_string_equal(got.rows[i].id, want.rows[i].id);
                assert_true(got.rows[i].risk == want.rows[i].risk);
                assert_int_equal(got.rows[i].n_drivers, want.rows[i].n_drivers);
                for (size_t d = 0; d < want.rows[i].n_drivers; d++) {
                    assert_int_equal(got.rows[i].effect[d], want.rows[i].effect[d]);
                    assert_true(got.rows[i].effect_value[d] == want.rows[i].effect_value[d]);
                }
            }
            riskiest_free(&got);
        }
    riskiest_free(&want);
    model_free(m);
    test_remove_temp(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expansion_only),
        cmocka_unit_test(test_riskiest_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
