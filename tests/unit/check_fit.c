/* check_fit: compare a model the command line wrote with a reference.
 *
 *   check_fit telco MODEL.json telco_glm.json (or telco_interact_glm.json)
 *       every term's estimate and standard error within
 *       1e-6 * max(|R|, SE_R) of R 4.2.2's glm; the same aliased terms;
 *       deviance, null deviance and AIC within 1e-8 relative.
 *   check_fit truth MODEL.json DATA.csv.truth.json
 *       every true coefficient within 4 standard errors of its estimate,
 *       for churn and expansion.
 *   check_fit explain MODEL.json SCORES.csv
 *       (predict --explain with every feature and pair) drivers + baseline = log-odds.
 *   check_fit confint SUMMARY.json telco_confint.json
 *       (summary --json) intervals, odds ratios, standardised coefficients
 *       and McFadden's R2 equal R's confint.default and friends.
 *   check_fit jsonl MODEL.json SCORES.jsonl
 *       (predict --format jsonl --explain N) every line is a score object.
 *   check_fit ridge MODEL.json ridge_glmnet.json FIT
 *       (train --l2) the churn estimates equal glmnet's fit FIT (alpha = 0,
 *       standardize = TRUE): each within 1e-6 relative, or, for a term whose
 *       standardised size |beta sd| is below 1e-3, within 1e-9 standardised. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csv_reader.h"
#include "encode.h"
#include "model.h"
#include "testutil.h"

static const char *model_path, *reference_path;

static long term_index(const model *m, const char *name)
{
    for (size_t t = 0; t < m->enc->n_terms; t++)
        if (strcmp(m->enc->term_names[t], name) == 0)
            return (long)t;
    return -1;
}

static void assert_relative(double ours, double theirs, double tolerance, const char *what)
{
    double scale = fabs(theirs) > 0 ? fabs(theirs) : 1.0;
    if (fabs(ours - theirs) > tolerance * scale)
        fail_msg("%s: ours %.17g, R %.17g", what, ours, theirs);
}

/* Every term of R's coefficient list against the target: aliased where R
 * has NA, else estimate and SE within 1e-6 x max(|R|, SE_R).  Counts the
 * aliased terms; returns the largest scaled difference. */
static double compare_with_r(const model *m, const model_target *target, const cJSON *coefficients, size_t *n_aliased)
{
    assert_int_equal((size_t)cJSON_GetArraySize(coefficients), m->enc->n_terms);
    double worst = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, coefficients) {
        const char *term = cJSON_GetObjectItem(item, "term")->valuestring;
        long t = term_index(m, term);
        if (t < 0)
            fail_msg("R's term '%s' is not in the model", term);
        if (cJSON_IsTrue(cJSON_GetObjectItem(item, "aliased"))) {
            if (!target->aliased[t])
                fail_msg("'%s' is aliased in R but not in vitals", term);
            (*n_aliased)++;
            continue;
        }
        if (target->aliased[t])
            fail_msg("'%s' is aliased in vitals but not in R", term);
        double estimate = cJSON_GetObjectItem(item, "estimate")->valuedouble;
        double se = cJSON_GetObjectItem(item, "std_error")->valuedouble;
        double tolerance = 1e-6 * fmax(fabs(estimate), se);
        double d_estimate = fabs(target->estimate[t] - estimate), d_se = fabs(target->std_error[t] - se);
        if (d_estimate > tolerance || d_se > tolerance)
            fail_msg("%s: estimate %.17g vs R %.17g, SE %.17g vs R %.17g", term, target->estimate[t], estimate,
                     target->std_error[t], se);
        worst = fmax(worst, fmax(d_estimate, d_se) / fmax(fabs(estimate), se));
    }
    return worst;
}

static void telco_should_match_r_glm(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    cJSON *reference = test_read_json(reference_path);
    assert_non_null(reference);
    const model_target *churn = model_find_target(m, "churn");
    assert_non_null(churn);

    size_t n_aliased = 0, r_aliased = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(reference, "coefficients"))
        r_aliased += cJSON_IsTrue(cJSON_GetObjectItem(item, "aliased"));
    double worst = compare_with_r(m, churn, cJSON_GetObjectItem(reference, "coefficients"), &n_aliased);
    print_message("largest |vitals - R| / max(|R|, SE_R): %.3g\n", worst);
    assert_true(r_aliased >= 7); /* the Telco data's own: No phone service, No internet service x 6 */
    assert_int_equal(n_aliased, r_aliased);
    assert_relative(churn->deviance, cJSON_GetObjectItem(reference, "deviance")->valuedouble, 1e-8, "deviance");
    assert_relative(churn->null_deviance, cJSON_GetObjectItem(reference, "null_deviance")->valuedouble, 1e-8,
                    "null deviance");
    assert_relative(churn->aic, cJSON_GetObjectItem(reference, "aic")->valuedouble, 1e-8, "AIC");
    assert_relative(churn->bic, cJSON_GetObjectItem(reference, "bic")->valuedouble, 1e-8, "BIC");
    assert_relative(churn->log_likelihood, cJSON_GetObjectItem(reference, "log_likelihood")->valuedouble, 1e-8,
                    "log-likelihood");
    assert_int_equal(churn->df_residual, (size_t)cJSON_GetObjectItem(reference, "df_residual")->valuedouble);
    assert_int_equal(churn->n_obs, (size_t)cJSON_GetObjectItem(reference, "rows_used")->valuedouble);
    assert_int_equal(churn->iterations, (int)cJSON_GetObjectItem(reference, "iterations")->valuedouble);
    assert_true(churn->converged);
    cJSON_Delete(reference);
    model_free(m);
}

/* A weighted fit against R's glm(weights =) on the same rows. */
static void weighted_fit_should_match_r_glm(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    cJSON *reference = test_read_json(reference_path);
    assert_non_null(reference);
    const model_target *churn = model_find_target(m, "churn");
    assert_non_null(churn);
    size_t n_aliased = 0;
    double worst = compare_with_r(m, churn, cJSON_GetObjectItem(reference, "coefficients"), &n_aliased);
    assert_int_equal(n_aliased, 0);
    print_message("%zu terms: largest |vitals - R| / max(|R|, SE_R) = %.3g\n", m->enc->n_terms, worst);
    assert_relative(churn->deviance, cJSON_GetObjectItem(reference, "deviance")->valuedouble, 1e-8, "deviance");
    assert_relative(churn->null_deviance, cJSON_GetObjectItem(reference, "null_deviance")->valuedouble, 1e-8,
                    "null deviance");
    assert_relative(churn->aic, cJSON_GetObjectItem(reference, "aic")->valuedouble, 1e-8, "AIC");
    assert_int_equal(churn->df_residual, (size_t)cJSON_GetObjectItem(reference, "df_residual")->valuedouble);
    assert_int_equal(churn->iterations, (int)cJSON_GetObjectItem(reference, "iterations")->valuedouble);
    cJSON_Delete(reference);
    model_free(m);
}

static void generated_truth_should_lie_within_4_se(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    cJSON *truth = test_read_json(reference_path);
    assert_non_null(truth);
    const char *targets[] = {"churn", "expansion"};
    for (int k = 0; k < 2; k++) {
        const model_target *target = model_find_target(m, targets[k]);
        assert_non_null(target);
        const cJSON *coefficients =
            cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(truth, "targets"), targets[k]), "coefficients");
        assert_int_equal((size_t)cJSON_GetArraySize(coefficients), m->enc->n_terms);
        double worst = 0;
        const cJSON *item;
        cJSON_ArrayForEach(item, coefficients) {
            long t = term_index(m, item->string);
            if (t < 0)
                fail_msg("true term '%s' is not in the model", item->string);
            assert_false(target->aliased[t]);
            double z = (target->estimate[t] - item->valuedouble) / target->std_error[t];
            if (fabs(z) > 4)
                fail_msg("%s %s: estimate %.6g, truth %.6g, %.2f SE away", targets[k], item->string,
                         target->estimate[t], item->valuedouble, z);
            worst = fmax(worst, fabs(z));
        }
        print_message("%s: largest |estimate - truth| / SE = %.2f\n", targets[k], worst);
    }
    cJSON_Delete(truth);
    model_free(m);
}

/* Every account's drivers (all features) plus the baseline log-odds must
 * sum to its log-odds, for each target. */
static void explanations_should_sum_to_the_log_odds(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    csv_reader *scores = NULL;
    assert_int_equal(csv_reader_open(reference_path, ',', &scores, &err), VT_OK);
    size_t n_features = encoding_n_effects(m->enc), n_rows = 0; /* pairs are drivers too */
    double worst = 0;
    for (;;) {
        const csv_row *row = NULL;
        assert_int_equal(csv_reader_next(scores, &row, &err), VT_OK);
        if (row == NULL)
            break;
        for (size_t k = 0; k < m->n_targets; k++) {
            const model_target *target = &m->targets[k];
            double baseline = target->estimate[0], sum = 0;
            for (size_t t = 1; t < m->enc->n_terms; t++)
                if (!target->aliased[t])
                    baseline += target->estimate[t] * m->enc->term_mean[t];
            /* id, probabilities, health, bucket, then feature,effect pairs per target */
            size_t first = 1 + m->n_targets + 2 + k * 2 * n_features;
            for (size_t f = 0; f < n_features; f++)
                sum += strtod(row->fields[first + 2 * f + 1], NULL);
            double p = strtod(row->fields[1 + k], NULL);
            double log_odds = log(p / (1 - p));
            double gap = fabs(baseline + sum - log_odds);
            if (gap > 1e-9 * fmax(1, fabs(log_odds)))
                fail_msg("line %ld target %s: baseline %.17g + effects %.17g != log-odds %.17g", row->line,
                         target->name, baseline, sum, log_odds);
            worst = fmax(worst, gap);
        }
        n_rows++;
    }
    print_message("%zu rows: largest |baseline + effects - log-odds| = %.3g\n", n_rows, worst);
    assert_true(n_rows > 0);
    csv_reader_free(scores);
    model_free(m);
}

/* Every line of a JSON-lines output is one object with the score fields. */
static void jsonl_should_parse_line_by_line(void **state)
{
    (void)state;
    FILE *in = fopen(reference_path, "r");
    assert_non_null(in);
    char line[65536];
    size_t n = 0;
    while (fgets(line, sizeof line, in)) {
        cJSON *object = cJSON_Parse(line);
        if (object == NULL)
            fail_msg("line %zu does not parse: %s", n + 1, line);
        assert_true(cJSON_IsString(cJSON_GetObjectItem(object, "id")));
        double risk = cJSON_GetObjectItem(object, "churn_risk")->valuedouble;
        assert_true(risk > 0 && risk < 1);
        assert_true(cJSON_IsNumber(cJSON_GetObjectItem(object, "health")));
        assert_true(cJSON_IsString(cJSON_GetObjectItem(object, "bucket")));
        assert_true(cJSON_IsArray(cJSON_GetObjectItem(object, "churn_drivers")));
        cJSON_Delete(object);
        n++;
    }
    fclose(in);
    print_message("%zu JSON lines parsed\n", n);
    assert_true(n > 0);
}

/* summary --json against R's confint.default, exp(coef) and coef x sd. */
static void summary_should_match_r_confint(void **state)
{
    (void)state;
    cJSON *summary = test_read_json(model_path), *reference = test_read_json(reference_path);
    assert_non_null(summary);
    assert_non_null(reference);
    const cJSON *target = cJSON_GetArrayItem(cJSON_GetObjectItem(summary, "targets"), 0);
    double level = cJSON_GetObjectItem(target, "confidence")->valuedouble;
    char key[16];
    snprintf(key, sizeof key, "%g", level);
    const cJSON *expected = cJSON_GetObjectItem(reference, key);
    if (expected == NULL)
        fail_msg("no R intervals at level %s in the fixture", key);
    const cJSON *terms = cJSON_GetObjectItem(target, "terms"), *item;
    size_t checked = 0;
    double worst = 0;
    cJSON_ArrayForEach(item, expected) {
        const char *name = cJSON_GetObjectItem(item, "term")->valuestring;
        const cJSON *ours = NULL, *term;
        cJSON_ArrayForEach(term, terms)
            if (strcmp(cJSON_GetObjectItem(term, "term")->valuestring, name) == 0)
                ours = term;
        if (ours == NULL)
            fail_msg("term '%s' missing from the summary", name);
        double low = cJSON_GetObjectItem(item, "low")->valuedouble, high = cJSON_GetObjectItem(item, "high")->valuedouble;
        double scale = fmax(fmax(fabs(low), fabs(high)), high - low);
        const char *keys[][2] = {{"ci_low", "low"}, {"ci_high", "high"}, {"odds_ratio", "odds_ratio"},
                                 {"standardised", "standardised"}};
        for (int k = 0; k < 4; k++) {
            double a = cJSON_GetObjectItem(ours, keys[k][0])->valuedouble;
            double b = cJSON_GetObjectItem(item, keys[k][1])->valuedouble;
            double tolerance = 1e-6 * (k < 2 ? scale : fmax(fabs(b), 1e-12));
            if (fabs(a - b) > tolerance)
                fail_msg("%s %s: ours %.17g, R %.17g", name, keys[k][0], a, b);
            worst = fmax(worst, fabs(a - b) / (k < 2 ? scale : fmax(fabs(b), 1e-12)));
        }
        checked++;
    }
    double mcfadden = cJSON_GetObjectItem(cJSON_GetObjectItem(target, "fit"), "mcfadden_r2")->valuedouble;
    assert_true(fabs(mcfadden - cJSON_GetObjectItem(reference, "mcfadden_r2")->valuedouble) < 1e-12);
    print_message("%zu terms at level %s: largest relative difference from R %.3g\n", checked, key, worst);
    assert_int_equal(checked, 24);
    cJSON_Delete(summary);
    cJSON_Delete(reference);
}

/* train --l2 against glmnet's ridge on the same rows (make_ridge_glmnet.R). */
static const char *fit_name;

static void ridge_should_match_glmnet(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    cJSON *reference = test_read_json(reference_path);
    assert_non_null(reference);
    const cJSON *fit = NULL, *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(reference, "fits"))
        if (strcmp(cJSON_GetObjectItem(item, "name")->valuestring, fit_name) == 0)
            fit = item;
    if (fit == NULL)
        fail_msg("no fit '%s' in %s", fit_name, reference_path);
    const model_target *churn = model_find_target(m, "churn");
    assert_non_null(churn);
    assert_true(churn->l2 == cJSON_GetObjectItem(fit, "l2")->valuedouble);
    assert_int_equal(m->weight_column != NULL, cJSON_IsTrue(cJSON_GetObjectItem(fit, "weighted")));
    const cJSON *coefficients = cJSON_GetObjectItem(fit, "coefficients");
    assert_int_equal((size_t)cJSON_GetArraySize(coefficients), m->enc->n_terms);
    double worst = 0;
    cJSON_ArrayForEach(item, coefficients) {
        const char *term = cJSON_GetObjectItem(item, "term")->valuestring;
        long t = term_index(m, term);
        if (t < 0)
            fail_msg("glmnet's term '%s' is not in the model", term);
        assert_false(churn->aliased[t]);
        double theirs = cJSON_GetObjectItem(item, "estimate")->valuedouble, ours = churn->estimate[t];
        double sd = t == 0 ? 1.0 : m->enc->term_sd[t], gap = fabs(ours - theirs);
        int tiny = fabs(theirs) * sd < 1e-3;
        if (tiny ? gap * sd > 1e-9 : gap > 1e-6 * fabs(theirs))
            fail_msg("%s %s: ours %.17g, glmnet %.17g", fit_name, term, ours, theirs);
        if (!tiny)
            worst = fmax(worst, gap / fabs(theirs));
    }
    print_message("%s: %zu terms, largest |vitals - glmnet| / |glmnet| = %.3g\n", fit_name, m->enc->n_terms, worst);
    cJSON_Delete(reference);
    model_free(m);
}

/* Every row scored by its --by level's model (the pooled one for levels
 * without their own): recompute each probability from the model file. */
static const char *scores_path;

static void rows_should_be_scored_by_their_level(void **state)
{
    (void)state;
    model *m = NULL;
    vt_err err = {0};
    assert_int_equal(model_load(model_path, &m, &err), VT_OK);
    assert_non_null(m->by_column);
    csv_reader *data = NULL, *scores = NULL;
    assert_int_equal(csv_reader_open(reference_path, ',', &data, &err), VT_OK);
    assert_int_equal(csv_reader_open(scores_path, ',', &scores, &err), VT_OK);
    size_t n_columns = csv_reader_n_columns(data);
    const char **header = calloc(n_columns, sizeof(char *));
    for (size_t c = 0; c < n_columns; c++)
        header[c] = csv_reader_column(data, c);
    encoder *coder = NULL;
    assert_int_equal(encoder_new(m->enc, "data", header, n_columns, 1, NULL, 0, &coder, &err), VT_OK);
    long by = csv_reader_find(data, m->by_column);
    double *x = calloc(m->enc->n_terms, sizeof(double)), worst = 0;
    size_t rows = 0, own = 0;
    for (;;) {
        const csv_row *row = NULL, *scored = NULL;
        assert_int_equal(csv_reader_next(data, &row, &err), VT_OK);
        assert_int_equal(csv_reader_next(scores, &scored, &err), VT_OK);
        if (row == NULL) {
            assert_null(scored);
            break;
        }
        encoder_counts counts = {0};
        assert_int_equal(encoder_row(coder, row, "data", x, &counts, &err), VT_OK);
        const model_target *target = &m->targets[0];
        for (size_t s = 0; s < m->n_segments; s++)
            if (strcmp(m->segments[s].level, row->fields[by]) == 0 && !m->segments[s].fallback[0]) {
                target = &m->segments[s].targets[0];
                own++;
            }
        double eta = 0;
        for (size_t t = 0; t < m->enc->n_terms; t++)
            if (!target->aliased[t])
                eta += target->estimate[t] * x[t];
        double expected = 1 / (1 + exp(-eta)), got = strtod(scored->fields[1], NULL);
        if (fabs(expected - got) > 1e-12)
            fail_msg("line %ld (%s): scored %.17g, its level's model gives %.17g", row->line, row->fields[by], got,
                     expected);
        worst = fmax(worst, fabs(expected - got));
        rows++;
    }
    print_message("%zu rows, %zu by their level's own model: largest difference %.3g\n", rows, own, worst);
    assert_true(own > 0 && own < rows);
    free(x);
    free(header);
    encoder_free(coder);
    csv_reader_free(data);
    csv_reader_free(scores);
    model_free(m);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "segments") == 0) {
        model_path = argv[2];
        reference_path = argv[3];
        scores_path = argv[4];
        const struct CMUnitTest segments[] = {cmocka_unit_test(rows_should_be_scored_by_their_level)};
        return cmocka_run_group_tests(segments, NULL, NULL);
    }
    if (argc == 5 && strcmp(argv[1], "ridge") == 0) {
        model_path = argv[2];
        reference_path = argv[3];
        fit_name = argv[4];
        const struct CMUnitTest ridge[] = {cmocka_unit_test(ridge_should_match_glmnet)};
        return cmocka_run_group_tests(ridge, NULL, NULL);
    }
    if (argc != 4) {
        fprintf(stderr, "usage: check_fit telco|truth|explain|jsonl|confint|weighted MODEL.json REFERENCE.json|SCORES\n"
                        "       check_fit ridge MODEL.json ridge_glmnet.json FIT\n");
        return 2;
    }
    model_path = argv[2];
    reference_path = argv[3];
    const struct CMUnitTest telco[] = {cmocka_unit_test(telco_should_match_r_glm)};
    const struct CMUnitTest truth[] = {cmocka_unit_test(generated_truth_should_lie_within_4_se)};
    const struct CMUnitTest explain[] = {cmocka_unit_test(explanations_should_sum_to_the_log_odds)};
    const struct CMUnitTest jsonl[] = {cmocka_unit_test(jsonl_should_parse_line_by_line)};
    const struct CMUnitTest confint[] = {cmocka_unit_test(summary_should_match_r_confint)};
    const struct CMUnitTest weighted[] = {cmocka_unit_test(weighted_fit_should_match_r_glm)};
    if (strcmp(argv[1], "weighted") == 0)
        return cmocka_run_group_tests(weighted, NULL, NULL);
    if (strcmp(argv[1], "confint") == 0)
        return cmocka_run_group_tests(confint, NULL, NULL);
    if (strcmp(argv[1], "telco") == 0)
        return cmocka_run_group_tests(telco, NULL, NULL);
    if (strcmp(argv[1], "explain") == 0)
        return cmocka_run_group_tests(explain, NULL, NULL);
    if (strcmp(argv[1], "jsonl") == 0)
        return cmocka_run_group_tests(jsonl, NULL, NULL);
    return cmocka_run_group_tests(truth, NULL, NULL);
}
