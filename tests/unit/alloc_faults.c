/* Out of memory at every allocation, as SQLite's malloc tests do: run a
 * command in-process with allocation N failing, for N = 1, 2, ... until a
 * run makes fewer than N allocations.  Each run that fails must return an
 * error whose message is one line, and leave no output file and no
 * temporary behind; under ASan, the leak check at exit catches whatever a
 * failed run did not free.  (Allocations inside GSL, SLEEF and the C
 * library itself are not injected: only vitals', cJSON's and libcsv's.)
 *
 * Usage: alloc_faults WORK_DIR CASE (main's list) */
#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "vt.h"

static int fail(const char *what, unsigned long n, const char *detail)
{
    fprintf(stderr, "FAIL: %s with allocation %lu failing: %s\n", what, n, detail);
    return 1;
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static int temporaries_left(void)
{
    DIR *dir = opendir(".");
    struct dirent *entry;
    int found = 0;
    while (dir && (entry = readdir(dir)) != NULL)
        found |= strstr(entry->d_name, ".tmp.") != NULL;
    if (dir)
        closedir(dir);
    return found;
}

static void write_data(void)
{
    FILE *out = fopen("data.csv", "w");
    fputs("id,usage,plan,tickets,churn\n", out);
    for (int i = 1; i <= 300; i++)
        fprintf(out, "A%03d,%.2f,%s,%s,%d\n", i, (i * 37 % 100) / 10.0, i % 3 ? "basic" : "pro",
                i % 11 ? (i % 5 ? "1" : "4") : "", (i * 7 % 10) < 3 + (i % 3 == 0));
    fclose(out);
}

/* The output with its created_at line left out (it names the time). */
static char *read_output(const char *path)
{
    FILE *in = fopen(path, "r");
    if (in == NULL)
        return NULL;
    size_t size = 0;
    char *text = NULL, line[4096];
    FILE *out = open_memstream(&text, &size);
    while (fgets(line, sizeof line, in))
        if (strstr(line, "\"created_at\"") == NULL)
            fputs(line, out);
    fclose(out);
    fclose(in);
    return text;
}

static char *reference;

static int same_as_reference(const char *path)
{
    char *text = read_output(path);
    int same = text != NULL && reference != NULL && strcmp(text, reference) == 0;
    free(text);
    return same;
}

typedef vt_status (*command)(int, char **, vt_err *);

/* Run argv with every allocation in turn failing. */
static int exhaust(const char *name, command run, char **argv, int argc, const char *output)
{
    unsigned long runs = 0;
    vt_err clean = {0};
    if (run(argc, argv, &clean) != VT_OK || (reference = read_output(output)) == NULL)
        return fail(name, 0, "the run without a failure failed");
    unlink(output);
    for (unsigned long n = getenv("ALLOC_FAULTS_FROM") ? strtoul(getenv("ALLOC_FAULTS_FROM"), NULL, 10) : 1;; n++) {
        vt_err err = {0};
        vt_alloc_fail_at(n);
        vt_status status = run(argc, argv, &err);
        unsigned long made = vt_alloc_count();
        vt_alloc_fail_at(0);
        runs++;
        if (made < n) { /* nothing failed: the run is whole */
            if (status != VT_OK)
                return fail(name, n, "the run without a failure failed");
            if (!same_as_reference(output))
                return fail(name, n, "the output differs from a clean run's");
            fprintf(stderr, "ok: %s: %lu runs, each allocation of %lu failed once\n", name, runs, n - 1);
            unlink(output);
            free(reference);
            return 0;
        }
        if (status == VT_OK) { /* a best-effort step gave up: the result must be whole */
            if (!same_as_reference(output))
                return fail(name, n, "succeeded with an output that differs from a clean run's");
            unlink(output);
            continue;
        }
        char line[1024];
        vt_err_default(&err, status); /* as main does */
        vt_err_format(&err, line, sizeof line);
        if (line[0] == '\0' || strchr(line, '\n') != NULL)
            return fail(name, n, line[0] ? line : "(an empty message)");
        if (exists(output))
            return fail(name, n, "an output file was left");
        if (temporaries_left())
            return fail(name, n, "a temporary file was left");
    }
}

int main(int argc, char **argv)
{
    if (argc < 3 || chdir(argv[1]) != 0) {
        fprintf(stderr, "usage: alloc_faults WORK_DIR CASE\n");
        return 2;
    }
    gsl_set_error_handler_off();
    vt_install_alloc_hooks();
    freopen("/dev/null", "w", stdout); /* the commands' reports */
    write_data();
    char *train[] = {"train", "data.csv", "--churn", "churn", "--id", "id", "--quiet", "-o", "model.json", NULL};
    vt_err err = {0};
    if (cmd_train(9, train, &err) != VT_OK) {
        fprintf(stderr, "FAIL: training the model: %s\n", err.msg);
        return 1;
    }
    if (strcmp(argv[2], "train") == 0) {
        char *args[] = {"train", "data.csv", "--churn", "churn", "--id", "id", "--quiet", "--holdout", "0.2",
                        "-o", "out.json", NULL};
        return exhaust("train", cmd_train, args, 11, "out.json");
    }
    if (strcmp(argv[2], "predict") == 0) {
        char *args[] = {"predict", "model.json", "data.csv", "--explain", "2", "--quiet", "-o", "out.csv", NULL};
        return exhaust("predict", cmd_predict, args, 8, "out.csv");
    }
    if (strcmp(argv[2], "train_shares") == 0) {
        char *args[] = {"train", "data.csv", "--churn", "churn", "--id", "id", "--quiet", "--holdout", "0.2",
                        "--red-share", "0.1", "--yellow-share", "0.2", "-o", "out.json", NULL};
        return exhaust("train --red-share", cmd_train, args, 15, "out.json");
    }
    if (strcmp(argv[2], "predict_change") == 0) {
        char *args[] = {"predict", "model.json", "data.csv", "--previous-data", "data.csv", "--explain-change", "2",
                        "--quiet", "-o", "out.csv", NULL};
        return exhaust("predict --previous-data", cmd_predict, args, 10, "out.csv");
    }
    if (strcmp(argv[2], "tune") == 0 || strcmp(argv[2], "score") == 0 || strcmp(argv[2], "compare") == 0) {
        /* rules on numbers and on the text column plan: =, IN, NOT IN, NOT, a column name in double quotes */
        FILE *card = fopen("card.json", "w");
        fputs("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
              "{\"column\": \"usage\", \"better\": \"lower\", \"points\": [{\"at\": 2, \"points\": 100}, {\"at\": 5, \"points\": 50}]},"
              "{\"column\": \"tickets\", \"better\": \"lower\", \"points\": [{\"at\": 1, \"points\": 100}], \"missing\": \"exclude\"}],"
              " \"rules\": [{\"when\": \"tickets >= 4\", \"bucket\": \"red\"},"
              "{\"when\": \"plan = 'pro' AND usage > 8\", \"points\": -10},"
              "{\"when\": \"\\\"plan\\\" IN ('pro', 'basic') AND NOT usage < 1\", \"points\": 2},"
              "{\"when\": \"plan NOT IN ('basic') OR \\\"usage\\\" <= 0.5\", \"points\": -3}]}",
              card);
        fclose(card);
        if (strcmp(argv[2], "compare") == 0) {
            char *json[] = {"compare", "model.json", "card.json", "data.csv", "--json", "-o", "out.json", NULL};
            char *text[] = {"compare", "model.json", "card.json", "data.csv", "-o", "out.txt", NULL};
            int failed = exhaust("compare --json", cmd_compare, json, 7, "out.json");
            return failed ? failed : exhaust("compare", cmd_compare, text, 6, "out.txt");
        }
        if (strcmp(argv[2], "score") == 0) {
            char *score[] = {"score", "card.json", "data.csv", "--id", "id", "--quiet", "-o", "out.csv", NULL};
            return exhaust("score", cmd_score, score, 8, "out.csv");
        }
        char *args[] = {"tune", "card.json", "data.csv", "--label", "churn", "--red-share", "0.1", "--yellow-share",
                        "0.2", "-o", "out.json", NULL};
        return exhaust("tune", cmd_tune, args, 11, "out.json");
    }
    if (strcmp(argv[2], "train_gam") == 0 || strcmp(argv[2], "tune_model") == 0) {
        /* smooth terms, a curve per level and a ti() pair, chosen by REML */
        FILE *out = fopen("gam.csv", "w");
        fputs("id,usage,seats,load,plan,churn\n", out);
        for (int i = 1; i <= 200; i++)
            fprintf(out, "A%03d,%.2f,%d,%.1f,%s,%d\n", i, (i * 37 % 100) / 10.0, i * 13 % 50, (i * 29 % 40) / 4.0,
                    i % 3 ? "basic" : "pro", (i * 7 % 10) < 3 + (i % 3 == 0) + (i * 37 % 100 > 80));
        fclose(out);
        char *args[] = {"train", "gam.csv", "--churn", "churn", "--id", "id", "--quiet", "--smooth", "usage,seats,load",
                        "--interact", "usage:seats,load:plan", "-o", "gam.json", NULL};
        if (strcmp(argv[2], "train_gam") == 0)
            return exhaust("train --smooth --interact", cmd_train, args, 13, "gam.json");
        if (cmd_train(13, args, &err) != VT_OK) {
            fprintf(stderr, "FAIL: training the smooth model: %s\n", err.msg);
            return 1;
        }
        FILE *card = fopen("card.json", "w");
        fputs("{\"format\": \"vitals-scorecard\", \"format_version\": 1, \"measures\": ["
              "{\"column\": \"usage\", \"better\": \"lower\", \"points\": [{\"at\": 2, \"points\": 100}, {\"at\": 5, \"points\": 50}]},"
              "{\"column\": \"seats\", \"better\": \"higher\", \"points\": [{\"at\": 30, \"points\": 100}, {\"at\": 10, \"points\": 0}]}]}",
              card);
        fclose(card);
        char *tune[] = {"tune", "card.json", "gam.csv", "--label", "churn", "--model", "gam.json",
                        "--retune-thresholds", "-o", "out.json", NULL};
        return exhaust("tune --model", cmd_tune, tune, 10, "out.json");
    }
    if (strcmp(argv[2], "diff") == 0) {
        char *ridge[] = {"train", "data.csv", "--churn", "churn", "--id", "id", "--quiet", "--l2", "0.1", "-o",
                         "ridge.json", NULL};
        if (cmd_train(11, ridge, &err) != VT_OK) {
            fprintf(stderr, "FAIL: training the second model: %s\n", err.msg);
            return 1;
        }
        char *json[] = {"diff", "model.json", "ridge.json", "--data", "data.csv", "--json", "-o", "out.json", NULL};
        char *text[] = {"diff", "model.json", "ridge.json", "--data", "data.csv", "-o", "out.txt", NULL};
        int failed = exhaust("diff --json", cmd_diff, json, 8, "out.json");
        return failed ? failed : exhaust("diff", cmd_diff, text, 7, "out.txt");
    }
    if (strcmp(argv[2], "summary") == 0) {
        char *json[] = {"summary", "model.json", "--json", "-o", "out.json", NULL};
        char *text[] = {"summary", "model.json", "-o", "out.txt", NULL};
        int failed = exhaust("summary --json", cmd_summary, json, 5, "out.json");
        return failed ? failed : exhaust("summary", cmd_summary, text, 4, "out.txt");
    }
    if (strcmp(argv[2], "generate") == 0) {
        char *args[] = {"generate", "300", "--shape", "curved", "--seed", "3", "-o", "out.csv", NULL};
        return exhaust("generate", cmd_generate, args, 8, "out.csv");
    }
    if (strcmp(argv[2], "sql") == 0) {
        char *args[] = {"sql", "model.json", "--from", "accounts", "--dialect", "duckdb", "-o", "out.sql", NULL};
        return exhaust("sql", cmd_sql, args, 8, "out.sql");
    }
    if (strcmp(argv[2], "history") == 0) {
        /* data.csv twice, a month apart, under a date column */
        FILE *in = fopen("data.csv", "r"), *out = fopen("hist.csv", "w");
        char line[4096];
        for (int month = 0; in && out && month < 2; month++) {
            rewind(in);
            for (int first = 1; fgets(line, sizeof line, in); first = 0) {
                line[strcspn(line, "\n")] = '\0';
                if (first && month == 0)
                    fprintf(out, "%s,d\n", line);
                else if (!first)
                    fprintf(out, "%s,2024-0%d-01\n", line, month + 1);
            }
        }
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        char *args[] = {"history", "model.json", "hist.csv", "--date", "d", "--quiet", "-o", "out.csv", NULL};
        return exhaust("history", cmd_history, args, 8, "out.csv");
    }
    if (strcmp(argv[2], "evaluate") == 0) {
        char *json[] = {"evaluate", "model.json", "data.csv", "--json", "-o", "out.json", NULL};
        char *text[] = {"evaluate", "model.json", "data.csv", "--threads", "2", "-o", "out.txt", NULL};
        int failed = exhaust("evaluate --json", cmd_evaluate, json, 6, "out.json");
        return failed ? failed : exhaust("evaluate", cmd_evaluate, text, 7, "out.txt");
    }
    if (strcmp(argv[2], "report") == 0) {
        char *args[] = {"report", "model.json", "--data", "data.csv", "-o", "out.html", NULL};
        return exhaust("report --data", cmd_report, args, 6, "out.html");
    }
    if (strcmp(argv[2], "train_by") == 0) { /* a model per plan, banded by share over every level's rows */
        char *args[] = {"train", "data.csv", "--churn", "churn", "--id", "id", "--quiet", "--by", "plan", "--holdout",
                        "0.2", "-o", "out.json", NULL};
        return exhaust("train --by", cmd_train, args, 13, "out.json");
    }
    if (strcmp(argv[2], "train_by_folds") == 0) {
        /* routing judged on each level's out-of-fold rows; one thread, as
         * thread starts under ASan would make its 7,000 runs minutes */
        char *args[] = {"train", "data.csv", "--churn", "churn", "--id", "id", "--quiet", "--by", "plan", "--folds",
                        "3", "--threads", "1", "-o", "out.json", NULL};
        return exhaust("train --by --folds", cmd_train, args, 15, "out.json");
    }
    if (strcmp(argv[2], "collinear") == 0) { /* a charge that is minutes times a rate: one driver of the two */
        FILE *out = fopen("tel.csv", "w");
        fputs("id,minutes,charge,calls,churn\n", out);
        for (int i = 1; i <= 300; i++) {
            double minutes = 50 + (i * 37 % 300);
            fprintf(out, "A%03d,%.1f,%.2f,%d,%d\n", i, minutes, minutes * 0.085, i * 7 % 9,
                    (i * 7 % 10) < 2 + (i * 7 % 9 > 4) + (minutes > 200));
        }
        fclose(out);
        char *train[] = {"train", "tel.csv", "--churn", "churn", "--id", "id", "--quiet", "-o", "tel.json", NULL};
        int failed = exhaust("train (collinear)", cmd_train, train, 9, "tel.json");
        if (failed || cmd_train(9, train, &err) != VT_OK)
            return failed ? failed : fail("training the collinear model", 0, err.msg);
        char *predict[] = {"predict", "tel.json", "tel.csv", "--explain", "2", "--previous-data", "tel.csv",
                           "--explain-change", "2", "--quiet", "-o", "out.csv", NULL};
        char *summary[] = {"summary", "tel.json", "--json", "-o", "out.json", NULL};
        char *report[] = {"report", "tel.json", "--data", "tel.csv", "-o", "out.html", NULL};
        failed = exhaust("predict (collinear)", cmd_predict, predict, 12, "out.csv");
        failed = failed ? failed : exhaust("summary (collinear)", cmd_summary, summary, 5, "out.json");
        return failed ? failed : exhaust("report (collinear)", cmd_report, report, 6, "out.html");
    }
    fprintf(stderr, "alloc_faults: unknown case '%s'\n", argv[2]);
    return 2;
}
