/* vitals: learn customer-health scores from account snapshots.
 * main only dispatches to a subcommand and prints the one-line error. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "linalg.h"
#include "outfile.h"
#include "vt.h"

static const char usage[] =
    "usage: vitals COMMAND [options]\n"
    "\n"
    "  train     DATA.csv --churn COL [--expansion COL] [--id COL] -o MODEL.json\n"
    "  predict   MODEL.json DATA.csv [-o SCORES.csv] [--explain N] [--previous OLD.csv]\n"
    "  evaluate  MODEL.json LABELLED.csv [--target T] [--json]\n"
    "  summary   MODEL.json [--confidence L] [--json]\n"
    "  diff      OLD.json NEW.json [--data DATA.csv] [--json]\n"
    "  score     SCORECARD.json DATA.csv [-o SCORES.csv] [--id COL]\n"
    "  compare   MODEL.json SCORECARD.json LABELLED.csv [--json]\n"
    "  tune      SCORECARD.json LABELLED.csv --label COL -o TUNED.json\n"
    "  report    MODEL.json [--data LABELLED.csv] [--scorecard C] [--previous OLD.json] -o report.html\n"
    "  sql       MODEL.json --from TABLE [--dialect D] [--view NAME]\n"
    "  history   MODEL.json SNAPSHOTS.csv --date COL [-o HISTORY.csv]\n"
    "  generate  ROWS [--seed N] [--months K] -o DATA.csv\n"
    "\n"
    "Run 'vitals COMMAND --help' for a command's options.  Any command takes\n"
    "--explain-errors: where an error was found with others (every column a header\n"
    "lacks), the first line is the error and one line follows for each of the rest.\n";

/* Remove every `flag` from argv (a global option the commands' parsers do
 * not know); whether there was one. */
static int take_flag(int *argc, char **argv, const char *flag)
{
    int found = 0, kept = 1;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--") == 0) { /* operands from here on */
            while (i < *argc)
                argv[kept++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], flag) == 0)
            found = 1;
        else
            argv[kept++] = argv[i];
    }
    argv[kept] = NULL;
    *argc = kept;
    return found;
}

/* The error is one line; the problems found with it are counted there and
 * listed, one line each at the error's place, under --explain-errors. */
static void print_error(vt_err *err, vt_status status, int explain_errors)
{
    char line[1024];
    vt_err_default(err, status);
    vt_err_format(err, line, sizeof line);
    if (err->n_more == 0)
        fprintf(stderr, "vitals: %s\n", line);
    else if (!explain_errors)
        fprintf(stderr, "vitals: %s (and %zu more problem%s found with it: add --explain-errors to list them)\n", line,
                err->n_more, err->n_more == 1 ? "" : "s");
    else
        fprintf(stderr, "vitals: %s (and %zu more problem%s, listed below)\n", line, err->n_more,
                err->n_more == 1 ? "" : "s");
    for (size_t i = 0; explain_errors && i < err->n_more && i < VT_ERR_MORE; i++) {
        snprintf(err->msg, sizeof err->msg, "%s", err->more[i]);
        vt_err_format(err, line, sizeof line);
        fprintf(stderr, "vitals: %s\n", line);
    }
    if (explain_errors && err->n_more > VT_ERR_MORE)
        fprintf(stderr, "vitals: ... and %zu more\n", err->n_more - VT_ERR_MORE);
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; every GSL status is checked instead. */
    gsl_set_error_handler_off();
    /* An interrupted run leaves no temporary output behind. */
    outfile_install_signal_cleanup();
    vt_install_alloc_hooks();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("vitals %s\n", VT_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        vt_status (*run)(int, char **, vt_err *);
    } commands[] = {
        {"train", cmd_train},
        {"predict", cmd_predict},
        {"generate", cmd_generate},
        {"summary", cmd_summary},
        {"diff", cmd_diff},
        {"score", cmd_score},
        {"compare", cmd_compare},
        {"tune", cmd_tune},
        {"report", cmd_report},
        {"sql", cmd_sql},
        {"history", cmd_history},
        {"evaluate", cmd_evaluate},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        int explain_errors = take_flag(&argc, argv, "--explain-errors");
        vt_err err = {0};
        vt_status status = commands[i].run(argc - 1, argv + 1, &err);
        if (status == VT_OK)
            return 0;
        print_error(&err, status, explain_errors);
        return status == VT_EUSAGE ? 2 : 1;
    }
    fprintf(stderr, "vitals: unknown command '%s' (try 'vitals --help')\n", argv[1]);
    return 2;
}
