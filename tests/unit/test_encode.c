/* Encoding: R's term names and baselines, imputation terms, dropped rows,
 * the streaming encoder agreeing with the training design, and a typed
 * BOOLEAN column's t/f read as a binary pair of levels. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "encode.h"
#include "testutil.h"

static const char data_text[] =
    "x,plan,churn\n"
    "1,b,0\n"
    "NA,a,1\n"
    "3,B,0\n"
    "5,,1\n";

typedef struct {
    table *data;
    encoding *enc;
    unsigned char *row_used;
    encode_report report;
} fitted;

static vt_status fit_text(const char *text, missing_policy policy, fitted *out, vt_err *err)
{
    char *path = test_write_temp(text, strlen(text));
    table_role roles[] = {{"churn", ROLE_LABEL, "--churn"}};
    table_options options = {',', NULL, 0, roles, 1, 0, NULL};
    vt_status status = table_read(path, &options, &out->data, err);
    test_remove_temp(path);
    if (status != VT_OK)
        return status;
    size_t features[] = {0, 1}, labels[] = {2};
    encode_columns columns = {features, labels, 2, 1, policy};
    return encoding_fit(out->data, &columns, &out->enc, &out->row_used, &out->report, err);
}

static void fitted_free(fitted *f)
{
    table_free(f->data);
    encoding_free(f->enc);
    free(f->row_used);
}

static void encoding_should_name_terms_as_r_does(void **state)
{
    (void)state;
    fitted f = {0};
    vt_err err = {0};
    assert_int_equal(fit_text(data_text, MISSING_IMPUTE, &f, &err), VT_OK);
    /* Levels in byte order: "B" < "a" < "b", so "B" is the baseline. */
    const char *expected[] = {"(Intercept)", "x", "x_missing", "plana", "planb", "plan_missing"};
    assert_int_equal(f.enc->n_terms, 6);
    for (size_t t = 0; t < 6; t++)
        assert_string_equal(f.enc->term_names[t], expected[t]);
    assert_string_equal(f.enc->features[1].levels[0], "B");
    assert_true(fabs(f.enc->features[0].mean - 3.0) < 1e-15);
    assert_true(fabs(f.enc->features[0].sd - 2.0) < 1e-15);

    double *design = NULL;
    size_t n_rows = 0;
    assert_int_equal(encoding_design(f.enc, f.data, f.row_used, &design, &n_rows, &err), VT_OK);
    assert_int_equal(n_rows, f.report.n_rows_used);
    const double expected_rows[4][6] = {{1, 1, 0, 0, 1, 0}, {1, 3, 1, 1, 0, 0}, {1, 3, 0, 0, 0, 0}, {1, 5, 0, 0, 0, 1}};
    for (size_t i = 0; i < 4; i++)
        for (size_t t = 0; t < 6; t++)
            if (design[i * 6 + t] != expected_rows[i][t])
                fail_msg("row %zu term %s: %g, expected %g", i, expected[t], design[i * 6 + t], expected_rows[i][t]);
    free(design);
    fitted_free(&f);
}

static void encoding_should_drop_rows_under_drop(void **state)
{
    (void)state;
    fitted f = {0};
    vt_err err = {0};
    assert_int_equal(fit_text(data_text, MISSING_DROP, &f, &err), VT_OK);
    assert_int_equal(f.report.n_rows_used, 2);
    assert_int_equal(f.report.n_dropped_missing_feature, 2);
    assert_int_equal(f.enc->n_terms, 3); /* intercept, x, planb (levels B, b) */
    fitted_free(&f);
    assert_int_equal(fit_text(data_text, MISSING_ERROR, &f, &err), VT_EDATA);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 1);
    fitted_free(&f);
}

static void encoder_should_match_the_training_design(void **state)
{
    (void)state;
    fitted f = {0};
    vt_err err = {0};
    assert_int_equal(fit_text(data_text, MISSING_IMPUTE, &f, &err), VT_OK);
    double *design = NULL;
    size_t n_rows = 0;
    assert_int_equal(encoding_design(f.enc, f.data, f.row_used, &design, &n_rows, &err), VT_OK);
    assert_int_equal(n_rows, f.report.n_rows_used);

    const char *header[] = {"extra", "plan", "x"};
    encoder *coder = NULL;
    assert_int_equal(encoder_new(f.enc, "s.csv", header, 3, 0, NULL, 0, &coder, &err), VT_OK);
    const char *rows[4][3] = {{"q", "b", "1"}, {"q", "a", "NA"}, {"q", "B", "3"}, {"q", "", "5"}};
    for (size_t i = 0; i < 4; i++) {
        size_t lengths[3] = {strlen(rows[i][0]), strlen(rows[i][1]), strlen(rows[i][2])};
        csv_row row = {3, rows[i], lengths, (long)i + 2};
        double x[6];
        encoder_counts counts = {0};
        assert_int_equal(encoder_row(coder, &row, "s.csv", x, &counts, &err), VT_OK);
        assert_memory_equal(x, design + i * 6, sizeof x);
    }
    const char *unseen[3] = {"q", "c", "1"};
    size_t lengths[3] = {1, 1, 1};
    csv_row row = {3, unseen, lengths, 9};
    double x[6];
    encoder_counts counts = {0};
    assert_int_equal(encoder_row(coder, &row, "s.csv", x, &counts, &err), VT_EDATA);
    assert_int_equal(err.line, 9);
    assert_int_equal(err.col, 2);
    encoder_free(coder);

    const char *short_header[] = {"plan"};
    assert_int_equal(encoder_new(f.enc, "s.csv", short_header, 1, 0, NULL, 0, &coder, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "needs column 'x'"));
    free(design);
    fitted_free(&f);
}

/* Encode one row of n cells. */
static vt_status encode_cells(const encoder *coder, const char *const *cells, size_t n, double *x, vt_err *err)
{
    size_t lengths[8];
    for (size_t c = 0; c < n; c++)
        lengths[c] = strlen(cells[c]);
    csv_row row = {n, cells, lengths, 2};
    encoder_counts counts = {0};
    return encoder_row(coder, &row, "q", x, &counts, err);
}

static void encoder_should_read_a_boolean_column_as_a_binary_pair(void **state)
{
    (void)state;
    fitted f = {0};
    vt_err err = {0};
    assert_int_equal(fit_text("x,paid,churn\n1,Yes,0\n2,No,1\n3,,0\n4,Yes,1\n", MISSING_IMPUTE, &f, &err), VT_OK);
    size_t yes = 9, no = 9;
    assert_true(encoding_binary_levels(&f.enc->features[1], &yes, &no));
    assert_string_equal(f.enc->features[1].levels[yes], "Yes");
    assert_string_equal(f.enc->features[1].levels[no], "No");
    assert_false(encoding_binary_levels(&f.enc->features[0], &yes, &no)); /* numeric */
    assert_int_equal(f.enc->n_terms, 4); /* intercept, x, paidYes, paid_missing */

    const char *header[] = {"paid", "x"};
    const unsigned char boolean[] = {1, 0};
    encoder *typed = NULL, *text = NULL;
    assert_int_equal(encoder_new(f.enc, "q", header, 2, 0, NULL, 0, &typed, &err), VT_OK);
    assert_int_equal(encoder_new(f.enc, "q", header, 2, 0, NULL, 0, &text, &err), VT_OK);
    encoder_read_booleans(typed, boolean);
    encoder_read_booleans(text, NULL);
    const char *pairs[][2][2] = {{{"t", "1"}, {"Yes", "1"}}, {{"f", "2"}, {"No", "2"}}, {{"", "3"}, {"", "3"}},
                                 {{"Yes", "4"}, {"Yes", "4"}}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double got[4], want[4];
        assert_int_equal(encode_cells(typed, pairs[i][0], 2, got, &err), VT_OK);
        assert_int_equal(encode_cells(text, pairs[i][1], 2, want, &err), VT_OK);
        assert_memory_equal(got, want, sizeof got);
    }
    /* Shown as the level it stands for, where it stands for one. */
    const char *cells[] = {"f", "1"};
    size_t cell_lengths[] = {1, 1};
    csv_row shown = {2, cells, cell_lengths, 2};
    assert_string_equal(encoder_cell(typed, 1, &shown), "No");
    assert_string_equal(encoder_cell(text, 1, &shown), "f");
    assert_string_equal(encoder_cell(typed, 0, &shown), "1");
    /* Only PostgreSQL's own t and f; a file's t is a level like any other. */
    double x[4];
    assert_int_equal(encode_cells(typed, (const char *[]){"T", "1"}, 2, x, &err), VT_EDATA);
    assert_int_equal(encode_cells(text, (const char *[]){"t", "1"}, 2, x, &err), VT_EDATA);
    assert_non_null(strstr(err.msg, "level 't' was not seen"));
    encoder_free(typed);
    encoder_free(text);
    fitted_free(&f);

    /* Levels that are no binary label: the boolean column is read as text. */
    assert_int_equal(fit_text("x,mode,churn\n1,on,0\n2,off,1\n3,on,1\n", MISSING_IMPUTE, &f, &err), VT_OK);
    assert_false(encoding_binary_levels(&f.enc->features[1], &yes, &no));
    const char *modes[] = {"mode", "x"};
    assert_int_equal(encoder_new(f.enc, "q", modes, 2, 0, NULL, 0, &typed, &err), VT_OK);
    encoder_read_booleans(typed, boolean);
    assert_int_equal(encode_cells(typed, (const char *[]){"t", "1"}, 2, x, &err), VT_EDATA);
    assert_int_equal(encode_cells(typed, (const char *[]){"on", "1"}, 2, x, &err), VT_OK);
    encoder_free(typed);
    fitted_free(&f);
    /* Two levels of one value are no pair either. */
    assert_int_equal(fit_text("x,flag,churn\n1,yes,0\n2,true,1\n3,yes,1\n", MISSING_IMPUTE, &f, &err), VT_OK);
    assert_false(encoding_binary_levels(&f.enc->features[1], &yes, &no));
    fitted_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoding_should_name_terms_as_r_does),
        cmocka_unit_test(encoding_should_drop_rows_under_drop),
        cmocka_unit_test(encoder_should_match_the_training_design),
        cmocka_unit_test(encoder_should_read_a_boolean_column_as_a_binary_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
