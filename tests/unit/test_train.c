/* Training steps: folds and holdout see only their rows, the --l2 cv grid
 * picks its lowest loss the same way every time, --by falls back on thin
 * levels and fits the others on their own rows, and separation is named.
 * Data sets are small CSVs written to temporary files. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crossfit.h"
#include "fit.h"
#include "ridge_cv.h"
#include "separation.h"
#include "train.h"
#include "testutil.h"

enum { N_ROWS = 740 };

/* Rows 0-399 are stage a, 400-699 b, 700-739 c (too thin for its own
 * model); the outcome depends on x1, x2, plan and stage.  only: write just
 * that stage's rows (the numbers of the others are still drawn). */
static char *make_csv(const char *only)
{
    static const char *const plans[] = {"basic", "pro", "team"};
    uint64_t state = 12345;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    fputs("x1,x2,plan,stage,churn\n", out);
    for (size_t i = 0; i < N_ROWS; i++) {
        double u[4];
        for (int j = 0; j < 4; j++)
            u[j] = test_uniform(&state);
        const char *stage = i < 400 ? "a" : i < 700 ? "b" : "c";
        double x1 = 10 * u[0], x2 = 3 * u[1];
        double eta = -0.8 + 0.3 * (x1 - 5) - 0.8 * (x2 - 1.5) + (i % 3 == 1 ? 0.5 : 0) + (stage[0] == 'b' ? 0.4 : 0);
        if (only == NULL || strcmp(only, stage) == 0)
            fprintf(out, "%.4f,%.4f,%s,%s,%d\n", x1, x2, plans[i % 3], stage, u[2] < 1 / (1 + exp(-eta)));
    }
    fclose(out);
    return text;
}

/* A fit_problem over a CSV whose label is churn and every other column a feature. */
typedef struct {
    char *path;
    table *data;
    encoding *enc;
    unsigned char *row_used;
    design_source *rows;
    double *y;
    fit_problem problem;
} fixture;

static void fixture_load(fixture *f, const char *text)
{
    memset(f, 0, sizeof *f);
    vt_err err = {0};
    f->path = test_write_temp(text, strlen(text));
    table_role roles[] = {{"churn", ROLE_LABEL, "--churn"}};
    table_options options = {',', NULL, 0, roles, 1, 0, NULL};
    assert_int_equal(table_read(f->path, &options, &f->data, &err), VT_OK);
    size_t features[8], n_features = 0, labels[1], n_labels = 0;
    for (size_t c = 0; c < f->data->n_columns; c++)
        if (f->data->columns[c].type == TYPE_LABEL)
            labels[n_labels++] = c;
        else
            features[n_features++] = c;
    encode_report report;
    encode_columns columns = {features, labels, n_features, n_labels, MISSING_IMPUTE};
    assert_int_equal(encoding_fit(f->data, &columns, &f->enc, &f->row_used, &report, &err), VT_OK);
    assert_int_equal(design_source_new(f->enc, f->data, f->row_used, &f->rows, &err), VT_OK);
    size_t n = report.n_rows_used;
    f->y = calloc(n, sizeof(double));
    const table_column *label = table_find(f->data, "churn");
    for (size_t r = 0, i = 0; r < f->data->n_rows; r++)
        if (f->row_used[r])
            f->y[i++] = label->values[r];
    f->problem = (fit_problem){f->rows, f->enc->term_names, f->enc->n_terms, n, 1, {f->y}, {NULL}, {0}, {0}, f->path, 1, NULL, {0}, NULL, 0, {0}, NULL};
    irls_options_default(&f->problem.irls);
}

static void fixture_free(fixture *f)
{
    design_source_free(f->rows);
    encoding_free(f->enc);
    free(f->row_used);
    table_free(f->data);
    free(f->y);
    test_remove_temp(f->path);
}

static void load_default(fixture *f)
{
    char *text = make_csv(NULL);
    fixture_load(f, text);
    free(text);
}

static void folds_should_score_each_row_once_by_a_model_that_did_not_see_it(void **state)
{
    (void)state;
    fixture f;
    load_default(&f);
    size_t n = f.problem.n_used, folds = 4;
    int *fold_of = calloc(n, sizeof(int));
    double *oof = calloc(n, sizeof(double)), *by_hand = calloc(n, sizeof(double)), *all = calloc(n, sizeof(double));
    size_t *fit_at = calloc(n, sizeof(size_t)), *test_at = calloc(n, sizeof(size_t));
    validation_options split = {VALIDATE_FOLDS, 0, folds, 7, NULL, NULL};
    vt_err err = {0};
    assert_int_equal(validation_split(&split, f.y, NULL, NULL, 0, f.path, n, fold_of, &err), VT_OK);
    crossfit_metrics result[MODEL_MAX_TARGETS] = {0};
    assert_int_equal(crossfit_folds(&f.problem, fold_of, folds, "4 folds", 40, 70, &oof, result, &err), VT_OK);
    /* Every used row in exactly one fold; the folds' metrics cover them all. */
    size_t covered = 0;
    for (size_t i = 0; i < n; i++)
        assert_true(fold_of[i] >= 0 && fold_of[i] < (int)folds);
    assert_int_equal(result[0].n_folds, folds);
    for (size_t k = 0; k < folds; k++)
        covered += result[0].folds[k].n;
    assert_int_equal(covered, n);
    assert_int_equal(result[0].overall.n, n);
    /* Each fold's predictions are those of a fit on the other folds, by hand. */
    for (size_t k = 0; k < folds; k++) {
        size_t n_fit = crossfit_rows(fold_of, n, (int)k, 1, fit_at), n_test = crossfit_rows(fold_of, n, (int)k, 0, test_at);
        assert_int_equal(n_fit + n_test, n);
        fit_result fit;
        assert_int_equal(fit_rows(&f.problem, fit_at, n_fit, NULL, &fit, &err), VT_OK);
        assert_int_equal(fit.fits[0]->n_obs, n_fit);
        assert_int_equal(fit_predict(&f.problem, fit.fits[0], test_at, n_test, by_hand, &err), VT_OK);
        for (size_t i = 0; i < n_test; i++)
            assert_true(oof[test_at[i]] == by_hand[i]);
        fit_result_free(&fit);
    }
    /* ... and not those of the fit that saw every row. */
    fit_result full;
    assert_int_equal(fit_rows(&f.problem, NULL, n, NULL, &full, &err), VT_OK);
    assert_int_equal(fit_predict(&f.problem, full.fits[0], NULL, n, all, &err), VT_OK);
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        same += oof[i] == all[i];
    assert_true(same < n / 100);
    fit_result_free(&full);
    crossfit_metrics_free(&result[0]);
    free(fold_of);
    free(oof);
    free(by_hand);
    free(all);
    free(fit_at);
    free(test_at);
    fixture_free(&f);
}

static void holdout_should_fit_without_the_held_out_rows_and_stratify(void **state)
{
    (void)state;
    fixture f;
    load_default(&f);
    size_t n = f.problem.n_used;
    int *held = calloc(n, sizeof(int));
    size_t *kept = calloc(n, sizeof(size_t));
    validation_options split = {VALIDATE_HOLDOUT, 0.25, 0, 7, NULL, NULL};
    vt_err err = {0};
    assert_int_equal(validation_split(&split, f.y, NULL, NULL, 0, f.path, n, held, &err), VT_OK);
    size_t events = 0, held_events = 0, held_rows = 0;
    for (size_t i = 0; i < n; i++) {
        events += f.y[i] == 1.0;
        held_events += held[i] && f.y[i] == 1.0;
        held_rows += (size_t)held[i];
    }
    /* Stratified: a quarter of each outcome, rounded. */
    assert_int_equal(held_events, (size_t)llround(0.25 * (double)events));
    assert_int_equal(held_rows - held_events, (size_t)llround(0.25 * (double)(n - events)));
    fit_result saved, by_hand, full;
    crossfit_metrics result[MODEL_MAX_TARGETS] = {0};
    assert_int_equal(crossfit_holdout(&f.problem, held, "holdout", 40, 70, &saved, result, &err), VT_OK);
    assert_int_equal(saved.n_rows, n - held_rows);
    assert_int_equal(saved.fits[0]->n_obs, n - held_rows);
    assert_int_equal(result[0].overall.n, held_rows);
    assert_int_equal(result[0].overall.events, held_events);
    /* The saved fit is the fit on the kept rows, not on all of them. */
    size_t n_kept = crossfit_rows(held, n, 0, 0, kept);
    assert_int_equal(fit_rows(&f.problem, kept, n_kept, NULL, &by_hand, &err), VT_OK);
    assert_int_equal(fit_rows(&f.problem, NULL, n, NULL, &full, &err), VT_OK);
    assert_memory_equal(saved.fits[0]->estimate, by_hand.fits[0]->estimate, f.problem.n_terms * sizeof(double));
    assert_memory_not_equal(saved.fits[0]->estimate, full.fits[0]->estimate, f.problem.n_terms * sizeof(double));
    fit_result_free(&saved);
    fit_result_free(&by_hand);
    fit_result_free(&full);
    crossfit_metrics_free(&result[0]);
    free(held);
    free(kept);
    fixture_free(&f);
}

static void ridge_cv_should_pick_the_lowest_loss_of_15_the_same_way_twice(void **state)
{
    (void)state;
    fixture f;
    load_default(&f);
    ridge_cv_curve a[MODEL_MAX_TARGETS], b[MODEL_MAX_TARGETS];
    vt_err err = {0};
    assert_int_equal(ridge_cv_choose(&f.problem, NULL, 0, 3, 11, a, &err), VT_OK);
    assert_int_equal(ridge_cv_choose(&f.problem, NULL, 0, 3, 11, b, &err), VT_OK);
    assert_memory_equal(&a[0], &b[0], sizeof a[0]);
    assert_int_equal(RIDGE_CV_GRID, 15);
    assert_int_equal(a[0].folds, 3);
    assert_true(fabs(a[0].lambda[0] - 1e-6) < 1e-18 && fabs(a[0].lambda[14] - 10) < 1e-12);
    for (size_t g = 0; g < RIDGE_CV_GRID; g++) {
        assert_true(a[0].log_loss[g] > 0 && isfinite(a[0].log_loss[g]));
        assert_true(a[0].log_loss[a[0].best] <= a[0].log_loss[g]);
        if (g > 0)
            assert_true(a[0].lambda[g] > a[0].lambda[g - 1]);
    }
    /* A point of the curve by hand: the strongest, fold by fold. */
    size_t n = f.problem.n_used;
    int *group = calloc(n, sizeof(int));
    size_t *fit_at = calloc(n, sizeof(size_t)), *test_at = calloc(n, sizeof(size_t));
    double *p = calloc(n, sizeof(double)), loss = 0;
    validation_options split = {VALIDATE_FOLDS, 0, 3, 11, NULL, NULL};
    assert_int_equal(validation_split(&split, f.y, NULL, NULL, 0, f.path, n, group, &err), VT_OK);
    fit_problem strong = f.problem;
    strong.l2[0] = 10;
    for (int fold = 0; fold < 3; fold++) {
        size_t n_fit = crossfit_rows(group, n, fold, 1, fit_at), n_test = crossfit_rows(group, n, fold, 0, test_at);
        assert_int_equal(crossfit_score(&strong, fit_at, n_fit, test_at, n_test, &p, &err), VT_OK);
        for (size_t i = 0; i < n_test; i++)
            loss -= f.y[test_at[i]] == 1.0 ? log(p[i]) : log(1 - p[i]);
    }
    assert_true(fabs(loss / (double)n - a[0].log_loss[14]) < 1e-12);
    /* A different seed draws different folds: a different curve. */
    assert_int_equal(ridge_cv_choose(&f.problem, NULL, 0, 3, 12, b, &err), VT_OK);
    assert_memory_not_equal(a[0].log_loss, b[0].log_loss, sizeof a[0].log_loss);
    free(group);
    free(fit_at);
    free(test_at);
    free(p);
    fixture_free(&f);
}

static const model_segment *segment_of(const model *m, const char *level)
{
    for (size_t s = 0; s < m->n_segments; s++)
        if (strcmp(m->segments[s].level, level) == 0)
            return &m->segments[s];
    return NULL;
}

static long term_index(const encoding *enc, const char *name)
{
    for (size_t t = 0; t < enc->n_terms; t++)
        if (strcmp(enc->term_names[t], name) == 0)
            return (long)t;
    return -1;
}

static void by_should_fall_back_on_thin_levels_and_fit_others_on_their_rows(void **state)
{
    (void)state;
    char *text = make_csv(NULL), *level_text = make_csv("a");
    char *path = test_write_temp(text, strlen(text)), *level_path = test_write_temp(level_text, strlen(level_text));
    char *drop[] = {"stage", NULL};
    train_spec spec;
    train_spec_default(&spec);
    spec.data_path = path;
    spec.churn = "churn";
    spec.by = "stage";
    vt_err err = {0};
    assert_int_equal(train_spec_check(&spec, 0, &err), VT_OK);
    model *pooled = NULL, *plain = NULL;
    train_notes notes, plain_notes;
    assert_int_equal(train_run(&spec, &pooled, &notes, &err), VT_OK);
    assert_int_equal(notes.rows.n_rows_used, N_ROWS);
    assert_int_equal(pooled->n_segments, 3);
    /* c: 40 rows, fewer than 10 events per term (5 terms besides stage's own). */
    const model_segment *c = segment_of(pooled, "c");
    assert_non_null(c);
    assert_int_equal(c->n_rows, 40);
    assert_true(c->fallback[0]);
    assert_non_null(strstr(c->fallback_reason[0], "fewer than 10 per term (5 terms)"));
    /* a: its own fit, the same as a plain fit on a's rows alone. */
    const model_segment *a = segment_of(pooled, "a");
    assert_non_null(a);
    assert_false(a->fallback[0]);
    assert_int_equal(a->n_rows, 400);
    spec.data_path = level_path;
    spec.by = NULL;
    spec.drop = drop;
    spec.n_drop = 1;
    assert_int_equal(train_run(&spec, &plain, &plain_notes, &err), VT_OK);
    const model_target *own = &a->targets[0], *alone = &plain->targets[0];
    assert_int_equal(own->n_obs, alone->n_obs);
    assert_int_equal(own->n_events, alone->n_events);
    assert_true(fabs(own->deviance - alone->deviance) < 1e-8 * alone->deviance);
    for (size_t t = 0; t < plain->enc->n_terms; t++) {
        long at = term_index(pooled->enc, plain->enc->term_names[t]);
        assert_true(at >= 0);
        assert_false(own->aliased[at]);
        assert_true(fabs(own->estimate[at] - alone->estimate[t]) < 1e-7 * (1 + fabs(alone->estimate[t])));
    }
    assert_true(own->aliased[term_index(pooled->enc, "stageb")]);
    model_free(pooled);
    model_free(plain);
    train_notes_free(&notes);
    train_notes_free(&plain_notes);
    test_remove_temp(path);
    test_remove_temp(level_path);
    free(text);
    free(level_text);
}

/* A design held as a plain row-major matrix. */
typedef struct {
    const double *x;
    size_t n_terms;
} matrix;

/* The matrix's rows with one outcome, as a row source. */
typedef struct {
    const matrix *m;
    const double *y;
} outcome_rows;

static vt_status scan_matrix(const void *context, size_t first, size_t count, irls_visit_fn visit, void *visit_context,
                             vt_err *err)
{
    (void)err;
    const outcome_rows *rows = context;
    vt_status status = VT_OK;
    for (size_t start = first; status == VT_OK && start < first + count; start += IRLS_BLOCK_ROWS) {
        size_t n = first + count - start < IRLS_BLOCK_ROWS ? first + count - start : IRLS_BLOCK_ROWS;
        irls_block block = {n, rows->m->x + start * rows->m->n_terms, {rows->y + start}, {NULL}};
        status = visit(visit_context, &block);
    }
    return status;
}

enum { SEP_ROWS = 200 };

/* Columns: intercept, x (numeric), flag (0/1); check y against them with a
 * fit that reached no boundary (n_boundary as given). */
static vt_status check_design(const double *x_col, const double *flag, const double *y, size_t n_boundary,
                              vt_err *err)
{
    static double x[SEP_ROWS * 3];
    for (size_t i = 0; i < SEP_ROWS; i++) {
        x[3 * i] = 1;
        x[3 * i + 1] = x_col[i];
        x[3 * i + 2] = flag[i];
    }
    char *names[] = {"(Intercept)", "x", "flag"};
    int aliased[3] = {0, 0, 0};
    double estimate[3] = {0.1, 0.5, 2.0}, sds[3] = {0, 1, 0.5};
    irls_result fit = {.n_terms = 3, .aliased = aliased, .estimate = estimate, .n_boundary = n_boundary};
    matrix m = {x, 3};
    outcome_rows rows = {&m, y};
    irls_source source = {scan_matrix, &rows, SEP_ROWS, 3, 1, names, NULL, NULL};
    return separation_check(&source, 0, 1, &fit, sds, "churn", "s.csv", err);
}

static void separation_should_name_the_column_that_separates(void **state)
{
    (void)state;
    double x[SEP_ROWS], flag[SEP_ROWS], y[SEP_ROWS];
    for (size_t i = 0; i < SEP_ROWS; i++) {
        x[i] = (double)((i * 37) % 100) / 10;
        flag[i] = i % 10 == 0;
        y[i] = (i * 7) % 3 == 0; /* unrelated to either column, both outcomes everywhere */
    }
    vt_err err = {0};
    assert_int_equal(check_design(x, flag, y, 0, &err), VT_OK);
    /* Every flagged row churned. */
    for (size_t i = 0; i < SEP_ROWS; i += 10)
        y[i] = 1;
    assert_int_equal(check_design(x, flag, y, 0, &err), VT_ENUMERIC);
    assert_non_null(strstr(err.msg, "churn model: separation (every row with flag = 1 has churn 1)"));
    /* Found from the column's range, not the fit: no count of 0 beside "no finite estimate". */
    assert_null(strstr(err.msg, "fitted probabilit"));
    assert_string_equal(err.path, "s.csv");
    /* Outcomes that do not overlap along x: 1 above 5, 0 up to 5. */
    for (size_t i = 0; i < SEP_ROWS; i++) {
        flag[i] = i % 2;
        y[i] = x[i] > 5;
    }
    assert_int_equal(check_design(x, flag, y, 0, &err), VT_ENUMERIC);
    assert_non_null(strstr(err.msg, "separation (x: rows above 5 all have churn 1, rows below all 0)"));
    /* No single column, but the fit ran to 0 or 1: a combination. */
    for (size_t i = 0; i < SEP_ROWS; i++)
        y[i] = (i * 7) % 3 == 0;
    assert_int_equal(check_design(x, flag, y, 3, &err), VT_ENUMERIC);
    assert_non_null(strstr(err.msg, "a combination of terms, led by"));
    assert_non_null(strstr(err.msg, "(3 fitted probabilities are numerically 0 or 1)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folds_should_score_each_row_once_by_a_model_that_did_not_see_it),
        cmocka_unit_test(holdout_should_fit_without_the_held_out_rows_and_stratify),
        cmocka_unit_test(ridge_cv_should_pick_the_lowest_loss_of_15_the_same_way_twice),
        cmocka_unit_test(by_should_fall_back_on_thin_levels_and_fit_others_on_their_rows),
        cmocka_unit_test(separation_should_name_the_column_that_separates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
