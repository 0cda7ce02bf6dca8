#include "sql.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "numparse.h"
#include "score.h"
#include "table.h"

const char *const sql_dialect_names[] = {"postgres", "duckdb", "spark", "bigquery", "snowflake", NULL};

/* What differs between the engines, and nothing else. */
typedef struct {
    char name_quote;          /* '"' or '`' */
    int name_backslash;       /* quoted names take backslash escapes (BigQuery) */
    int text_backslash;       /* string literals take backslash escapes */
    int text_escape_string;   /* literals as E'...', backslashes doubled (PostgreSQL: a plain
                                 '...' means two things, by standard_conforming_strings) */
    int text_quote_backslash; /* a quote in a literal as \' (else '') */
    int text_hex_controls;    /* control bytes as \xHH (BigQuery: no raw newline in '...') */
    const char *double_type, *text_type, *int_type;
    int typed_doubles;        /* a numeric literal is NUMERIC: CAST it (PostgreSQL) */
    int offset_fence;         /* OFFSET 0 keeps each step a step (PostgreSQL) */
    int trim_from;            /* TRIM(LEADING chars FROM x) instead of LTRIM(x, chars) (Spark) */
    int poly_arrays;          /* a smooth's coefficients as arrays indexed by interval, not a
                                 CASE (PostgreSQL: its JIT compiles a CASE per interval per
                                 basis column for minutes) */
    const char *matches[3];   /* text matches a regex: [0] text [1] pattern [2] */
    const char *is_boolean[2]; /* the column is typed BOOLEAN: [0] column [1]; NULL where
                                  the engine cannot ask (BigQuery, Snowflake) */
    const char *is_text[2];    /* the column is typed text, the same way */
} dialect_info;

static const dialect_info dialects[] = {
    [SQL_POSTGRES] = {'"', 0, 1, 1, 0, 0, "DOUBLE PRECISION", "TEXT", "INTEGER", 1, 1, 0, 1, {"", " ~ ", ""},
                      {"CAST(pg_typeof(", ") AS OID) = 16"},
                      {"CAST(pg_typeof(", ") AS OID) IN (25, 1043, 1042)"}},
    [SQL_DUCKDB] = {'"', 0, 0, 0, 0, 0, "DOUBLE", "VARCHAR", "INTEGER", 0, 0, 0, 0, {"regexp_full_match(", ", ", ")"},
                    {"typeof(", ") = 'BOOLEAN'"}, {"typeof(", ") = 'VARCHAR'"}},
    [SQL_SPARK] = {'`', 0, 1, 0, 1, 0, "DOUBLE", "STRING", "INT", 0, 0, 1, 0, {"", " RLIKE ", ""},
                  {"typeof(", ") = 'boolean'"}, {"typeof(", ") = 'string'"}},
    [SQL_BIGQUERY] = {'`', 1, 1, 0, 1, 1, "FLOAT64", "STRING", "INT64", 0, 0, 0, 0, {"REGEXP_CONTAINS(", ", ", ")"}, {NULL, NULL},
                     {NULL, NULL}},
    [SQL_SNOWFLAKE] = {'"', 0, 1, 0, 0, 0, "DOUBLE", "VARCHAR", "INTEGER", 0, 0, 0, 0, {"REGEXP_LIKE(", ", ", ")"}, {NULL, NULL},
                      {NULL, NULL}},
};

/* PostgreSQL's types are asked by OID (bool 16; text 25, varchar 1043,
 * char 1042, fixed in every release), and once per row and column in a
 * step of their own (put_types): pg_typeof is called on every row, and
 * three calls per numeric column made the view half again as slow. */

/* The cells num_parse reads as a number (numparse.h), spaces and tabs
 * around; no backslash, so every dialect's literal holds it as written.
 * An engine's cast takes more (inf, 1_000, hex): a cell must match this
 * before it is cast. */
#define SQL_NUMBER_PATTERN "^[ \t]*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?[ \t]*$"

/* The largest double whose exp is 0 (below 2^-1075, half the smallest
 * subnormal, -1075 ln 2 = -745.1332191019411084...): PostgreSQL raises
 * "underflow" for exp there, so the logistic answers 0 itself.  The next
 * double up has exp = 2^-1074, which PostgreSQL returns. */
#define SQL_EXP_ZERO_BELOW (-0x1.74910d52d3052p+9)
/* Above this exp(-eta) is below 2^-53 and 1 + exp(-eta) is 1, so the
 * probability is 1; 709 keeps exp(-eta) far from underflowing. */
#define SQL_ETA_ONE_ABOVE 709

/* ------------------------------------------------------------- quoting */

static void put_hex(text *t, unsigned char c) { text_printf(t, "\\x%02X", c); }

static void put_name(text *t, const dialect_info *d, const char *name)
{
    char quote[2] = {d->name_quote, 0};
    text_puts(t, quote);
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (d->name_backslash && (c == '\\' || c == (unsigned char)d->name_quote))
            text_puts(t, "\\");
        else if (!d->name_backslash && c == (unsigned char)d->name_quote)
            text_puts(t, quote);
        if (d->name_backslash && (c < 0x20 || c == 0x7f))
            put_hex(t, c);
        else
            text_put(t, p, 1);
    }
    text_puts(t, quote);
}

static void put_text(text *t, const dialect_info *d, const char *value)
{
    text_puts(t, d->text_escape_string ? "E'" : "'");
    for (const char *p = value; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\'')
            text_puts(t, d->text_quote_backslash ? "\\'" : "''");
        else if (c == '\\' && d->text_backslash)
            text_puts(t, "\\\\");
        else if (d->text_hex_controls && (c < 0x20 || c == 0x7f))
            put_hex(t, c);
        else
            text_put(t, p, 1);
    }
    text_puts(t, "'");
}

static char *quoted(sql_dialect dialect, const char *s, void (*quote)(text *, const dialect_info *, const char *))
{
    text t = {0};
    quote(&t, &dialects[dialect], s);
    return text_finish(&t);
}

char *sql_quote_name(sql_dialect dialect, const char *name) { return quoted(dialect, name, put_name); }
char *sql_quote_text(sql_dialect dialect, const char *value) { return quoted(dialect, value, put_text); }

/* A double that reads back as itself in every engine: 17 significant
 * digits, always with an exponent (so DuckDB, Spark, BigQuery and Snowflake
 * type it DOUBLE, not DECIMAL), and CAST where a literal is NUMERIC. */
#define SQL_DOUBLE "%.16e"

static void put_double(text *t, const dialect_info *d, double value)
{
    if (d->typed_doubles)
        text_printf(t, "CAST(" SQL_DOUBLE " AS %s)", value, d->double_type);
    else
        text_printf(t, SQL_DOUBLE, value);
}

/* ------------------------------------------------------------ a statement */

/* A cr basis the statement evaluates as smooth_eval does: a smooth
 * feature's s(COL), or one margin of a ti pair (its own knots and
 * constraint, not the feature's s()).  Either reads the value vt_x<feature>
 * and gets columns of its own, named by its tag: the interval vt_i<tag>,
 * the offset vt_d<tag> and basis column j, vt_s<tag>_<j>.  The tag of
 * feature f's s() is f (vt_s3_1 is s(COL).1 of feature 3); of pair p's
 * margins p<p>a and p<p>b, for its columns a and b (vt_sp0b_2). */
typedef struct {
    const smooth_spec *spec;
    size_t feature;
    char tag[32];
} sql_basis;

typedef struct {
    text t;
    const model *m;
    const dialect_info *d;
    const sql_options *options;
    double *beta;     /* scratch: one target's coefficients */
    int has_note;     /* some row can go unscored */
    sql_basis *bases; /* every s() in feature order, then each ti pair's two margins */
    size_t n_bases;
} builder;

/* The end of one step: a subquery with a name (fenced in PostgreSQL). */
static void put_step_end(builder *b, const char *name)
{
    text_printf(&b->t, "%s\n) AS %s", b->d->offset_fence ? " OFFSET 0" : "", name);
}

/* vt_id, vt_note and the given per-target columns, passed through a step. */
static void put_carried(builder *b, const char *per_target)
{
    text_puts(&b->t, "SELECT vt_id");
    if (b->has_note)
        text_puts(&b->t, ", vt_note");
    for (size_t k = 0; per_target && k < b->m->n_targets; k++)
        text_printf(&b->t, ", %s%zu", per_target, k);
}

static int missing_is_error(const builder *b) { return b->m->enc->missing == MISSING_ERROR; }

/* The column the rows are told apart by: --key, else the model's id. */
static const char *key_column(const builder *b) { return b->options->key ? b->options->key : b->m->id_column; }

static int has_missing_flag(const builder *b, const enc_feature *feature)
{
    return feature->type == TYPE_NUMERIC && (feature->missing_term || missing_is_error(b));
}

static const smooth_spec *smooth_of(const enc_feature *feature)
{
    return feature->type == TYPE_NUMERIC ? feature->smooth : NULL;
}

static void basis_tag(char *tag, size_t size, size_t pair, int margin)
{
    snprintf(tag, size, "p%zu%c", pair, margin ? 'b' : 'a');
}

/* The model's bases (sql_basis), into b->bases: 0 if out of memory. */
static int list_bases(builder *b)
{
    const encoding *enc = b->m->enc;
    size_t n = 0;
    for (size_t f = 0; f < enc->n_features; f++)
        n += smooth_of(&enc->features[f]) != NULL;
    for (size_t p = 0; p < enc->n_pairs; p++)
        n += enc->pairs[p].tensor ? 2 : 0;
    if (n == 0)
        return 1;
    if ((b->bases = vt_calloc(n, sizeof *b->bases)) == NULL)
        return 0;
    for (size_t f = 0; f < enc->n_features; f++) {
        const smooth_spec *spec = smooth_of(&enc->features[f]);
        if (spec == NULL)
            continue;
        sql_basis *basis = &b->bases[b->n_bases];
        basis->spec = spec;
        basis->feature = f;
        snprintf(basis->tag, sizeof basis->tag, "%zu", f);
        b->n_bases++;
    }
    for (size_t p = 0; p < enc->n_pairs; p++)
        for (int m = 0; enc->pairs[p].tensor && m < 2; m++) {
            sql_basis *basis = &b->bases[b->n_bases++];
            basis->spec = &enc->pairs[p].tensor->margin[m];
            basis->feature = m ? enc->pairs[p].b : enc->pairs[p].a;
            basis_tag(basis->tag, sizeof basis->tag, p, m);
        }
    return 1;
}

/* vt_src.COL, quoted. */
static void put_column(builder *b, const char *name)
{
    text_puts(&b->t, "vt_src.");
    put_name(&b->t, b->d, name);
}

/* The two levels of a categorical feature that train would read as a
 * binary label (encoding_binary_levels) as *yes and *no; 0 when it has
 * other levels, or is already true/false as an engine writes a BOOLEAN as
 * text. */
static int boolean_levels(const enc_feature *feature, const char **yes, const char **no)
{
    size_t y, n;
    if (!encoding_binary_levels(feature, &y, &n))
        return 0;
    *yes = feature->levels[y];
    *no = feature->levels[n];
    return !(strcmp(*yes, "true") == 0 && strcmp(*no, "false") == 0);
}

/* Whether the types are tested in a step of their own (PostgreSQL). */
static int types_step(const builder *b) { return b->d->offset_fence && b->d->is_text[0]; }

/* [0] the column [1]: the test of a feature's column type, as the dialect
 * writes it; or the step's answer, vt_src.vt_t<f> (text) or vt_b<f>
 * (BOOLEAN). */
static void put_type_test(builder *b, const char *const test[2], const enc_feature *feature)
{
    if (types_step(b)) {
        text_printf(&b->t, "vt_src.vt_%c%zu = 1", test == b->d->is_text ? 't' : 'b',
                    (size_t)(feature - b->m->enc->features));
        return;
    }
    text_puts(&b->t, test[0]);
    put_column(b, feature->name);
    text_puts(&b->t, test[1]);
}

/* A cell as text: the column CAST to the text type, except that a BOOLEAN
 * column (DuckDB's read_csv types yes/no columns so) of a feature whose two
 * levels are a binary label gives those levels, as the file it was read
 * from spelled them.  Where the engine cannot tell a BOOLEAN (BigQuery,
 * Snowflake), the text 'true' and 'false' are read as one. */
static void put_cell_text(builder *b, const enc_feature *feature)
{
    const char *yes, *no;
    if (!boolean_levels(feature, &yes, &no)) {
        text_puts(&b->t, "CAST(");
        put_column(b, feature->name);
        text_printf(&b->t, " AS %s)", b->d->text_type);
        return;
    }
    text_puts(&b->t, "CASE ");
    if (b->d->is_boolean[0]) {
        text_puts(&b->t, "WHEN ");
        put_type_test(b, b->d->is_boolean, feature);
        text_puts(&b->t, " THEN CASE ");
    }
    text_puts(&b->t, "CAST(");
    put_column(b, feature->name);
    text_printf(&b->t, " AS %s) WHEN 'true' THEN ", b->d->text_type);
    put_text(&b->t, b->d, yes);
    text_puts(&b->t, " WHEN 'false' THEN ");
    put_text(&b->t, b->d, no);
    if (b->d->is_boolean[0])
        text_puts(&b->t, " END");
    text_puts(&b->t, " ELSE CAST(");
    put_column(b, feature->name);
    text_printf(&b->t, " AS %s) END", b->d->text_type);
}

static void put_cell_number(builder *b, const enc_feature *feature);

/* The cell's text is a number in num_parse's syntax. */
static void put_number_syntax(builder *b, const enc_feature *feature)
{
    text_puts(&b->t, b->d->matches[0]);
    put_cell_text(b, feature);
    text_puts(&b->t, b->d->matches[1]);
    put_text(&b->t, b->d, SQL_NUMBER_PATTERN);
    text_puts(&b->t, b->d->matches[2]);
}

static int is_number_token(const char *token, double *value)
{
    return num_parse(token, strlen(token), value) == NUM_OK;
}

/* " OR CAST(COL AS double) IN (values)" for the --na tokens that are
 * numbers, or nothing.  A column the engine typed as numbers has lost the
 * file's spelling (DuckDB writes -999 read as DOUBLE as -999.0): there a
 * token is matched by value.  Returns how many there are. */
static size_t put_number_tokens(builder *b, const enc_feature *feature)
{
    size_t n = 0;
    for (size_t i = 0; i < b->m->n_na_tokens; i++) {
        double value;
        if (!is_number_token(b->m->na_tokens[i], &value))
            continue;
        if (n == 0) {
            text_puts(&b->t, " OR ");
            put_cell_number(b, feature);
            text_puts(&b->t, " IN (");
        }
        text_puts(&b->t, n ? ", " : "");
        put_double(&b->t, b->d, value);
        n++;
    }
    if (n)
        text_puts(&b->t, ")");
    return n;
}

static int has_number_tokens(const model *m)
{
    double value;
    for (size_t i = 0; i < m->n_na_tokens; i++)
        if (is_number_token(m->na_tokens[i], &value))
            return 1;
    return 0;
}


/* Whether a cell is missing: NULL, blank (spaces, tabs), NA, NaN, null in
 * any case, or a --na token (table_is_missing's rule), read from its text.
 * A double NaN is missing too: every engine writes it as NaN or nan. */
static void put_cell_missing(builder *b, const enc_feature *feature)
{
    put_column(b, feature->name);
    text_puts(&b->t, " IS NULL OR ");
    if (b->d->trim_from) {
        text_puts(&b->t, "TRIM(LEADING ");
        put_text(&b->t, b->d, " \t");
        text_puts(&b->t, " FROM ");
        put_cell_text(b, feature);
        text_puts(&b->t, ")");
    } else {
        text_puts(&b->t, "LTRIM(");
        put_cell_text(b, feature);
        text_puts(&b->t, ", ");
        put_text(&b->t, b->d, " \t");
        text_puts(&b->t, ")");
    }
    text_puts(&b->t, " = '' OR LOWER(");
    put_cell_text(b, feature);
    text_puts(&b->t, ") IN ('na', 'nan', 'null')");
    if (b->m->n_na_tokens) {
        text_puts(&b->t, " OR ");
        put_cell_text(b, feature);
        text_puts(&b->t, " IN (");
        for (size_t i = 0; i < b->m->n_na_tokens; i++) {
            text_puts(&b->t, i ? ", " : "");
            put_text(&b->t, b->d, b->m->na_tokens[i]);
        }
        text_puts(&b->t, ")");
    }
}

/* Whether a numeric cell is missing.  A text column by its text, as
 * put_cell_missing; a column the engine typed as numbers by its value:
 * NULL, NaN (tested both ways, so one expression serves every dialect:
 * PostgreSQL, DuckDB and Spark hold NaN equal to itself and to no other
 * value, an engine comparing as IEEE 754 does the other way round), a --na
 * token that is a number; its text is never made (DuckDB takes ten times as
 * long to score a table when every double is written and read as text).
 * Where the engine cannot tell the type (BigQuery, Snowflake): the text,
 * then the tokens' values for a cell in num_parse's syntax. */
static void put_number_missing(builder *b, const enc_feature *feature)
{
    if (b->d->is_text[0] == NULL) {
        put_cell_missing(b, feature);
        if (has_number_tokens(b->m)) {
            text_puts(&b->t, " OR CASE WHEN ");
            put_number_syntax(b, feature);
            text_puts(&b->t, " THEN FALSE");
            put_number_tokens(b, feature);
            text_puts(&b->t, " ELSE FALSE END");
        }
        return;
    }
    text_puts(&b->t, "CASE WHEN ");
    put_type_test(b, b->d->is_text, feature);
    text_puts(&b->t, " THEN ");
    put_cell_missing(b, feature);
    text_puts(&b->t, " ELSE ");
    put_column(b, feature->name);
    text_puts(&b->t, " IS NULL OR ");
    put_cell_number(b, feature);
    text_puts(&b->t, " <> ");
    put_cell_number(b, feature);
    text_puts(&b->t, " OR ");
    put_cell_number(b, feature);
    text_printf(&b->t, " = CAST('NaN' AS %s)", b->d->double_type);
    put_number_tokens(b, feature);
    text_puts(&b->t, " END");
}

static void put_cell_number(builder *b, const enc_feature *feature)
{
    text_puts(&b->t, "CAST(");
    put_column(b, feature->name);
    text_printf(&b->t, " AS %s)", b->d->double_type);
}

/* A numeric cell that is not missing, as predict reads it: a number in
 * num_parse's syntax (tested on the text, so a text column holding other
 * words is never cast: PostgreSQL would stop the query) and within a
 * double's range (DuckDB casts 1e999 to inf), else NULL: predict refuses
 * such a file, the view leaves the row unscored (put_note). */
static void put_finite_number(builder *b, const enc_feature *feature)
{
    text_puts(&b->t, "CASE WHEN ");
    put_cell_number(b, feature);
    text_puts(&b->t, " BETWEEN ");
    put_double(&b->t, b->d, -DBL_MAX);
    text_puts(&b->t, " AND ");
    put_double(&b->t, b->d, DBL_MAX);
    text_puts(&b->t, " THEN ");
    put_cell_number(b, feature);
    text_puts(&b->t, " END");
}

static void put_number_value(builder *b, const enc_feature *feature)
{
    if (b->d->is_text[0]) {
        text_puts(&b->t, "CASE WHEN ");
        put_type_test(b, b->d->is_text, feature);
        text_puts(&b->t, " THEN ");
    }
    text_puts(&b->t, "CASE WHEN ");
    put_number_syntax(b, feature);
    text_puts(&b->t, " THEN ");
    put_finite_number(b, feature);
    text_puts(&b->t, " END");
    if (b->d->is_text[0]) {
        text_puts(&b->t, " ELSE ");
        put_finite_number(b, feature);
        text_puts(&b->t, " END");
    }
}

static void put_raw_type_test(builder *b, const char *const test[2], const enc_feature *feature, char tag,
                              size_t f)
{
    text_puts(&b->t, ",\n  CASE WHEN ");
    text_puts(&b->t, test[0]);
    put_column(b, feature->name);
    text_puts(&b->t, test[1]);
    text_printf(&b->t, " THEN 1 ELSE 0 END AS vt_%c%zu", tag, f);
}

/* Step 0, PostgreSQL only: the rows of from with each column type test
 * put_type_test reads, vt_t<f> and vt_b<f>, computed once per row. */
static void put_types(builder *b)
{
    const encoding *enc = b->m->enc;
    text_puts(&b->t, "SELECT vt_src.*");
    for (size_t f = 0; f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        const char *yes, *no;
        if (feature->type == TYPE_NUMERIC)
            put_raw_type_test(b, b->d->is_text, feature, 't', f);
        else if (boolean_levels(feature, &yes, &no))
            put_raw_type_test(b, b->d->is_boolean, feature, 'b', f);
    }
    text_printf(&b->t, "\nFROM %s AS vt_src", b->options->from);
}

/* Step 1, the encoding: per numeric feature f its value vt_x<f> (imputed
 * where missing, NULL where not a number) and missing flag vt_m<f>; per
 * categorical one its level index vt_l<f> (0 the baseline, -1 missing,
 * NULL unseen); the --by text vt_by.  Every cell is read from its text, so
 * a column the engine typed its own way (text holding a --na token, a
 * BOOLEAN for yes/no) reads as the file did. */
static void put_encoded(builder *b)
{
    const encoding *enc = b->m->enc;
    text_puts(&b->t, "SELECT ");
    put_column(b, key_column(b));
    text_puts(&b->t, " AS vt_id");
    for (size_t f = 0; f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        text_puts(&b->t, ",\n  CASE WHEN ");
        if (feature->type == TYPE_NUMERIC)
            put_number_missing(b, feature);
        else
            put_cell_missing(b, feature);
        if (feature->type == TYPE_NUMERIC) {
            text_puts(&b->t, " THEN ");
            put_double(&b->t, b->d, feature->impute);
            text_puts(&b->t, " ELSE ");
            put_number_value(b, feature);
            text_printf(&b->t, " END AS vt_x%zu", f);
            if (has_missing_flag(b, feature)) {
                text_puts(&b->t, ",\n  CASE WHEN ");
                put_number_missing(b, feature);
                text_printf(&b->t, " THEN 1 ELSE 0 END AS vt_m%zu", f);
            }
            continue;
        }
        text_puts(&b->t, " THEN -1");
        for (size_t l = 0; l < feature->n_levels; l++) {
            text_puts(&b->t, " WHEN ");
            put_cell_text(b, feature);
            text_puts(&b->t, " = ");
            put_text(&b->t, b->d, feature->levels[l]);
            text_printf(&b->t, " THEN %zu", l);
        }
        text_printf(&b->t, " END AS vt_l%zu", f);
    }
    if (b->m->by_column) {
        text_puts(&b->t, ",\n  CAST(");
        put_column(b, b->m->by_column);
        text_printf(&b->t, " AS %s) AS vt_by", b->d->text_type);
    }
    if (!types_step(b)) {
        text_printf(&b->t, "\nFROM %s AS vt_src", b->options->from);
        return;
    }
    text_puts(&b->t, "\nFROM (\n");
    put_types(b);
    put_step_end(b, "vt_src");
}

/* A CASE over the knot intervals of a basis's value vt_x<feature>, as
 * smooth_interval finds them: interval 0 below knots[0], i in 1 .. k-1 for
 * knots[i-1] <= x < knots[i] (knots[k-1] itself in k-1), k above knots[k-1].
 * Each interval answers its index, or (origin) the knot its polynomial is
 * written from: knots[max(i, 1) - 1], and knots[k-1] for interval k. */
static void put_interval_case(builder *b, const sql_basis *basis, int origin)
{
    const smooth_spec *spec = basis->spec;
    size_t k = spec->k;
    text_puts(&b->t, "CASE");
    for (size_t i = 0; i < k; i++) {
        text_printf(&b->t, " WHEN vt_x%zu %s ", basis->feature, i == k - 1 ? "<=" : "<");
        put_double(&b->t, b->d, spec->knots[i]);
        text_puts(&b->t, " THEN ");
        if (origin)
            put_double(&b->t, b->d, spec->knots[i ? i - 1 : 0]);
        else
            text_printf(&b->t, "%zu", i);
    }
    text_puts(&b->t, " ELSE ");
    if (origin)
        put_double(&b->t, b->d, spec->knots[k - 1]);
    else
        text_printf(&b->t, "%zu", k);
    text_puts(&b->t, " END");
}

/* Step 1b, for models with a basis only: per basis the interval of its
 * value, vt_i<tag>, and the offset from the interval's knot, vt_d<tag>:
 * the one subtraction smooth_eval does, x - knot, in doubles.  A ti
 * margin has knots of its own, so intervals of its own, though its column
 * may have an s() too. */
static void put_knots(builder *b)
{
    text_puts(&b->t, "SELECT vt_encoded.*");
    for (size_t s = 0; s < b->n_bases; s++) {
        const sql_basis *basis = &b->bases[s];
        text_puts(&b->t, ",\n  ");
        put_interval_case(b, basis, 0);
        text_printf(&b->t, " AS vt_i%s,\n  vt_x%zu - ", basis->tag, basis->feature);
        put_interval_case(b, basis, 1);
        text_printf(&b->t, " AS vt_d%s", basis->tag);
    }
    text_puts(&b->t, "\nFROM (\n");
}

/* Coefficient p of basis column j of a smooth on interval i. */
static double poly_at(const smooth_spec *spec, size_t i, size_t j, int p)
{
    return spec->poly[(i * (spec->k - 1) + j) * 4 + p];
}

/* One basis column on the row's interval by Horner's rule, as smooth_eval:
 * ((c3 d + c2) d + c1) d + c0, each c chosen by vt_i<tag> from an array of
 * the k + 1 intervals' values: a PostgreSQL array with bounds [0:k], its
 * elements the same 17 digits, read by float8in (strtod) as exactly. */
static void put_basis_arrays(builder *b, const sql_basis *basis, size_t j)
{
    const smooth_spec *spec = basis->spec;
    text_puts(&b->t, "((");
    for (int p = 3; p >= 0; p--) {
        text_printf(&b->t, "(CAST('[0:%zu]={", spec->k);
        for (size_t i = 0; i <= spec->k; i++)
            text_printf(&b->t, "%s" SQL_DOUBLE, i ? "," : "", poly_at(spec, i, j, p));
        text_printf(&b->t, "}' AS %s[]))[vt_i%s]", b->d->double_type, basis->tag);
        if (p > 0)
            text_printf(&b->t, "%s * vt_d%s + ", p == 3 ? "" : ")", basis->tag);
    }
}

/* The same as a CASE over the intervals, every coefficient a literal:
 * one interval's branch is evaluated, so the same operations. */
static void put_basis_case(builder *b, const sql_basis *basis, size_t j)
{
    const smooth_spec *spec = basis->spec;
    const char *tag = basis->tag;
    text_printf(&b->t, "CASE vt_i%s", tag);
    for (size_t i = 0; i <= spec->k; i++) {
        text_printf(&b->t, "\n    WHEN %zu THEN ((", i);
        put_double(&b->t, b->d, poly_at(spec, i, j, 3));
        text_printf(&b->t, " * vt_d%s + ", tag);
        put_double(&b->t, b->d, poly_at(spec, i, j, 2));
        text_printf(&b->t, ") * vt_d%s + ", tag);
        put_double(&b->t, b->d, poly_at(spec, i, j, 1));
        text_printf(&b->t, ") * vt_d%s + ", tag);
        put_double(&b->t, b->d, poly_at(spec, i, j, 0));
    }
    text_puts(&b->t, " END");
}

/* Step 1c: each column j of each basis, vt_s<tag>_<j> (for a feature's,
 * the term s(COL).j), as smooth_eval computes it: its cubic on the row's
 * interval, every coefficient written (a zero too: the same operations as
 * C's, so the same double). */
static void put_basis(builder *b)
{
    text_puts(&b->t, "SELECT vt_knot.*");
    for (size_t s = 0; s < b->n_bases; s++) {
        const sql_basis *basis = &b->bases[s];
        for (size_t j = 0; j < basis->spec->k - 1; j++) {
            text_puts(&b->t, ",\n  ");
            if (b->d->poly_arrays)
                put_basis_arrays(b, basis, j);
            else
                put_basis_case(b, basis, j);
            text_printf(&b->t, " AS vt_s%s_%zu", basis->tag, j + 1);
        }
    }
    text_puts(&b->t, "\nFROM (\n");
}

/* One WHEN of the note: the row's reason, naming the column. */
static void put_note_branch(builder *b, const char *reason, const char *column)
{
    text note = {0};
    text_puts(&note, reason);
    text_puts(&note, column);
    if (note.failed)
        b->t.failed = 1;
    else
        put_text(&b->t, b->d, note.data);
    free(note.data);
}

/* Why a row is not scored, as predict's error for the row would say: the
 * first feature, in the model's order, whose cell predict would refuse: a
 * numeric one's that is not a number, a level not seen in training (unless
 * scored as the baseline), a missing cell under --missing error. */
static void put_note(builder *b)
{
    const encoding *enc = b->m->enc;
    text_puts(&b->t, ",\n  CASE");
    for (size_t f = 0; f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        if (feature->type == TYPE_NUMERIC) {
            text_printf(&b->t, " WHEN vt_x%zu IS NULL THEN ", f);
            put_note_branch(b, "not a number in ", feature->name);
        } else if (!b->options->unseen_baseline) {
            text_printf(&b->t, " WHEN vt_l%zu IS NULL THEN ", f);
            put_note_branch(b, "unseen level of ", feature->name);
        }
        if (!missing_is_error(b))
            continue;
        if (feature->type == TYPE_NUMERIC)
            text_printf(&b->t, " WHEN vt_m%zu = 1 THEN ", f);
        else
            text_printf(&b->t, " WHEN vt_l%zu = -1 THEN ", f);
        put_note_branch(b, "missing value of ", feature->name);
    }
    text_puts(&b->t, " END AS vt_note");
}

/* Level l's 0/1 of categorical feature f as the scorer reads it from the
 * encoded row (by_smooth_encode): a level's own, or for the baseline 1
 * less the others' and COL_missing's (so an unseen level sent to the
 * baseline, NULL here, and a missing cell without COL_missing count as the
 * baseline). */
static void put_level_indicator(builder *b, size_t f, const enc_feature *feature, size_t l)
{
    if (l > 0) {
        text_printf(&b->t, "CASE WHEN vt_l%zu = %zu THEN 1 ELSE 0 END", f, l);
        return;
    }
    text_printf(&b->t, "CASE WHEN vt_l%zu IS NULL OR vt_l%zu = 0", f, f);
    if (!feature->missing_term)
        text_printf(&b->t, " OR vt_l%zu = -1", f);
    text_puts(&b->t, " THEN 1 ELSE 0 END");
}

/* A by_smooth pair's curves: each term the basis column times its level's
 * 0/1, then the coefficient, as the scorer multiplies. */
static void put_by_smooth(builder *b, const enc_pair *pair, const double *beta)
{
    const encoding *enc = b->m->enc;
    const enc_feature *by = &enc->features[pair->b];
    size_t q = enc->features[pair->a].smooth->k - 1;
    for (size_t l = 0; l < by->n_levels; l++)
        for (size_t j = 0; j < q; j++) {
            if (beta[l * q + j] == 0)
                continue;
            text_puts(&b->t, "\n    + ");
            put_double(&b->t, b->d, beta[l * q + j]);
            text_printf(&b->t, " * (vt_s%zu_%zu * ", pair->a, j + 1);
            put_level_indicator(b, pair->b, by, l);
            text_puts(&b->t, ")");
        }
}

/* A ti pair's terms, as tensor_eval computes them: term i d2 + j (0-based,
 * the second margin varying fastest) is margin a's column i + 1 times
 * margin b's column j + 1, rounded once; then the coefficient, as the
 * scorer multiplies. */
static void put_tensor(builder *b, size_t p, const double *beta)
{
    const tensor_spec *tensor = b->m->enc->pairs[p].tensor;
    size_t d2 = tensor->margin[1].k - 1;
    char tag_a[32], tag_b[32];
    basis_tag(tag_a, sizeof tag_a, p, 0);
    basis_tag(tag_b, sizeof tag_b, p, 1);
    for (size_t t = 0; t < tensor->n; t++) {
        if (beta[t] == 0)
            continue;
        text_puts(&b->t, "\n    + ");
        put_double(&b->t, b->d, beta[t]);
        text_printf(&b->t, " * (vt_s%s_%zu * vt_s%s_%zu)", tag_a, t / d2 + 1, tag_b, t % d2 + 1);
    }
}

/* A pair's terms (enc_pair), after every feature's as the scorer adds
 * them.  At most one term of a pair with a categorical side is nonzero on
 * a row (its level's), so the pair is one CASE; the scorer's other terms
 * add zeros.  A product (two numeric values, a basis column and a level's
 * 0/1, two ti margins' columns) is written as the scorer rounds it: the
 * product first, then the coefficient. */
static void put_pair(builder *b, size_t p, const double *beta)
{
    const encoding *enc = b->m->enc;
    const enc_pair *pair = &enc->pairs[p];
    const enc_feature *fa = &enc->features[pair->a], *fb = &enc->features[pair->b];
    if (pair->tensor) {
        put_tensor(b, p, beta);
        return;
    }
    if (pair->by_smooth) {
        put_by_smooth(b, pair, beta);
        return;
    }
    if (fa->type == TYPE_NUMERIC && fb->type == TYPE_NUMERIC) {
        if (beta[0] != 0) {
            text_puts(&b->t, "\n    + ");
            put_double(&b->t, b->d, beta[0]);
            text_printf(&b->t, " * (vt_x%zu * vt_x%zu)", pair->a, pair->b);
        }
        return;
    }
    int any = 0;
    for (size_t j = 0; j < pair->n_terms; j++) {
        if (beta[j] == 0)
            continue;
        text_puts(&b->t, any ? " WHEN " : "\n    + CASE WHEN ");
        any = 1;
        /* the term multiplies level (left - first_term + 1) of a categorical side */
        size_t level_a = pair->left[j] - fa->first_term + 1, level_b = pair->right[j] - fb->first_term + 1;
        if (fa->type == TYPE_CATEGORICAL && fb->type == TYPE_CATEGORICAL)
            text_printf(&b->t, "vt_l%zu = %zu AND vt_l%zu = %zu THEN ", pair->a, level_a, pair->b, level_b);
        else if (fa->type == TYPE_CATEGORICAL)
            text_printf(&b->t, "vt_l%zu = %zu THEN ", pair->a, level_a);
        else
            text_printf(&b->t, "vt_l%zu = %zu THEN ", pair->b, level_b);
        put_double(&b->t, b->d, beta[j]);
        if (fa->type == TYPE_NUMERIC || fb->type == TYPE_NUMERIC)
            text_printf(&b->t, " * vt_x%zu", fa->type == TYPE_NUMERIC ? pair->a : pair->b);
    }
    if (any)
        text_puts(&b->t, " ELSE 0 END");
}

/* One model's log-odds, as score_eta adds it: the intercept, then each
 * term in order (a smooth's: coefficient times basis column vt_s<f>_<j>,
 * j = 1 .. k - 1, then COL_missing).  Aliased terms (0) and zero
 * coefficients are left out (eta + 0 is eta); a categorical column's terms
 * are one CASE, since at most one of them is 1. */
static void put_eta(builder *b, const model_target *target)
{
    const encoding *enc = b->m->enc;
    score_coefficients(target->estimate, target->aliased, enc->n_terms, b->beta);
    put_double(&b->t, b->d, b->beta[0]);
    for (size_t f = 0; f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        const double *beta = b->beta + feature->first_term;
        if (feature->type == TYPE_NUMERIC) {
            const smooth_spec *spec = smooth_of(feature);
            /* the terms before COL_missing (none: a curve per level, its pair's) */
            size_t n_values = feature->smooth_by ? 0 : spec ? spec->k - 1 : 1;
            for (size_t j = 0; j < n_values; j++) {
                if (beta[j] == 0)
                    continue;
                text_puts(&b->t, "\n    + ");
                put_double(&b->t, b->d, beta[j]);
                if (spec)
                    text_printf(&b->t, " * vt_s%zu_%zu", f, j + 1);
                else
                    text_printf(&b->t, " * vt_x%zu", f);
            }
            if (feature->missing_term && beta[n_values] != 0) {
                text_printf(&b->t, "\n    + CASE WHEN vt_m%zu = 1 THEN ", f);
                put_double(&b->t, b->d, beta[n_values]);
                text_puts(&b->t, " ELSE 0 END");
            }
            continue;
        }
        int any = 0;
        for (size_t t = 0; t < feature->n_terms; t++) {
            if (beta[t] == 0)
                continue;
            text_printf(&b->t, any ? " WHEN " : "\n    + CASE vt_l%zu WHEN ", f);
            int is_missing_term = feature->missing_term && t == feature->n_terms - 1;
            if (is_missing_term)
                text_puts(&b->t, "-1 THEN ");
            else
                text_printf(&b->t, "%zu THEN ", t + 1);
            put_double(&b->t, b->d, beta[t]);
            any = 1;
        }
        if (any)
            text_puts(&b->t, " ELSE 0 END");
    }
    for (size_t p = 0; p < enc->n_pairs; p++)
        put_pair(b, p, b->beta + enc->pairs[p].first_term);
}

/* Step 2: each target's log-odds, routed by the --by level: a level with a
 * model of its own for this target uses it; every other row, the pooled. */
static void put_etas(builder *b)
{
    const model *m = b->m;
    text_puts(&b->t, "SELECT vt_id");
    if (b->has_note)
        put_note(b);
    for (size_t k = 0; k < m->n_targets; k++) {
        text_puts(&b->t, ",\n  ");
        int routed = 0;
        for (size_t s = 0; s < m->n_segments; s++) {
            if (m->segments[s].fallback[k])
                continue;
            text_puts(&b->t, routed ? "\n  WHEN " : "CASE vt_by\n  WHEN ");
            put_text(&b->t, b->d, m->segments[s].level);
            text_puts(&b->t, " THEN ");
            put_eta(b, &m->segments[s].targets[k]);
            routed = 1;
        }
        text_puts(&b->t, routed ? "\n  ELSE " : "");
        put_eta(b, &m->targets[k]);
        text_printf(&b->t, "%s AS vt_eta%zu", routed ? "\n  END" : "", k);
    }
    text_puts(&b->t, "\nFROM (\n");
}

/* Step 3: score_probability, which never raises: exp is called only where
 * it is finite and nonzero; beyond, the 1 or 0 C's arithmetic gives. */
static void put_probabilities(builder *b)
{
    put_carried(b, NULL);
    for (size_t k = 0; k < b->m->n_targets; k++) {
        text_printf(&b->t, ",\n  CASE WHEN vt_eta%zu > %d THEN 1", k, SQL_ETA_ONE_ABOVE);
        text_printf(&b->t, " WHEN vt_eta%zu >= 0 THEN 1 / (1 + EXP(-vt_eta%zu))", k, k);
        text_printf(&b->t, " WHEN vt_eta%zu > ", k);
        put_double(&b->t, b->d, SQL_EXP_ZERO_BELOW);
        text_printf(&b->t, " THEN EXP(vt_eta%zu) / (1 + EXP(vt_eta%zu)) ELSE 0 END AS vt_p%zu", k, k, k);
    }
    text_puts(&b->t, "\nFROM (\n");
}

/* Step 4: score_health, lround(100 (1 - p)) for p in [0, 1]: rounding half
 * away from zero, which ROUND does not do in every engine. */
static void put_health(builder *b)
{
    size_t c = score_churn_index(b->m);
    put_carried(b, "vt_p");
    text_printf(&b->t, ",\n  CAST(FLOOR(100 * (1 - vt_p%zu)) + CASE WHEN 100 * (1 - vt_p%zu) - FLOOR(100 * (1 - vt_p%zu)) >= 0.5"
                " THEN 1 ELSE 0 END AS %s) AS vt_health\nFROM (\n",
         c, c, c, b->d->int_type);
}

/* The result: predict's columns, NULL scores where the row has a note. */
static void put_result(builder *b)
{
    const model *m = b->m;
    const char *scored = b->has_note ? "CASE WHEN vt_note IS NULL THEN " : "";
    const char *end = b->has_note ? " END" : "";
    size_t churn = score_churn_index(m);
    text_puts(&b->t, "SELECT vt_id AS ");
    put_name(&b->t, b->d, key_column(b));
    for (size_t k = 0; k < m->n_targets; k++)
        text_printf(&b->t, ",\n  %svt_p%zu%s AS %s", scored, k, end, k == churn ? "churn_risk" : "expansion");
    text_printf(&b->t, ",\n  %svt_health%s AS health", scored, end);
    text_puts(&b->t, ",\n  CASE");
    if (b->has_note)
        text_puts(&b->t, " WHEN vt_note IS NOT NULL THEN NULL");
    text_puts(&b->t, " WHEN vt_health < ");
    put_double(&b->t, b->d, m->red_below);
    text_puts(&b->t, " THEN 'red' WHEN vt_health < ");
    put_double(&b->t, b->d, m->yellow_below);
    text_puts(&b->t, " THEN 'yellow' ELSE 'green' END AS bucket");
    if (b->has_note)
        text_puts(&b->t, ",\n  vt_note AS vitals_note");
    else
        text_printf(&b->t, ",\n  CAST(NULL AS %s) AS vitals_note", b->d->text_type);
    text_puts(&b->t, "\nFROM (\n");
}

/* Whether some row can go unscored: a numeric cell can always be a word. */
static int model_can_leave_unscored(const model *m, int unseen_baseline)
{
    if (m->enc->missing == MISSING_ERROR && m->enc->n_features > 0)
        return 1;
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (m->enc->features[f].type == TYPE_NUMERIC || !unseen_baseline)
            return 1;
    return 0;
}

vt_status sql_build(const model *m, const char *model_path, const sql_options *options, char **out, vt_err *err)
{
    *out = NULL;
    if (options->key && options->key[0] == '\0')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--key: the column name is empty");
    if (options->key == NULL && m->id_column == NULL)
        return vt_err_set(err, VT_EDATA, model_path, 0, 0,
                          "the model has no id column and a table's rows have no line numbers: "
                          "name the column that tells them apart with --key COL");
    const char *key = options->key ? options->key : m->id_column;
    if (model_output_name(key)) {
        char name[VT_QUOTE_SIZE];
        if (options->key)
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                              "--key: '%s' has the name of an output column: rename it in --from",
                              vt_quote(name, sizeof name, key, strlen(key)));
        return vt_err_set(err, VT_EDATA, model_path, 0, 0,
                          "the id column '%s' has the name of an output column: rename it in the data and train again",
                          vt_quote(name, sizeof name, key, strlen(key)));
    }
    if (options->from == NULL || options->from[0] == '\0')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--from: a table name or a parenthesised query is needed");
    if (options->view && options->view[0] == '\0')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--view: the name is empty");
    builder b = {.m = m, .d = &dialects[options->dialect], .options = options};
    b.has_note = model_can_leave_unscored(m, options->unseen_baseline);
    if ((b.beta = vt_calloc(m->enc->n_terms, sizeof(double))) == NULL || !list_bases(&b)) {
        free(b.beta);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (options->view)
        text_printf(&b.t, "CREATE OR REPLACE VIEW %s AS\n", options->view);
    /* Written outside in: each step selects from the next one down. */
    put_result(&b);
    put_health(&b);
    put_probabilities(&b);
    put_etas(&b);
    int smooth = b.n_bases > 0;
    if (smooth) {
        put_basis(&b);
        put_knots(&b);
    }
    put_encoded(&b);
    put_step_end(&b, "vt_encoded");
    if (smooth) {
        put_step_end(&b, "vt_knot");
        put_step_end(&b, "vt_basis");
    }
    put_step_end(&b, "vt_eta");
    put_step_end(&b, "vt_probability");
    put_step_end(&b, "vt_scored");
    text_puts(&b.t, ";\n");
    free(b.beta);
    free(b.bases);
    if ((*out = text_finish(&b.t)) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}
