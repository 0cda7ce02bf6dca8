/* sql: a model written out as one SQL SELECT, for scoring in a warehouse.
 *
 * sql_build turns a loaded model into one statement that computes, for
 * every row of a table (or a parenthesised subquery), exactly what
 * `vitals predict` writes: the id (or key) column, churn_risk[, expansion] in the
 * model's target order, health, bucket, and vitals_note (NULL, or why the
 * row was not scored).  Exactly means the same doubles, not close ones:
 *   - coefficients are written with 17 significant digits and an exponent,
 *     so every engine reads them as the same doubles (DuckDB would read
 *     0.123... as a DECIMAL and round twice on the way to DOUBLE);
 *   - the log-odds is added term by term in score_eta's order, from the
 *     intercept; a categorical column's terms are one CASE (only one of
 *     them is nonzero, and adding 0 changes nothing);
 *   - the logistic branches on the sign as score_probability does and never
 *     calls exp where PostgreSQL would raise (overflow above ~709.78,
 *     underflow to 0 below ~-745.13), giving the 1 or 0 C gives there;
 *   - health is lround(100 (1 - churn_risk)) written with FLOOR, since
 *     engines' ROUND differ on ties (PostgreSQL rounds half to even).
 * The encoding reads a cell as predict reads the file's text, whatever type
 * the engine gave the column.  A text column's cell (and every cell of a
 * categorical feature, CAST to the text type) is missing when NULL, blank
 * (spaces, tabs), NA, NaN, null (any case) or one of the model's --na
 * tokens; a numeric feature's column the engine typed as numbers is read by
 * value, never as text (DuckDB scores ten times slower when every double
 * goes through text): missing when NULL or NaN or equal to a --na token
 * that is a number (the engine has lost the file's spelling: DuckDB writes
 * -999 read as DOUBLE as -999.0).  BigQuery and Snowflake cannot ask a
 * column's type: there every numeric cell is read from its text, and then
 * by value.  A numeric cell that is missing takes the model's imputation
 * value (and its COL_missing term); else a text cell in num_parse's syntax
 * is cast to double, a number column's value is itself; any other, or one
 * beyond a double's range (a word, inf, DuckDB's cast of 1e999) gives NULL
 * scores and vitals_note
 * 'not a number in COL', where predict refuses the file.  (PostgreSQL's
 * cast raises on a number beyond a double, 1e999 or 1e-999: the query
 * stops.)  A categorical feature whose two levels train reads as a binary
 * label (yes/no, true/false, t/f, 1/0, any case) gives them for a BOOLEAN
 * column's true and false (DuckDB's read_csv types yes/no so): the type
 * asked where the engine can (PostgreSQL, DuckDB, Spark), the text 'true'
 * and 'false' taken for a BOOLEAN where not (BigQuery, Snowflake).  A level
 * not seen in training gives NULL scores and vitals_note 'unseen level of
 * COL', unless unseen_baseline, which scores it as the baseline as
 * `predict --unseen baseline` does.  Under a model trained with --missing
 * error, a missing cell gives NULL scores and 'missing value of COL'.  The
 * note names the first column, in the model's order, predict would refuse.
 * A --by model routes each row by the text of its --by column to its
 * level's coefficients (the pooled ones where the level fell back or was
 * not seen).
 *
 * The rows are told apart by the model's id column, or by the key column
 * given (a model without an id needs one: predict numbers such rows by
 * line, and a table's rows have no order); it comes first, under its own
 * name.
 *
 * A smooth term's basis columns (models/smooth.h) are computed from the
 * numeric value in two steps of their own: the row's knot interval and its
 * offset from the interval's knot (x - knot, the one subtraction
 * smooth_eval does), then each column's cubic on that interval by Horner's
 * rule, every coefficient and operation as smooth_eval has them.  The
 * coefficients are chosen by a CASE over the intervals, or in PostgreSQL
 * by indexing arrays of them: its JIT compiler takes minutes over a CASE
 * per interval per column.  A ti pair's two margins are such bases of
 * their own (their own knots, the column's imputed value), and each of its
 * terms is coefficient * (margin_a * margin_b): tensor_eval's product,
 * rounded before the coefficient multiplies it.
 *
 * Dialects differ in quoting (identifiers "x" or `x`; string literals with
 * '' or backslash escapes), type names, and in that only PostgreSQL gets
 * OFFSET 0 fences (its planner would otherwise inline each step and
 * compute the log-odds several times per row), and that PostgreSQL, which
 * calls pg_typeof on every row, asks each column's type once per row in a
 * first step that passes the table's columns through beside its answers
 * vt_t<f> and vt_b<f> (a table column of those names would be
 * ambiguous).  The library never prints; the statement comes back as text. */
#ifndef SQL_H
#define SQL_H

#include <stddef.h>

#include "model.h"
#include "vt.h"

typedef enum { SQL_POSTGRES, SQL_DUCKDB, SQL_SPARK, SQL_BIGQUERY, SQL_SNOWFLAKE } sql_dialect;

/* "postgres", "duckdb", "spark", "bigquery", "snowflake", NULL: in enum order. */
extern const char *const sql_dialect_names[];

typedef struct {
    sql_dialect dialect;
    const char *from;     /* a table name or "(SELECT ...)", written as given */
    const char *view;     /* NULL: the bare SELECT; else CREATE OR REPLACE VIEW view AS,
                             the name written as given */
    int unseen_baseline;  /* unseen levels scored as the baseline instead of NULL */
    const char *key;      /* NULL: the model's id column; else the column of from carried
                             first under its own name (quoted as a name, never raw SQL) */
} sql_options;

/* The statement, ending in ";\n", into *out (NUL-terminated; the caller
 * frees it with free()).  model_path names the model in errors.  Errors:
 * VT_EDATA if the model has no id column and no key is given (predict
 * numbers such rows by line; a table has no line order), or the id column
 * has an output column's name; VT_EUSAGE if from, a view name or a key
 * given is empty, or the key has an output column's name; VT_ENOMEM.
 * On failure *out stays NULL. */
vt_status sql_build(const model *m, const char *model_path, const sql_options *options, char **out /* OUT */,
                    vt_err *err);

/* An identifier and a string literal quoted for the dialect, as sql_build
 * writes them: a new string the caller frees, or NULL if out of memory. */
char *sql_quote_name(sql_dialect dialect, const char *name);
char *sql_quote_text(sql_dialect dialect, const char *value);

#endif
