/* sql: the SQL a model exports.  What the engines compute is checked
 * against predict on real PostgreSQL and DuckDB (tests/db); here: quoting
 * per dialect, coefficients that read back exactly, terms in the scorer's
 * order, the logistic's cut-offs, notes, and failures. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"
#include "sql.h"

/* id; usage (numeric, with usage_missing); plan (basic, "pro 'x'", elite). */
static model *make_model(int with_id)
{
    model *m = model_new();
    m->id_column = with_id ? strdup("account id") : NULL;
    m->enc = encoding_new();
    m->enc->features = calloc(2, sizeof(enc_feature));
    m->enc->n_features = 2;
    enc_feature *num = &m->enc->features[0], *cat = &m->enc->features[1];
    num->name = strdup("usage");
    num->type = TYPE_NUMERIC;
    num->impute = 0.1;
    num->missing_term = 1;
    cat->name = strdup("plan");
    cat->type = TYPE_CATEGORICAL;
    cat->n_levels = 3;
    cat->levels = calloc(3, sizeof(char *));
    cat->levels[0] = strdup("basic");
    cat->levels[1] = strdup("elite");
    cat->levels[2] = strdup("pro 'x'");
    assert_int_equal(encoding_finish_terms(m->enc), VT_OK);
    /* terms: (Intercept), usage, usage_missing, planelite, planpro 'x' */
    const double estimates[] = {-1.25, 1.0 / 3.0, 0.7, -2.0 / 7.0, 1e-300};
    model_target *target = &m->targets[m->n_targets++];
    target->name = strdup("churn");
    target->label = strdup("churned");
    assert_int_equal(model_target_alloc(target, m->enc->n_terms), VT_OK);
    memcpy(target->estimate, estimates, sizeof estimates);
    target->aliased[2] = 1; /* usage_missing: left out */
    m->red_below = 40;
    m->yellow_below = 70;
    return m;
}

static char *build(const model *m, sql_dialect dialect, int unseen_baseline, const char *view)
{
    sql_options options = {.dialect = dialect, .from = "accounts", .view = view, .unseen_baseline = unseen_baseline};
    char *text = NULL;
    vt_err err = {0};
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_OK);
    assert_non_null(text);
    return text;
}

static const char *find(const char *text, const char *part)
{
    const char *at = strstr(text, part);
    if (at == NULL)
        fail_msg("'%s' not in the SQL:\n%s", part, text);
    return at;
}

static void sql_should_quote_per_dialect(void **state)
{
    (void)state;
    static const struct {
        sql_dialect dialect;
        const char *in, *name, *text;
    } cases[] = {
        {SQL_POSTGRES, "a \"b\" 'c' \\d", "\"a \"\"b\"\" 'c' \\d\"", "'a \"b\" ''c'' \\d'"},
        {SQL_DUCKDB, "a \"b\" 'c' \\d", "\"a \"\"b\"\" 'c' \\d\"", "'a \"b\" ''c'' \\d'"},
        {SQL_SNOWFLAKE, "a \"b\" 'c' \\d", "\"a \"\"b\"\" 'c' \\d\"", "'a \"b\" ''c'' \\\\d'"},
        {SQL_SPARK, "a `b` 'c' \\d", "`a ``b`` 'c' \\d`", "'a `b` \\'c\\' \\\\d'"},
        {SQL_BIGQUERY, "a `b` 'c' \\d\n", "`a \\`b\\` 'c' \\\\d\\x0A`", "'a `b` \\'c\\' \\\\d\\x0A'"},
        {SQL_POSTGRES, "line\nbreak", "\"line\nbreak\"", "'line\nbreak'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *name = sql_quote_name(cases[i].dialect, cases[i].in);
        char *text = sql_quote_text(cases[i].dialect, cases[i].in);
        assert_string_equal(name, cases[i].name);
        assert_string_equal(text, cases[i].text);
        free(name);
        free(text);
    }
}

/* Every coefficient is there as 17 significant digits with an exponent,
 * reading back as the same double; the aliased one is not; the terms come
 * in the scorer's order. */
static void sql_should_write_exact_coefficients_in_term_order(void **state)
{
    (void)state;
    model *m = make_model(1);
    char *text = build(m, SQL_DUCKDB, 0, NULL);
    const char *previous = text;
    for (size_t t = 0; t < m->enc->n_terms; t++) {
        char literal[64];
        snprintf(literal, sizeof literal, "%.16e", m->targets[0].estimate[t]);
        if (m->targets[0].aliased[t]) {
            assert_null(strstr(text, literal));
            continue;
        }
        const char *at = find(text, literal);
        assert_true(at > previous);
        assert_true(strtod(at, NULL) == m->targets[0].estimate[t]);
        previous = at;
    }
    find(text, "WHEN vt_src.\"plan\" IS NULL OR LTRIM(CAST(vt_src.\"plan\" AS VARCHAR), ' \t') = ''");
    find(text, "= 'pro ''x''' THEN 2");
    find(text, "COALESCE(CAST(vt_src.\"usage\" AS DOUBLE), 1.0000000000000001e-01) AS vt_x0");
    find(text, "SELECT vt_src.\"account id\" AS vt_id");
    find(text, "SELECT vt_id AS \"account id\"");
    free(text);
    model_free(m);
}

/* exp is never called where PostgreSQL raises: the cut-off below is the
 * largest double whose exp is 0, and above 709 the probability is 1. */
static void sql_should_never_call_exp_where_postgres_raises(void **state)
{
    (void)state;
    model *m = make_model(1);
    char *text = build(m, SQL_POSTGRES, 0, NULL);
    const char *cut = find(text, "WHEN vt_eta0 > CAST(");
    double below = strtod(cut + strlen("WHEN vt_eta0 > CAST("), NULL);
    assert_true(exp(below) == 0.0);
    assert_true(exp(nextafter(below, 0.0)) > 0.0);
    find(text, "CASE WHEN vt_eta0 > 709 THEN 1 WHEN vt_eta0 >= 0 THEN 1 / (1 + EXP(-vt_eta0))");
    assert_true(1.0 + exp(-709.0) == 1.0);
    assert_true(isfinite(exp(709.0)));
    /* PostgreSQL reads a literal as NUMERIC: each is cast. */
    find(text, "CAST(-1.2500000000000000e+00 AS DOUBLE PRECISION)");
    find(text, " OFFSET 0\n) AS vt_encoded");
    free(text);
    model_free(m);
}

static void sql_should_note_unseen_levels_unless_baseline(void **state)
{
    (void)state;
    model *m = make_model(1);
    char *text = build(m, SQL_POSTGRES, 0, "scores");
    assert_memory_equal(text, "CREATE OR REPLACE VIEW scores AS\n", strlen("CREATE OR REPLACE VIEW scores AS\n"));
    find(text, "WHEN vt_l1 IS NULL THEN 'unseen level of plan'");
    find(text, "CASE WHEN vt_note IS NULL THEN vt_p0 END AS churn_risk");
    free(text);
    text = build(m, SQL_POSTGRES, 1, NULL);
    assert_null(strstr(text, "unseen level"));
    find(text, "CAST(NULL AS TEXT) AS vitals_note");
    find(text, "vt_p0 AS churn_risk");
    free(text);
    m->enc->missing = MISSING_ERROR;
    text = build(m, SQL_POSTGRES, 1, NULL);
    find(text, "CASE WHEN vt_m0 = 1 THEN 'missing value of usage' WHEN vt_l1 = -1 THEN 'missing value of plan' END");
    free(text);
    model_free(m);
}

static void sql_should_refuse_a_model_without_id_or_a_missing_from(void **state)
{
    (void)state;
    model *m = make_model(0);
    sql_options options = {.dialect = SQL_POSTGRES, .from = "accounts"};
    char *text = NULL;
    vt_err err = {0};
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_EDATA);
    assert_null(text);
    assert_non_null(strstr(err.msg, "no id column"));
    model_free(m);
    m = make_model(1);
    options.from = "";
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_EUSAGE);
    model_free(m);
}

static void sql_should_fail_cleanly_out_of_memory(void **state)
{
    (void)state;
    model *m = make_model(1);
    sql_options options = {.dialect = SQL_BIGQUERY, .from = "accounts", .view = "v"};
    int failed = 0;
    for (unsigned long n = 1; n < 200; n++) {
        char *text = NULL;
        vt_err err = {0};
        vt_alloc_fail_at(n);
        vt_status status = sql_build(m, "m.json", &options, &text, &err);
        vt_alloc_fail_at(0);
        if (status == VT_OK) {
            free(text);
            break;
        }
        assert_int_equal(status, VT_ENOMEM);
        assert_null(text);
        failed++;
    }
    assert_true(failed > 0);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sql_should_quote_per_dialect),
        cmocka_unit_test(sql_should_write_exact_coefficients_in_term_order),
        cmocka_unit_test(sql_should_never_call_exp_where_postgres_raises),
        cmocka_unit_test(sql_should_note_unseen_levels_unless_baseline),
        cmocka_unit_test(sql_should_refuse_a_model_without_id_or_a_missing_from),
        cmocka_unit_test(sql_should_fail_cleanly_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
