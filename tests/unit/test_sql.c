/* sql: the SQL a model exports.  What the engines compute is checked
 * against predict on real PostgreSQL and DuckDB (tests/db); here: quoting
 * per dialect, coefficients that read back exactly, terms in the scorer's
 * order, the logistic's cut-offs, notes, smooth terms (each basis column as
 * smooth_eval has it, and golden files for the dialects not run), and
 * failures. */
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
#include "testutil.h"

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

/* num_parse's syntax (numparse.h) as the SQL tests it. */
#define SQL_TEST_NUMBER "^[ \t]*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?[ \t]*$"

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
        /* PostgreSQL: E'...' means the same under either standard_conforming_strings */
        {SQL_POSTGRES, "a \"b\" 'c' \\d", "\"a \"\"b\"\" 'c' \\d\"", "E'a \"b\" ''c'' \\\\d'"},
        {SQL_DUCKDB, "a \"b\" 'c' \\d", "\"a \"\"b\"\" 'c' \\d\"", "'a \"b\" ''c'' \\d'"},
        {SQL_SNOWFLAKE, "a \"b\" 'c' \\d", "\"a \"\"b\"\" 'c' \\d\"", "'a \"b\" ''c'' \\\\d'"},
        {SQL_SPARK, "a `b` 'c' \\d", "`a ``b`` 'c' \\d`", "'a `b` \\'c\\' \\\\d'"},
        {SQL_BIGQUERY, "a `b` 'c' \\d\n", "`a \\`b\\` 'c' \\\\d\\x0A`", "'a `b` \\'c\\' \\\\d\\x0A'"},
        {SQL_POSTGRES, "line\nbreak", "\"line\nbreak\"", "E'line\nbreak'"},
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
    /* a numeric cell: in a text column missing by its text, else cast only if it is a number (not
     * inf, 1_000, ...); in a column of numbers by its value, never written as text */
    find(text, "CASE WHEN CASE WHEN typeof(vt_src.\"usage\") = 'VARCHAR' THEN vt_src.\"usage\" IS NULL OR "
               "LTRIM(CAST(vt_src.\"usage\" AS VARCHAR), ' \t') = '' OR LOWER(CAST(vt_src.\"usage\" AS VARCHAR)) "
               "IN ('na', 'nan', 'null') ELSE vt_src.\"usage\" IS NULL OR CAST(vt_src.\"usage\" AS DOUBLE) <> "
               "CAST(vt_src.\"usage\" AS DOUBLE) OR CAST(vt_src.\"usage\" AS DOUBLE) = CAST('NaN' AS DOUBLE) END "
               "THEN 1.0000000000000001e-01 ELSE CASE WHEN typeof(vt_src.\"usage\") = 'VARCHAR' THEN "
               "CASE WHEN regexp_full_match(CAST(vt_src.\"usage\" AS VARCHAR), '" SQL_TEST_NUMBER "') "
               "THEN CASE WHEN CAST(vt_src.\"usage\" AS DOUBLE) BETWEEN -1.7976931348623157e+308 AND "
               "1.7976931348623157e+308 THEN CAST(vt_src.\"usage\" AS DOUBLE) END END "
               "ELSE CASE WHEN CAST(vt_src.\"usage\" AS DOUBLE) BETWEEN -1.7976931348623157e+308 AND "
               "1.7976931348623157e+308 THEN CAST(vt_src.\"usage\" AS DOUBLE) END END END AS vt_x0");
    find(text, "SELECT vt_src.\"account id\" AS vt_id");
    find(text, "SELECT vt_id AS \"account id\"");
    assert_null(strstr(text, "vt_knot")); /* no smooth: no basis steps */
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
    find(text, "WHEN vt_l1 IS NULL THEN E'unseen level of plan'");
    find(text, "CASE WHEN vt_note IS NULL THEN vt_p0 END AS churn_risk");
    free(text);
    text = build(m, SQL_POSTGRES, 1, NULL);
    assert_null(strstr(text, "unseen level"));
    /* a numeric cell can still be a word predict refuses */
    find(text, "CASE WHEN vt_x0 IS NULL THEN E'not a number in usage' END AS vt_note");
    find(text, "CASE WHEN vt_note IS NULL THEN vt_p0 END AS churn_risk");
    free(text);
    /* predict's first refused cell in the row, column by column */
    m->enc->missing = MISSING_ERROR;
    text = build(m, SQL_POSTGRES, 0, NULL);
    find(text, "CASE WHEN vt_x0 IS NULL THEN E'not a number in usage' WHEN vt_m0 = 1 THEN E'missing value of usage' "
               "WHEN vt_l1 IS NULL THEN E'unseen level of plan' WHEN vt_l1 = -1 THEN E'missing value of plan' END");
    free(text);
    model_free(m);
}

/* A --na token that is a number is matched by value too where the column
 * is typed as numbers (DuckDB writes -999 read as DOUBLE as -999.0); by
 * its text alone in a text column, as predict matches it. */
static void sql_should_match_a_numeric_na_token_by_value_in_a_numeric_column(void **state)
{
    (void)state;
    model *m = make_model(1);
    m->na_tokens = calloc(2, sizeof(char *));
    m->na_tokens[0] = strdup("\\");
    m->na_tokens[1] = strdup("-999");
    m->n_na_tokens = 2;
    char *text = build(m, SQL_DUCKDB, 0, NULL);
    /* by text in a text column, by value in a column of numbers */
    find(text, "LOWER(CAST(vt_src.\"usage\" AS VARCHAR)) IN ('na', 'nan', 'null') OR "
               "CAST(vt_src.\"usage\" AS VARCHAR) IN ('\\', '-999') ELSE vt_src.\"usage\" IS NULL");
    find(text, "= CAST('NaN' AS DOUBLE) OR CAST(vt_src.\"usage\" AS DOUBLE) IN (-9.9900000000000000e+02) END");
    /* a categorical column's cells are text: no value */
    assert_null(strstr(text, "CAST(vt_src.\"plan\" AS DOUBLE)"));
    free(text);
    /* an engine that cannot tell the type: by text, then by value where the text is a number */
    text = build(m, SQL_SNOWFLAKE, 0, NULL);
    find(text, "IN ('\\\\', '-999') OR CASE WHEN REGEXP_LIKE(CAST(vt_src.\"usage\" AS VARCHAR), '" SQL_TEST_NUMBER
               "') THEN FALSE OR CAST(vt_src.\"usage\" AS DOUBLE) IN (-9.9900000000000000e+02) ELSE FALSE END");
    free(text);
    model_free(m);
}

/* Only a model with no numeric feature, its unseen levels scored as the
 * baseline, leaves every row scored. */
static void sql_should_leave_the_note_null_when_no_row_can_go_unscored(void **state)
{
    (void)state;
    model *m = make_model(1);
    m->enc->features[0].type = TYPE_CATEGORICAL; /* usage as levels: the same terms, read as text */
    m->enc->features[0].n_levels = 1;
    m->enc->features[0].levels = calloc(1, sizeof(char *));
    m->enc->features[0].levels[0] = strdup("low");
    char *text = build(m, SQL_POSTGRES, 1, NULL);
    find(text, "CAST(NULL AS TEXT) AS vitals_note");
    find(text, "vt_p0 AS churn_risk");
    assert_null(strstr(text, "vt_note"));
    free(text);
    model_free(m);
}

/* A categorical feature whose two levels train reads as a binary label
 * gives them for a BOOLEAN column's true and false: asked of the column's
 * type where the engine can tell, from the text elsewhere. */
static void sql_should_read_a_boolean_column_as_the_model_levels(void **state)
{
    (void)state;
    model *m = make_model(1);
    enc_feature *plan = &m->enc->features[1];
    free(plan->levels[0]);
    free(plan->levels[1]);
    plan->levels[0] = strdup("No");
    plan->levels[1] = strdup("Yes");
    plan->n_levels = 2; /* the third level's term stays: the test reads the encoding only */
    char *text = build(m, SQL_DUCKDB, 0, NULL);
    find(text, "CASE WHEN typeof(vt_src.\"plan\") = 'BOOLEAN' THEN CASE CAST(vt_src.\"plan\" AS VARCHAR) "
               "WHEN 'true' THEN 'Yes' WHEN 'false' THEN 'No' END ELSE CAST(vt_src.\"plan\" AS VARCHAR) END = 'Yes' THEN 1");
    free(text);
    text = build(m, SQL_POSTGRES, 0, NULL);
    /* PostgreSQL: each type asked once per row, in a step of its own (pg_typeof is not folded) */
    find(text, "CASE WHEN vt_src.vt_b1 = 1 THEN CASE CAST(vt_src.\"plan\" AS TEXT) "
               "WHEN 'true' THEN E'Yes' WHEN 'false' THEN E'No' END ELSE CAST(vt_src.\"plan\" AS TEXT) END");
    find(text, "SELECT vt_src.*,\n  CASE WHEN CAST(pg_typeof(vt_src.\"usage\") AS OID) IN (25, 1043, 1042) THEN 1 ELSE 0 END "
               "AS vt_t0,\n  CASE WHEN CAST(pg_typeof(vt_src.\"plan\") AS OID) = 16 THEN 1 ELSE 0 END AS vt_b1\n"
               "FROM accounts AS vt_src OFFSET 0\n) AS vt_src OFFSET 0\n) AS vt_encoded");
    free(text);
    text = build(m, SQL_BIGQUERY, 0, NULL);
    find(text, "CASE CAST(vt_src.`plan` AS STRING) WHEN 'true' THEN 'Yes' WHEN 'false' THEN 'No' "
               "ELSE CAST(vt_src.`plan` AS STRING) END");
    free(text);
    /* already an engine's spelling of a BOOLEAN; levels that are not a label, or not two sides of one */
    static const char *const plain[][2] = {{"false", "true"}, {"no", "maybe"}, {"yes", "true"}};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        free(plan->levels[0]);
        free(plan->levels[1]);
        plan->levels[0] = strdup(plain[i][0]);
        plan->levels[1] = strdup(plain[i][1]);
        text = build(m, SQL_DUCKDB, 0, NULL);
        assert_null(strstr(text, "= 'BOOLEAN'"));
        free(text);
    }
    plan->n_levels = 3;
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
    assert_non_null(strstr(err.msg, "--key COL"));
    /* --key names the column, quoted as a name: never SQL of its own */
    options.key = "acct\" FROM x; --";
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_OK);
    find(text, "SELECT vt_src.\"acct\"\" FROM x; --\" AS vt_id");
    find(text, "SELECT vt_id AS \"acct\"\" FROM x; --\",");
    free(text);
    text = NULL;
    options.key = "health";
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_EUSAGE);
    assert_null(text);
    assert_non_null(strstr(err.msg, "--key: 'health' has the name of an output column"));
    options.key = "";
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_EUSAGE);
    model_free(m);
    /* --key over the model's id */
    m = make_model(1);
    options.key = "other";
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_OK);
    find(text, "SELECT vt_id AS \"other\",");
    assert_null(strstr(text, "account id"));
    free(text);
    text = NULL;
    options.key = NULL;
    options.from = "";
    assert_int_equal(sql_build(m, "m.json", &options, &text, &err), VT_EUSAGE);
    model_free(m);
}

/* The small smooth model of tests/data/sql: segment; seats (linear);
 * usage_trend and nps smooth with k = 4, nps with nps_missing. */
static model *load_smooth_model(void)
{
    model *m = NULL;
    vt_err err = {0};
    if (model_load(FIXTURES "/sql/smooth.json", &m, &err) != VT_OK)
        fail_msg("%s", err.msg);
    return m;
}

static void find_double(const char *text, const char *before, double value, const char *after)
{
    char part[256];
    snprintf(part, sizeof part, "%s%.16e%s", before, value, after);
    const char *at = find(text, part);
    assert_true(strtod(at + strlen(before), NULL) == value);
}

/* Per smooth feature f: the interval (knots[k-1] itself in interval k - 1),
 * the offset from the interval's knot, and each basis column's cubic on
 * every interval by Horner's rule with every coefficient of spec->poly; the
 * log-odds adds the basis terms in term order, then nps_missing. */
static void sql_should_write_each_basis_column_as_smooth_eval(void **state)
{
    (void)state;
    model *m = load_smooth_model();
    char *text = build(m, SQL_DUCKDB, 0, NULL);
    size_t n_smooth = 0;
    for (size_t f = 0; f < m->enc->n_features; f++) {
        const smooth_spec *spec = m->enc->features[f].smooth;
        if (spec == NULL)
            continue;
        n_smooth++;
        size_t k = spec->k;
        char part[256];
        snprintf(part, sizeof part, " WHEN vt_x%zu <= %.16e THEN %zu ELSE %zu END AS vt_i%zu,", f,
                 spec->knots[k - 1], k - 1, k, f);
        find(text, part);
        snprintf(part, sizeof part, "vt_x%zu - CASE WHEN vt_x%zu < ", f, f);
        find_double(text, part, spec->knots[0], " THEN ");
        snprintf(part, sizeof part, " THEN %.16e ELSE ", spec->knots[k - 2]);
        find_double(text, part, spec->knots[k - 1], " END AS vt_d");
        for (size_t j = 0; j < k - 1; j++) {
            char column[4096];
            size_t used = (size_t)snprintf(column, sizeof column, "CASE vt_i%zu", f);
            for (size_t i = 0; i <= k; i++) {
                const double *c = spec->poly + (i * (k - 1) + j) * 4;
                used += (size_t)snprintf(column + used, sizeof column - used,
                                         "\n    WHEN %zu THEN ((%.16e * vt_d%zu + %.16e) * vt_d%zu + %.16e)"
                                         " * vt_d%zu + %.16e",
                                         i, c[3], f, c[2], f, c[1], f, c[0]);
            }
            snprintf(column + used, sizeof column - used, " END AS vt_s%zu_%zu", f, j + 1);
            find(text, column);
        }
    }
    assert_int_equal(n_smooth, 2);
    const double *beta = m->targets[0].estimate;
    const char *previous = find(text, "AS vt_note,");
    for (size_t t = 1; t < m->enc->n_terms; t++) {
        char literal[64];
        snprintf(literal, sizeof literal, "%.16e", beta[t]);
        const char *at = find(previous, literal);
        if (strncmp(m->enc->term_names[t], "s(", 2) == 0) {
            long f = m->enc->term_feature[t];
            char term[64];
            snprintf(term, sizeof term, " * vt_s%ld_%zu\n", f, t - m->enc->features[f].first_term + 1);
            assert_ptr_equal(at + strlen(literal), strstr(at, term));
        }
        previous = at;
    }
    free(text);
    model_free(m);
}

/* PostgreSQL picks each coefficient from a 0-based array of the k + 1
 * intervals' values (a CASE per interval makes its JIT take minutes). */
static void sql_should_index_coefficient_arrays_in_postgres(void **state)
{
    (void)state;
    model *m = load_smooth_model();
    char *text = build(m, SQL_POSTGRES, 0, NULL);
    for (size_t f = 0; f < m->enc->n_features; f++) {
        const smooth_spec *spec = m->enc->features[f].smooth;
        for (size_t j = 0; spec && j < spec->k - 1; j++) {
            char column[4096];
            size_t used = (size_t)snprintf(column, sizeof column, "((");
            for (int p = 3; p >= 0; p--) {
                used += (size_t)snprintf(column + used, sizeof column - used, "(CAST('[0:%zu]={", spec->k);
                for (size_t i = 0; i <= spec->k; i++)
                    used += (size_t)snprintf(column + used, sizeof column - used, "%s%.16e", i ? "," : "",
                                             spec->poly[(i * (spec->k - 1) + j) * 4 + p]);
                used += (size_t)snprintf(column + used, sizeof column - used,
                                         "}' AS DOUBLE PRECISION[]))[vt_i%zu]%s", f,
                                         p == 3 ? " * vt_d" : p ? ") * vt_d" : "");
                if (p)
                    used += (size_t)snprintf(column + used, sizeof column - used, "%zu + ", f);
            }
            snprintf(column + used, sizeof column - used, " AS vt_s%zu_%zu", f, j + 1);
            find(text, column);
        }
    }
    find(text, "vt_x3 - CASE WHEN vt_x3 < CAST(");
    assert_null(strstr(text, "CASE vt_i"));
    free(text);
    model_free(m);
}

/* Spark SQL, BigQuery and Snowflake are not run in the tests: their
 * statements for the smooth model are the golden files of tests/data/sql,
 * made with
 *   vitals sql tests/data/sql/smooth.json --from warehouse.accounts \
 *     --view analytics.account_scores --dialect D -o tests/data/sql/smooth-D.sql */
static void sql_should_match_the_golden_files_of_a_smooth_model(void **state)
{
    (void)state;
    model *m = load_smooth_model();
    static const sql_dialect dialects[] = {SQL_SPARK, SQL_BIGQUERY, SQL_SNOWFLAKE};
    for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++) {
        sql_options options = {.dialect = dialects[i], .from = "warehouse.accounts",
                               .view = "analytics.account_scores"};
        char *text = NULL, path[512];
        vt_err err = {0};
        assert_int_equal(sql_build(m, "smooth.json", &options, &text, &err), VT_OK);
        snprintf(path, sizeof path, FIXTURES "/sql/smooth-%s.sql", sql_dialect_names[dialects[i]]);
        char *golden = test_read_text(path);
        if (golden == NULL)
            fail_msg("cannot read %s", path);
        if (strcmp(text, golden) != 0)
            fail_msg("%s differs from the statement built now", path);
        free(golden);
        free(text);
    }
    model_free(m);
}

static void fail_cleanly_out_of_memory(model *m)
{
    sql_options options = {.dialect = SQL_BIGQUERY, .from = "accounts", .view = "v"};
    int failed = 0;
    for (unsigned long n = 1; n < 1000; n++) {
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

static void sql_should_fail_cleanly_out_of_memory(void **state)
{
    (void)state;
    fail_cleanly_out_of_memory(make_model(1));
    fail_cleanly_out_of_memory(load_smooth_model());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sql_should_quote_per_dialect),
        cmocka_unit_test(sql_should_write_exact_coefficients_in_term_order),
        cmocka_unit_test(sql_should_never_call_exp_where_postgres_raises),
        cmocka_unit_test(sql_should_note_unseen_levels_unless_baseline),
        cmocka_unit_test(sql_should_leave_the_note_null_when_no_row_can_go_unscored),
        cmocka_unit_test(sql_should_match_a_numeric_na_token_by_value_in_a_numeric_column),
        cmocka_unit_test(sql_should_read_a_boolean_column_as_the_model_levels),
        cmocka_unit_test(sql_should_refuse_a_model_without_id_or_a_missing_from),
        cmocka_unit_test(sql_should_write_each_basis_column_as_smooth_eval),
        cmocka_unit_test(sql_should_index_coefficient_arrays_in_postgres),
        cmocka_unit_test(sql_should_match_the_golden_files_of_a_smooth_model),
        cmocka_unit_test(sql_should_fail_cleanly_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
