/* vitals sql: a model as one SELECT that scores a table where it lives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "model.h"
#include "outfile.h"
#include "sql.h"

static const char sql_help[] =
    "usage: vitals sql MODEL.json --from TABLE [options]\n"
    "\n"
    "Print one SQL statement that scores every row of TABLE (a table name, or a\n"
    "parenthesised query) exactly as 'vitals predict' would: the id (or --key)\n"
    "column, churn_risk[, expansion], health, bucket, and vitals_note (NULL, or why\n"
    "the row was not scored).  The model's encoding, imputation, smooth terms, --by\n"
    "routing and bands are all in the SQL.\n"
    "\n"
    "Each cell is read as predict reads the file's text, whatever type the engine\n"
    "gave the column: blank, NA, NaN, null and the model's --na tokens are missing\n"
    "(a token that is a number also by value in a column typed as numbers);\n"
    "a BOOLEAN column (DuckDB's read_csv types yes/no so) gives the two levels the\n"
    "model learnt (yes/no, true/false, t/f, 1/0, in its own spelling).  Where\n"
    "predict would refuse the file, the row is left unscored with a note naming\n"
    "the first such column: 'not a number in COL' (a numeric cell that is neither\n"
    "missing nor a number, or beyond a double's range), 'unseen level of COL',\n"
    "'missing value of COL' (a model trained with --missing error).  PostgreSQL\n"
    "cannot test a cast: a number beyond a double's range (1e999, 1e-999) in a\n"
    "text column stops the query with its error.\n"
    "\n"
    "  --from TABLE       the rows to score, written into the SQL as given\n"
    "  --key COL          the column of TABLE written first, under its own name,\n"
    "                     to join the scores back by (default: the model's id\n"
    "                     column).  Needed for a model trained without --id:\n"
    "                     predict numbers such rows by line, and a table's rows\n"
    "                     have no line order.  COL is a name, quoted for the\n"
    "                     engine; to key by an expression, compute it in --from:\n"
    "                     --from '(SELECT *, a || b AS k FROM t)' --key k\n"
    "  --dialect D        postgres (default), duckdb, spark, bigquery or snowflake\n"
    "  --view NAME        wrap it in CREATE OR REPLACE VIEW NAME AS (NAME as given)\n"
    "  --unseen MODE      null (default): a level not seen in training leaves the\n"
    "                     row unscored, with a note; baseline: score it as the\n"
    "                     column's baseline level, as predict --unseen baseline\n"
    "  -o, --output FILE  write there (default - : standard output)\n"
    "\n"
    "--from and --view are SQL, written as given: pass only trusted text.\n";

typedef struct {
    const char *model_path, *output;
    sql_options sql;
} sql_args;

static const char *const unseen_modes[] = {"null", "baseline", NULL}; /* index: unseen_baseline */

static const arg_spec sql_arg_options[] = {
    {"--from", NULL, ARG_STRING, ARG_AT(sql_args, sql.from), .required = 1},
    {"--dialect", NULL, ARG_CHOICE, ARG_AT(sql_args, sql.dialect), .choices = sql_dialect_names},
    {"--view", NULL, ARG_STRING, ARG_AT(sql_args, sql.view)},
    {"--key", NULL, ARG_STRING, ARG_AT(sql_args, sql.key)},
    {"--unseen", NULL, ARG_CHOICE, ARG_AT(sql_args, sql.unseen_baseline), .choices = unseen_modes},
    {"--output", "-o", ARG_STRING, ARG_AT(sql_args, output)},
    {0},
};

static const arg_spec sql_positionals[] = {
    {"MODEL.json", NULL, ARG_STRING, ARG_AT(sql_args, model_path)},
    {0},
};

vt_status cmd_sql(int argc, char **argv, vt_err *err)
{
    sql_args args = {.output = "-", .sql = {.dialect = SQL_POSTGRES}};
    args_result parsed = args_parse(argc, argv, sql_arg_options, sql_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, sql_help, err);
    vt_status status = outfile_check(args.output, err);
    if (status != VT_OK)
        return status;
    model *m = NULL;
    if ((status = model_load(args.model_path, &m, err)) != VT_OK)
        return status;
    if (!model_has_health(m)) { /* the statement's columns are churn_risk, health and bucket */
        model_free(m);
        return vt_err_set(err, VT_EUSAGE, args.model_path, 0, 0, "the model has no churn target (an expansion "
                          "model alone), and vitals sql writes churn_risk, health and bucket: score it with vitals "
                          "predict");
    }
    char *statement = NULL;
    status = sql_build(m, args.model_path, &args.sql, &statement, err);
    model_free(m);
    if (status == VT_OK) {
        /* outfile_write_text adds the newline; the statement has its own. */
        statement[strlen(statement) - 1] = '\0';
        status = outfile_write_text(args.output, statement, err);
    }
    free(statement);
    return status;
}
