/* check_gam: compare a smooth model the command line wrote with R mgcv's.
 *
 *   check_gam fixed|reml MODEL.json FIXTURE.json DATA.csv
 *
 * FIXTURE.json is written by tests/data/make_gam_fixtures.R (mgcv 1.8-41).
 * The rows of DATA.csv the model can encode (under --missing drop, those
 * without a missing cell) are the fixture's rows, in order.  Tolerances:
 *   fixed (sp given): each row's linear predictor within 1e-8 relative
 *     (of max(1, |eta|)), edf per smooth within 1e-8 relative, the REML
 *     score within 1e-8 relative;
 *   reml: against mgcv's fit converged tightly (the fixture's tight_fit:
 *     mgcv's default stop leaves a gradient of up to 4e-4 and its sp
 *     6e-4 from the optimum): sp within 1e-3 relative, the REML score
 *     within 1e-6 relative (lower is allowed: a better optimum), edf
 *     within 1e-4, each row's linear predictor within 1e-5;
 *   both: summary.gam's edf, Ref.df and Chi.sq per smooth within 1e-4
 *     relative, its p-value within 1e-4 relative or 1e-12 absolute; the
 *     linear predictor of the fixture's newdata rows (beyond the range,
 *     at knots) within the row tolerance; each term's label as mgcv's,
 *     its knots bit for bit and S.scale within 1e-12 relative.
 * A ti pair (--interact A:B of two smooth columns) is one fixture entry
 * (summary.gam's row; make_gam_ti_cli_fixtures.R: sp and S_scale one per
 * penalty, margin_knots) and two model entries, one per penalty: each
 * penalty's sp is compared (sp_fixed and the tight fit's sp are listed per
 * penalty in the model's order), the term's edf, test and covariance once,
 * and the second entry must carry the first's exactly.
 *
 *   check_gam truth MODEL.json DATA.csv.truth.json
 *
 * (generate --shape curved) each true curve lies within the fitted
 * curve's 95% pointwise band (1.96 x sqrt(b' Vp b), Vp the smooth's block)
 * at 80% of the truth's grid or more: both curves sum to zero over the
 * rows, so they compare directly.
 *
 *   check_gam straight MODEL.json
 *
 * (plain generate: every effect a straight line) every smooth has edf
 * below 2.5: REML found the line.
 *
 *   check_gam ti-fixed|ti-reml FIXTURE.json
 *
 * (tests/data/gam_ti_*.json, make_tensor_fixtures.R) y ~ s(x1, bs = "cr")
 * + s(x2, bs = "cr") + ti(x1, x2, bs = "cr", k = c(5, 5)), the design built
 * here in C (intercept, the s() blocks, the ti block from models/tensor.c)
 * and fitted by gam_fit with ti's two penalties as two gam_smooth entries
 * over one block.  Tolerances: fixed sp: each row's linear predictor 1e-8
 * relative (of max(1, |eta|)), edf per term 1e-8, the REML score 1e-8;
 * REML (against mgcv converged tightly): the linear predictor 1e-5
 * (measured far tighter: printed), sp 1e-3, edf per term 1e-4, the REML
 * score 1e-8; both: summary.gam's Ref.df and Chi.sq 1e-4, p 1e-4 relative
 * or 1e-12. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "csv_reader.h"
#include "encode.h"
#include "model.h"
#include "gam.h"
#include "irls.h"
#include "smooth.h"
#include "tensor.h"
#include "testutil.h"

static const char *mode, *model_path, *fixture_path, *data_path;

static double eta_of(const model_target *target, const double *x, size_t n_terms)
{
    double eta = 0;
    for (size_t t = 0; t < n_terms; t++)
        if (!target->aliased[t])
            eta += target->estimate[t] * x[t];
    return eta;
}

/* The linear predictor of every row of a CSV the encoder accepts. */
static size_t score_rows(const model *m, csv_reader *data, double *out, size_t cap)
{
    vt_err err = {0};
    size_t n_columns = csv_reader_n_columns(data);
    const char **header = calloc(n_columns, sizeof(char *));
    for (size_t c = 0; c < n_columns; c++)
        header[c] = csv_reader_column(data, c);
    encoder *coder = NULL;
    assert_int_equal(encoder_new(m->enc, "data", header, n_columns, 0, NULL, 0, &coder, &err), VT_OK);
    double *x = calloc(m->enc->n_terms, sizeof(double));
    size_t n = 0;
    for (;;) {
        const csv_row *row = NULL;
        assert_int_equal(csv_reader_next(data, &row, &err), VT_OK);
        if (row == NULL)
            break;
        int dropped = 0; /* a row --missing drop left out */
        for (size_t f = 0; m->enc->missing == MISSING_DROP && f < m->enc->n_features; f++) {
            long field = csv_reader_find(data, m->enc->features[f].name);
            dropped |= table_is_missing(row->fields[field], row->lengths[field], NULL, 0);
        }
        encoder_counts counts = {0};
        if (dropped)
            continue;
        assert_int_equal(encoder_row(coder, row, "data", x, &counts, &err), VT_OK);
        assert_true(n < cap);
        out[n++] = eta_of(&m->targets[0], x, m->enc->n_terms);
    }
    free(x);
    free(header);
    encoder_free(coder);
    return n;
}

static void assert_close(double ours, double theirs, double relative, double absolute, const char *what, long index)
{
    double scale = fmax(1.0, fabs(theirs));
    if (!(fabs(ours - theirs) <= relative * scale || fabs(ours - theirs) <= absolute))
        fail_msg("%s [%ld]: ours %.17g, mgcv %.17g (difference %.3g)", what, index, ours, theirs, ours - theirs);
}

static double number(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItem(object, key);
    if (!cJSON_IsNumber(item))
        fail_msg("fixture: no number %s", key);
    return item->valuedouble;
}

/* The fixture's newdata as a CSV the encoder reads (the model's columns only). */
static char *newdata_csv(const model *m, const cJSON *newdata, size_t *n_rows)
{
    text csv = {0};
    size_t rows = 0;
    for (size_t f = 0; f < m->enc->n_features; f++) {
        text_printf(&csv, "%s%s", f ? "," : "", m->enc->features[f].name);
        const cJSON *column = cJSON_GetObjectItem(newdata, m->enc->features[f].name);
        if (column)
            rows = (size_t)cJSON_GetArraySize(column);
    }
    text_puts(&csv, "\n");
    for (size_t r = 0; r < rows; r++) {
        for (size_t f = 0; f < m->enc->n_features; f++) {
            const enc_feature *feature = &m->enc->features[f];
            const cJSON *column = cJSON_GetObjectItem(newdata, feature->name);
            const cJSON *cell = column ? cJSON_GetArrayItem(column, (int)r) : NULL;
            char missing_name[256];
            snprintf(missing_name, sizeof missing_name, "%s_missing", feature->name);
            const cJSON *missing = cJSON_GetObjectItem(newdata, missing_name);
            if (f)
                text_puts(&csv, ",");
            if (missing && cJSON_GetArrayItem(missing, (int)r)->valuedouble == 1)
                continue; /* an empty cell: the model imputes it */
            if (cJSON_IsNumber(cell))
                text_printf(&csv, "%.17g", cell->valuedouble);
            else if (cJSON_IsString(cell))
                text_printf(&csv, "\"%s\"", cell->valuestring);
            else
                text_puts(&csv, "0"); /* a column mgcv does not have (COL_missing's source is never missing here) */
        }
        text_puts(&csv, "\n");
    }
    *n_rows = rows;
    return text_finish(&csv);
}

static void model_should_match_mgcv(void **state)
{
    (void)state;
    int reml = strcmp(mode, "reml") == 0;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    cJSON *fixture = test_read_json(fixture_path);
    assert_non_null(fixture);
    const model_target *target = &m->targets[0];
    assert_non_null(target->smooth);
    const cJSON *smooths = cJSON_GetObjectItem(fixture, "smooths"), *tight = cJSON_GetObjectItem(fixture, "tight_fit");
    /* the fixture has one entry per term (summary.gam's row), the model one per penalty (a ti's two) */
    size_t n_terms = 0;
    for (size_t i = 0; i < target->smooth->n_smooths; i++)
        n_terms += !(target->smooth->tensor[i] >= 0 && target->smooth->penalty[i] == 1);
    assert_int_equal((size_t)cJSON_GetArraySize(smooths), n_terms);
    if (reml)
        assert_non_null(tight);

    /* each row's linear predictor */
    const cJSON *expected = cJSON_GetObjectItem(reml ? tight : fixture, "linear_predictor");
    size_t n = (size_t)cJSON_GetArraySize(expected);
    double *eta = calloc(n + 1, sizeof(double));
    csv_reader *data = NULL;
    assert_int_equal(csv_reader_open(data_path, ',', &data, &err), VT_OK);
    assert_int_equal(score_rows(m, data, eta, n + 1), n);
    csv_reader_free(data);
    double row_tolerance = reml ? 1e-5 : 1e-8, worst = 0;
    for (size_t i = 0; i < n; i++) {
        double theirs = cJSON_GetArrayItem(expected, (int)i)->valuedouble;
        worst = fmax(worst, fabs(eta[i] - theirs) / fmax(1.0, fabs(theirs)));
        assert_close(eta[i], theirs, row_tolerance, 0, "linear predictor", (long)i);
    }
    print_message("%zu rows: largest difference of the linear predictor %.3g\n", n, worst);

    /* beyond the range, at the knots */
    size_t n_new = 0;
    char *csv = newdata_csv(m, cJSON_GetObjectItem(fixture, "newdata"), &n_new);
    assert_int_equal(csv_reader_open_memory(csv, strlen(csv), ',', "newdata", 1, 0, &data, &err), VT_OK);
    double *eta_new = calloc(n_new + 1, sizeof(double));
    assert_int_equal(score_rows(m, data, eta_new, n_new + 1), n_new);
    csv_reader_free(data);
    const cJSON *new_expected = cJSON_GetObjectItem(reml ? tight : fixture, "newdata_linear_predictor");
    double worst_new = 0;
    for (size_t i = 0; i < n_new; i++) {
        double theirs = cJSON_GetArrayItem(new_expected, (int)i)->valuedouble;
        worst_new = fmax(worst_new, fabs(eta_new[i] - theirs) / fmax(1.0, fabs(theirs)));
        assert_close(eta_new[i], theirs, row_tolerance, 0, "newdata linear predictor", (long)i);
    }
    print_message("%zu new rows (beyond the range, at knots): largest difference %.3g\n", n_new, worst_new);

    /* the REML score, smoothing parameters and edf */
    double reml_r = number(reml ? tight : fixture, "reml");
    double reml_ours = target->smooth->reml;
    print_message("REML: ours %.17g, mgcv %.17g (relative %.3g)\n", reml_ours, reml_r,
                  (reml_ours - reml_r) / fabs(reml_r));
    if (reml)
        assert_true(reml_ours - reml_r <= 1e-6 * fabs(reml_r));
    else
        assert_close(reml_ours, reml_r, 1e-8, 0, "REML score", -1);
    const cJSON *tight_sp = tight ? cJSON_GetObjectItem(tight, "sp") : NULL;
    const cJSON *tight_edf = tight ? cJSON_GetObjectItem(tight, "smooth_edf") : NULL;
    if (reml) {
        assert_int_equal((size_t)cJSON_GetArraySize(tight_sp), target->smooth->n_smooths); /* one per penalty */
        assert_int_equal((size_t)cJSON_GetArraySize(tight_edf), n_terms);
    }
    const model_smooth_fit *fit = target->smooth;
    size_t term = 0;
    for (size_t i = 0; i < fit->n_smooths; i++) {
        long pair = fit->tensor[i];
        int penalty = fit->penalty[i];
        if (pair >= 0 && penalty == 1) {
            assert_true(i > 0 && fit->tensor[i - 1] == pair && fit->penalty[i - 1] == 0);
            term--; /* the ti's second penalty: the term's row again */
        }
        const cJSON *sm = cJSON_GetArrayItem(smooths, (int)term);
        const char *column = cJSON_GetObjectItem(sm, "column")->valuestring;
        assert_string_equal(m->enc->features[fit->feature[i]].name, column);
        char *label = model_smooth_name(m->enc, fit, i);
        assert_non_null(label);
        assert_string_equal(label, cJSON_GetObjectItem(sm, "label")->valuestring);
        /* the bases: knots bit for bit, S.scale (a ti's: one per penalty) */
        const cJSON *scale = cJSON_GetObjectItem(sm, "S_scale");
        if (pair >= 0) {
            const tensor_spec *ti = m->enc->pairs[pair].tensor;
            assert_non_null(ti);
            assert_int_equal(cJSON_GetArraySize(scale), 2);
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(sm, "sp")), 2);
            const cJSON *margins = cJSON_GetObjectItem(sm, "margin_knots");
            for (int g = 0; g < 2; g++) {
                const cJSON *knots = cJSON_GetArrayItem(margins, g);
                assert_int_equal((size_t)cJSON_GetArraySize(knots), ti->margin[g].k);
                for (size_t j = 0; j < ti->margin[g].k; j++)
                    if (ti->margin[g].knots[j] != cJSON_GetArrayItem(knots, (int)j)->valuedouble)
                        fail_msg("%s margin %d knot %zu: ours %.17g, mgcv %.17g", label, g + 1, j, ti->margin[g].knots[j],
                                 cJSON_GetArrayItem(knots, (int)j)->valuedouble);
            }
            double theirs = cJSON_GetArrayItem(scale, penalty)->valuedouble;
            print_message("%s S_%d: S.scale %.17g (mgcv %.17g)\n", label, penalty + 1, ti->penalty_scale[penalty], theirs);
            assert_close(ti->penalty_scale[penalty] / theirs, 1.0, 1e-12, 0, "ti S.scale", (long)i);
        } else {
            const smooth_spec *spec = m->enc->features[fit->feature[i]].smooth;
            const cJSON *knots = cJSON_GetObjectItem(sm, "knots");
            assert_int_equal((size_t)cJSON_GetArraySize(knots), spec->k);
            for (size_t j = 0; j < spec->k; j++)
                if (spec->knots[j] != cJSON_GetArrayItem(knots, (int)j)->valuedouble)
                    fail_msg("%s knot %zu: ours %.17g, mgcv %.17g", label, j, spec->knots[j],
                             cJSON_GetArrayItem(knots, (int)j)->valuedouble);
            assert_close(spec->penalty_scale / scale->valuedouble, 1.0, 1e-12, 0, "S.scale", (long)i);
        }
        /* the penalty's sp (with REML, the tight fit's, listed per penalty in the model's order) */
        const cJSON *fixed_sp = cJSON_GetObjectItem(sm, "sp");
        double sp = reml ? cJSON_GetArrayItem(tight_sp, (int)i)->valuedouble
                         : cJSON_IsArray(fixed_sp) ? cJSON_GetArrayItem(fixed_sp, penalty)->valuedouble : number(sm, "sp");
        double edf = reml ? cJSON_GetArrayItem(tight_edf, (int)term)->valuedouble : number(sm, "edf");
        print_message("%s%s: sp %.10g (mgcv %.10g, relative %.2g), edf %.10g (mgcv %.10g)\n", label,
                      pair < 0 ? "" : penalty ? " S_2" : " S_1", fit->sp[i], sp, fit->sp[i] / sp - 1, fit->edf[i], edf);
        assert_close(fit->sp[i] / sp, 1.0, reml ? 1e-3 : 1e-12, 0, "sp", (long)i);
        if (pair >= 0 && penalty == 1) {
            /* the term's edf, test and covariance are stored with each penalty: the same */
            assert_true(fit->edf[i] == fit->edf[i - 1] && fit->edf1[i] == fit->edf1[i - 1]);
            assert_true(fit->ref_df[i] == fit->ref_df[i - 1] && fit->chi_sq[i] == fit->chi_sq[i - 1]);
            assert_true(fit->p_value[i] == fit->p_value[i - 1]);
            size_t q = m->enc->pairs[pair].n_terms;
            assert_memory_equal(fit->cov[i], fit->cov[i - 1], q * q * sizeof(double));
            free(label);
            term++;
            continue;
        }
        assert_close(fit->edf[i] / edf, 1.0, reml ? 1e-4 : 1e-8, 0, "edf", (long)i);
        /* summary.gam's table: edf, Ref.df, Chi.sq, p-value (with REML, the tight fit's) */
        double table[4] = {number(sm, "edf"), number(sm, "ref_df"), number(sm, "chi_sq"), number(sm, "p_value")};
        for (int col = 0; reml && col < 4; col++)
            table[col] = cJSON_GetArrayItem(cJSON_GetObjectItem(tight, "s_table"), (int)term * 4 + col)->valuedouble;
        print_message("  summary.gam: Ref.df %.10g (mgcv %.10g), Chi.sq %.10g (mgcv %.10g), p %.6g (mgcv %.6g)\n",
                      fit->ref_df[i], table[1], fit->chi_sq[i], table[2], fit->p_value[i], table[3]);
        assert_close(fit->edf[i] / table[0], 1.0, 1e-4, 0, "summary edf", (long)i);
        assert_close(fit->ref_df[i] / table[1], 1.0, 1e-4, 0, "Ref.df", (long)i);
        assert_close(fit->chi_sq[i] / table[2], 1.0, 1e-4, 0, "Chi.sq", (long)i);
        assert_close(fit->p_value[i], table[3], 1e-4 * table[3], 1e-12, "p-value", (long)i);
        free(label);
        term++;
    }
    assert_int_equal(term, n_terms);
    free(eta);
    free(eta_new);
    free(csv);
    cJSON_Delete(fixture);
    model_free(m);
}

static void curves_should_hold_the_truth(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    cJSON *truth = test_read_json(fixture_path);
    assert_non_null(truth);
    const cJSON *curves = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(truth, "targets"), "churn"),
                                              "curves");
    const model_target *target = model_find_target(m, "churn");
    assert_non_null(curves);
    assert_non_null(target->smooth);
    size_t checked = 0;
    for (size_t i = 0; i < target->smooth->n_smooths; i++) {
        const enc_feature *feature = &m->enc->features[target->smooth->feature[i]];
        const cJSON *curve = cJSON_GetObjectItem(curves, feature->name);
        if (curve == NULL)
            continue;
        const cJSON *xs = cJSON_GetObjectItem(curve, "x"), *fs = cJSON_GetObjectItem(curve, "f");
        size_t q = feature->smooth->k - 1, inside = 0, n = (size_t)cJSON_GetArraySize(xs);
        const double *cov = target->smooth->cov[i], *beta = target->estimate + feature->first_term;
        double worst = 0;
        for (size_t g = 0; g < n; g++) {
            double x = cJSON_GetArrayItem(xs, (int)g)->valuedouble, b[SMOOTH_MAX_K], f = 0, variance = 0;
            smooth_eval(feature->smooth, x, b);
            for (size_t j = 0; j < q; j++) {
                f += beta[j] * b[j];
                for (size_t l = 0; l < q; l++)
                    variance += b[j] * cov[j * q + l] * b[l];
            }
            double gap = fabs(f - cJSON_GetArrayItem(fs, (int)g)->valuedouble) / sqrt(variance);
            worst = fmax(worst, gap);
            inside += gap <= 1.96;
        }
        print_message("%s (edf %.2f): the truth inside the 95%% band at %zu of %zu grid points (worst %.2f se)\n",
                      feature->name, target->smooth->edf[i], inside, n, worst);
        assert_true(inside >= (size_t)(0.8 * (double)n));
        checked++;
    }
    assert_int_equal(checked, (size_t)cJSON_GetArraySize(curves));
    cJSON_Delete(truth);
    model_free(m);
}

static void smooths_should_be_straight(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    for (size_t k = 0; k < m->n_targets; k++) {
        const model_smooth_fit *fit = m->targets[k].smooth;
        assert_non_null(fit);
        for (size_t i = 0; i < fit->n_smooths; i++) {
            print_message("%s: s(%s) edf %.3f\n", m->targets[k].name, m->enc->features[fit->feature[i]].name,
                          fit->edf[i]);
            assert_true(fit->edf[i] < 2.5);
        }
    }
    model_free(m);
}

/* ------------------------------------------------ ti: the design in C */

typedef struct {
    const double *x, *y; /* n x p, n */
    size_t p;
} memory_rows;

static vt_status memory_scan(const void *context, size_t first, size_t count, irls_visit_fn visit, void *visit_context,
                             vt_err *err)
{
    (void)err;
    const memory_rows *rows = context;
    for (size_t at = 0; at < count; at += IRLS_BLOCK_ROWS) {
        size_t n = count - at < IRLS_BLOCK_ROWS ? count - at : IRLS_BLOCK_ROWS;
        irls_block block = {n, rows->x + (first + at) * rows->p, {rows->y + first + at, NULL}, {NULL, NULL}};
        vt_status status = visit(visit_context, &block);
        if (status != VT_OK)
            return status;
    }
    return VT_OK;
}

static double *fixture_doubles(const cJSON *fixture, const char *key, size_t *n)
{
    const cJSON *array = cJSON_GetObjectItem(fixture, key);
    assert_non_null(array);
    *n = (size_t)cJSON_GetArraySize(array);
    double *out = calloc(*n ? *n : 1, sizeof(double));
    for (size_t i = 0; i < *n; i++)
        out[i] = cJSON_GetArrayItem(array, (int)i)->valuedouble;
    return out;
}

static void ti_should_match_mgcv(void **state)
{
    (void)state;
    int reml = strcmp(mode, "ti-reml") == 0;
    cJSON *fixture = test_read_json(fixture_path);
    assert_non_null(fixture);
    size_t n, n2, ny, n_sp, n_edf, n_eta, n_table;
    double *x1 = fixture_doubles(fixture, "x1", &n), *x2 = fixture_doubles(fixture, "x2", &n2);
    double *y = fixture_doubles(fixture, "y", &ny), *sp = fixture_doubles(fixture, "sp", &n_sp);
    double *edf = fixture_doubles(fixture, "term_edf", &n_edf), *eta_r = fixture_doubles(fixture, "linear_predictor", &n_eta);
    double *table = fixture_doubles(fixture, "s_table", &n_table);
    assert_true(n == n2 && n == ny && n == n_eta && n_sp == 4 && n_edf == 3 && n_table == 12);
    vt_err err = {0};
    /* the bases: s(x1), s(x2) with k = 10, ti(x1, x2) with k = c(5, 5) */
    smooth_spec s1, s2;
    tensor_spec ti;
    size_t n_distinct;
    assert_int_equal(smooth_spec_learn(x1, n, 10, &s1, &n_distinct, &err), VT_OK);
    assert_int_equal(smooth_spec_learn(x2, n, 10, &s2, &n_distinct, &err), VT_OK);
    assert_int_equal(tensor_spec_build(x1, x2, n, 5, 5, &ti, &err), VT_OK);
    size_t p = 1 + 9 + 9 + ti.n;
    assert_int_equal(p, 35);
    double *x = calloc(n * p, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        double *row = x + i * p;
        row[0] = 1.0;
        smooth_eval(&s1, x1[i], row + 1);
        smooth_eval(&s2, x2[i], row + 10);
        tensor_eval(&ti, x1[i], x2[i], row + 19);
    }
    /* one gam_smooth per penalty: ti's two share the block [19, 35) */
    double log_pdet1, log_pdet2;
    assert_int_equal(smooth_penalty_log_pdet(&s1, &log_pdet1, &err), VT_OK);
    assert_int_equal(smooth_penalty_log_pdet(&s2, &log_pdet2, &err), VT_OK);
    gam_smooth smooths[4] = {
        {1, 9, s1.penalty, 8, log_pdet1, reml ? 0 : sp[0]},
        {10, 9, s2.penalty, 8, log_pdet2, reml ? 0 : sp[1]},
        {19, ti.n, ti.penalty[0], tensor_penalty_rank(&ti, 0), 0, reml ? 0 : sp[2]},
        {19, ti.n, ti.penalty[1], tensor_penalty_rank(&ti, 1), 0, reml ? 0 : sp[3]},
    };
    double *penalty = calloc(p * p, sizeof(double)); /* for the alias check, as fit.c sums them */
    for (size_t a = 0; a < 4; a++)
        for (size_t r = 0; r < smooths[a].n; r++)
            for (size_t c = 0; c < smooths[a].n; c++)
                penalty[(smooths[a].first + r) * p + smooths[a].first + c] += smooths[a].penalty[r * smooths[a].n + c];
    char **names = calloc(p, sizeof(char *));
    for (size_t t = 0; t < p; t++) {
        names[t] = malloc(32);
        snprintf(names[t], 32, "x%zu", t);
    }
    memory_rows rows = {x, y, p};
    irls_source source = {memory_scan, &rows, n, p, 1, names, penalty, NULL};
    irls_design *design = NULL;
    assert_int_equal(irls_design_new(&source, 0, &design, &err), VT_OK);
    irls_options options;
    irls_options_default(&options);
    irls_result *fit = NULL;
    vt_status status = gam_fit(design, 0, "y", smooths, 4, &options, &fit, &err);
    if (status != VT_OK)
        fail_msg("gam_fit: %s", err.msg);
    const irls_smooth_info *info = fit->smooth;
    assert_int_equal(info->n_smooths, 4);

    /* each row's linear predictor */
    double tolerance = reml ? 1e-5 : 1e-8, worst = 0;
    for (size_t i = 0; i < n; i++) {
        double eta = 0;
        for (size_t t = 0; t < p; t++)
            eta += fit->estimate[t] * x[i * p + t];
        worst = fmax(worst, fabs(eta - eta_r[i]) / fmax(1.0, fabs(eta_r[i])));
        assert_close(eta, eta_r[i], tolerance, 0, "linear predictor", (long)i);
    }
    print_message("%zu rows: largest difference of the linear predictor %.3g (tolerance %g)\n", n, worst, tolerance);
    double reml_r = number(fixture, "reml");
    print_message("REML: ours %.17g, mgcv %.17g (relative %.3g); %d outer steps\n", info->reml, reml_r,
                  (info->reml - reml_r) / fabs(reml_r), info->outer_iterations);
    assert_close(info->reml, reml_r, 1e-8, 0, "REML score", -1);
    /* sp per penalty; edf and summary.gam's row per term (ti: entries 2 and 3 carry the same) */
    static const char *labels[4] = {"s(x1)", "s(x2)", "ti(x1,x2) S_1", "ti(x1,x2) S_2"};
    for (size_t a = 0; a < 4; a++) {
        size_t term = a < 3 ? a : 2;
        print_message("%s: sp %.10g (mgcv %.10g, relative %.2g), edf %.10g (mgcv %.10g)\n", labels[a], info->sp[a], sp[a],
                      info->sp[a] / sp[a] - 1, info->edf[a], edf[term]);
        assert_close(info->sp[a] / sp[a], 1.0, reml ? 1e-3 : 1e-12, 0, "sp", (long)a);
        assert_close(info->edf[a] / edf[term], 1.0, reml ? 1e-4 : 1e-8, 0, "edf", (long)a);
        print_message("  summary.gam: Ref.df %.10g (mgcv %.10g), Chi.sq %.10g (mgcv %.10g), p %.6g (mgcv %.6g)\n",
                      info->ref_df[a], table[term * 4 + 1], info->chi_sq[a], table[term * 4 + 2], info->p_value[a],
                      table[term * 4 + 3]);
        assert_close(info->edf[a] / table[term * 4], 1.0, 1e-4, 0, "summary edf", (long)a);
        assert_close(info->ref_df[a] / table[term * 4 + 1], 1.0, 1e-4, 0, "Ref.df", (long)a);
        assert_close(info->chi_sq[a] / table[term * 4 + 2], 1.0, 1e-4, 0, "Chi.sq", (long)a);
        assert_close(info->p_value[a], table[term * 4 + 3], 1e-4 * table[term * 4 + 3], 1e-12, "p-value", (long)a);
    }
    assert_int_equal(info->edf[2], info->edf[3]);

    /* blocks that overlap without being the same are refused */
    gam_smooth overlapping[2] = {smooths[0], {5, 9, s2.penalty, 8, log_pdet2, 1.0}};
    irls_result *refused = NULL;
    assert_int_equal(gam_fit(design, 0, "y", overlapping, 2, &options, &refused, &err), VT_EBADLEN);
    assert_null(refused);

    irls_result_free(fit);
    irls_design_free(design);
    for (size_t t = 0; t < p; t++)
        free(names[t]);
    free(names);
    free(penalty);
    free(x);
    smooth_free(&s1);
    smooth_free(&s2);
    tensor_free(&ti);
    free(x1);
    free(x2);
    free(y);
    free(sp);
    free(edf);
    free(eta_r);
    free(table);
    cJSON_Delete(fixture);
}

int main(int argc, char **argv)
{
    if (argc == 3 && (strcmp(argv[1], "ti-fixed") == 0 || strcmp(argv[1], "ti-reml") == 0)) {
        mode = argv[1];
        fixture_path = argv[2];
        const struct CMUnitTest tests[] = {cmocka_unit_test(ti_should_match_mgcv)};
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    if (argc == 4 && strcmp(argv[1], "truth") == 0) {
        model_path = argv[2];
        fixture_path = argv[3];
        const struct CMUnitTest tests[] = {cmocka_unit_test(curves_should_hold_the_truth)};
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    if (argc == 3 && strcmp(argv[1], "straight") == 0) {
        model_path = argv[2];
        const struct CMUnitTest tests[] = {cmocka_unit_test(smooths_should_be_straight)};
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    if (argc != 5 || (strcmp(argv[1], "fixed") != 0 && strcmp(argv[1], "reml") != 0)) {
        fprintf(stderr, "usage: check_gam fixed|reml MODEL.json FIXTURE.json DATA.csv\n"
                        "       check_gam truth MODEL.json DATA.csv.truth.json\n"
                        "       check_gam straight MODEL.json\n"
                        "       check_gam ti-fixed|ti-reml FIXTURE.json\n");
        return 2;
    }
    mode = argv[1];
    model_path = argv[2];
    fixture_path = argv[3];
    data_path = argv[4];
    const struct CMUnitTest tests[] = {cmocka_unit_test(model_should_match_mgcv)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
