/* history: health over time per account, its velocity, and alerts judged
 * against what happened (vitals history).
 *
 * Reads account snapshots in date order (rows of many accounts per date;
 * one row per account and date), scores each row with the one row scorer
 * (score.h: the same numbers predict writes), and writes per row the
 * account's health, bucket, change since its previous snapshot, velocity
 * and alert reasons.  Velocity is the least-squares slope of health per
 * month over the account's last `window` snapshots (history_slope), with
 * months taken from the dates (history_parse_date).  Alert reasons, each
 * against the account's previous snapshot: slid (a worse bucket: green to
 * yellow counts), falling (velocity below -alert_velocity points a month),
 * entered_red.  An account's first snapshot has no reasons.
 *
 * Per calendar month (YYYY-MM of the dates), counted over accounts, not
 * snapshots: an account with several snapshots in a month (weekly ones)
 * is one row of the month, its latest snapshot there (its bucket, and its
 * label), alerted (and per reason) if any of its snapshots that month was.
 * The alerts, velocity and streaks themselves use every snapshot in date
 * order.  Per month: bucket counts, alerts, and, where the outcome is
 * known, the churners (the label column when the file has one: an account
 * whose latest snapshot in the month is labelled churned; else an account
 * absent after its last snapshot, known for every month but the file's
 * last), how many of them were alerted before they churned (an alert
 * streak open at their last snapshot: opened by an alert, closed by a
 * green snapshot without one), and the lead time in months from the
 * streak's first alert to that snapshot.
 *
 * Memory grows with the accounts, not the rows: per account its last
 * `window` healths and dates and a few numbers; per month the lead times
 * of its churners.  One pass over the input (row_stream.h: a file,
 * standard input or a query's rows): worker threads score the rows, the
 * calling thread runs the accounts in file order, so the rows written and
 * the first error are the same whatever the thread count.  Errors (a row out of date order, a bad date, an id twice on one date, a
 * missing column, a bad cell) name FILE:LINE:COL; nothing is printed.  Two
 * dates of one account with the same months (a month's last day and the
 * next month's first) are two snapshots; the velocity of those two alone
 * is undefined (empty). */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "vt.h"

#define HISTORY_MAX_WINDOW 60

typedef struct {
    const char *data_path;    /* a file, "-" (standard input), or a postgresql:// URI with query */
    const char *query;        /* the rows of this query, or NULL */
    const char *date_column;
    const char *label_column; /* NULL: the model's churn label, if the file has it */
    int by_absence;           /* churners by absence even when there is a label */
    char delimiter;           /* 0: the model's */
    size_t window;            /* 2 .. HISTORY_MAX_WINDOW snapshots */
    double alert_velocity;    /* points a month */
    int unseen_baseline;      /* as predict --unseen baseline */
    size_t threads;           /* scoring threads, 0: one per core; the output does not depend on it */
    size_t block_bytes;       /* the reader's block, 0: row_stream's (tests make it small) */
} history_options;

typedef struct {
    char month[8];            /* "YYYY-MM" */
    size_t n_rows;            /* snapshots in the month */
    size_t n_accounts;        /* accounts with one or more of them; the counts below are of accounts */
    size_t n_bucket[3], n_alerts;
    size_t n_slid, n_falling, n_entered_red;
    int outcome_known;
    size_t n_churners, n_churners_alerted;
    size_t n_churners_ahead;  /* alerted a month or more before their last snapshot */
    double median_lead;       /* months; NaN when no churner was alerted */
} history_month;

typedef struct {
    size_t n_rows, n_accounts;
    int label_used;           /* outcomes from the label column, not absence */
    size_t n_churners, n_churners_alerted; /* over the months whose outcome is known */
    size_t n_churners_ahead;  /* of the alerted, a month or more ahead */
    double median_lead;       /* over them; NaN when no churner was alerted */
    history_month *months;    /* owned: history_report_free */
    size_t n_months;
} history_report;

/* Score opts->data_path with m and write the history CSV to out:
 * id,date,health,bucket,health_change,velocity,alert,reasons (the change
 * and velocity empty where there is no earlier snapshot).  Fills report
 * (free it with history_report_free, also after an error). */
vt_status history_run(const model *m, const history_options *opts, FILE *out, history_report *report /* OUT */,
                      vt_err *err);
void history_report_free(history_report *report);

/* Least-squares slope of y on t over n >= 2 points with distinct t
 * (sum (t - mean t)(y - mean y) / sum (t - mean t)^2); NaN otherwise. */
double history_slope(const double *t, const double *y, size_t n);

/* A date YYYY-MM-DD (exactly) to months since year 0: year * 12 + month -
 * 1 + (day - 1) / days in the month, except that a month's last day counts
 * as the first of the next, so month ends and month firsts both give whole
 * months.  *key (OUT) orders dates: year * 10000 + month * 100 + day.
 * 0, or -1 if text is not a valid date. */
int history_parse_date(const char *text, size_t len, double *months /* OUT */, long *key /* OUT */);

#endif
