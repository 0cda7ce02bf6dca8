/* history: the velocity is the least-squares slope of health on months,
 * checked against the normal equations solved directly; dates become
 * whole months whether snapshots fall on month firsts or month ends.
 * Weekly snapshots: the months count accounts (their latest snapshot in
 * the month, alerted if any snapshot was), checked against the history
 * rows themselves and against the monthly file of those latest snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "model.h"
#include "score.h"
#include "train.h"
#include "testutil.h"

/* The slope from the 2x2 normal equations of y = a + b t, by Cramer's rule:
 * a different formula from history_slope's centred sums.  Months since
 * year 0 (about 24,000) would cancel n sum t^2 - (sum t)^2 to noise, so t
 * is taken from the first point (the slope does not change). */
static double direct_slope(const double *t, const double *y, size_t n)
{
    double st = 0, sy = 0, stt = 0, sty = 0;
    for (size_t i = 0; i < n; i++) {
        double u = t[i] - t[0];
        st += u;
        sy += y[i];
        stt += u * u;
        sty += u * y[i];
    }
    return ((double)n * sty - st * sy) / ((double)n * stt - st * st);
}

static void history_should_match_direct_least_squares(void **state)
{
    (void)state;
    uint64_t seed = 99;
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = 2 + (size_t)trial % 11;
        double t[16], y[16];
        double month = 24000;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            month += 0.5 + (double)(seed >> 40) / 16777216.0 * 2; /* gaps of 0.5 to 2.5 months */
            t[i] = month;
            y[i] = (double)((seed >> 20) % 101);
        }
        double got = history_slope(t, y, n), want = direct_slope(t, y, n);
        assert_true(fabs(got - want) <= 1e-9 * (1 + fabs(want)));
    }
}

static void history_should_give_minus_six_for_six_points_a_month(void **state)
{
    (void)state;
    double t[] = {24290, 24291, 24292}, y[] = {90, 84, 78};
    assert_true(fabs(history_slope(t, y, 3) + 6) < 1e-12);
    assert_true(fabs(history_slope(t, y, 2) + 6) < 1e-12);
    /* the order of the points does not matter (the ring is used as it lies) */
    double t2[] = {24292, 24290, 24291}, y2[] = {78, 90, 84};
    assert_true(fabs(history_slope(t2, y2, 3) + 6) < 1e-12);
}

static void history_should_refuse_one_point_or_one_date(void **state)
{
    (void)state;
    double t[] = {5, 5}, y[] = {1, 2};
    assert_true(isnan(history_slope(t, y, 1)));
    assert_true(isnan(history_slope(t, y, 2)));
}

static void history_should_read_month_firsts_and_ends_as_whole_months(void **state)
{
    (void)state;
    double first = 0, end = 0, next = 0;
    long key = 0;
    assert_int_equal(history_parse_date("2024-02-01", 10, &first, &key), 0);
    assert_int_equal(key, 20240201);
    assert_true(first == 2024 * 12 + 1);
    assert_int_equal(history_parse_date("2024-02-29", 10, &end, &key), 0); /* a leap year's last day */
    assert_true(end == 2024 * 12 + 2);
    assert_int_equal(history_parse_date("2024-03-31", 10, &next, &key), 0);
    assert_true(next - end == 1);
    assert_int_equal(history_parse_date("2024-02-15", 10, &first, &key), 0);
    assert_true(first == 2024 * 12 + 1 + 14.0 / 29);
}

static void history_should_refuse_bad_dates(void **state)
{
    (void)state;
    static const char *const bad[] = {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "2024/01/01",
                                      "24-01-01", "2024-01-32", "2024-01-01T00", "", "abcd-ef-gh"};
    double months = 0;
    long key = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(history_parse_date(bad[i], strlen(bad[i]), &months, &key), -1);
}

/* ------------------------------------------------------------ weekly snapshots */

enum { N_ACCOUNTS = 10, N_WEEKS = 18, MAX_MONTHS = 4 };

/* The Mondays from 2024-01-01: 2024-04-29 is week 17 (5, 4, 4 and 5 in
 * the four months). */
static void monday(int week, char *date, size_t size)
{
    static const int days[] = {31, 29, 31, 30, 31};
    int month = 0, day = 1 + 7 * week;
    while (month < 4 && day > days[month])
        day -= days[month++];
    snprintf(date, size, "2024-%02d-%02d", month + 1, day);
}

/* The small model of the command-line cases: health falls with x (plan a:
 * 99 at x 0.5, 88 green at 2, 72 at 2.5, 46 yellow at 3, 9 red at 4). */
static model *small_model(void)
{
    static const char csv[] = "id,x,plan,churn\n1,0.5,a,0\n2,1.5,b,1\n3,2.5,a,0\n4,0.1,b,1\n5,3.3,a,1\n"
                              "6,0.7,b,0\n7,1.1,a,0\n8,2.2,b,1\n";
    char *path = test_write_temp(csv, sizeof csv - 1);
    train_spec spec;
    train_spec_default(&spec);
    spec.data_path = path;
    spec.churn = "churn";
    spec.id = "id";
    spec.threads = 1;
    vt_err err = {0};
    model *m = NULL;
    train_notes notes;
    assert_int_equal(train_spec_check(&spec, 0, &err), VT_OK);
    if (train_run(&spec, &m, &notes, &err) != VT_OK)
        fail_msg("train_run: %s", err.msg);
    train_notes_free(&notes);
    train_spec_free(&spec);
    test_remove_temp(path);
    return m;
}

/* Account k's x and churn label in week w, or 0 when it has no snapshot:
 * k0-k2 swing green/yellow every week (slid every other week), k3 declines
 * to red (falling week after week), k4-k8 steady, k8 labelled churned on
 * 2024-02-12 only (its later February snapshots are not), k9 labelled on
 * every March snapshot and absent in April. */
static int weekly_row(int k, int w, double *x, int *churn)
{
    *churn = (k == 9 && w >= 9 && w <= 12) || (k == 8 && w == 6);
    if (k == 9 && w > 12)
        return 0;
    *x = k < 3 ? (w % 2 ? 3.0 : 2.0) : k == 3 ? 1 + 0.17 * w : k == 9 ? 2.5 : 0.5;
    return 1;
}

/* The weekly file, or (monthly) only each account's last snapshot of
 * each month. */
static char *snapshots_csv(int monthly)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    fputs("id,x,plan,snapshot_date,churn\n", out);
    for (int w = 0; w < N_WEEKS; w++) {
        char date[32], next[32];
        monday(w, date, sizeof date);
        monday(w + 1, next, sizeof next);
        if (monthly && memcmp(date, next, 7) == 0)
            continue;
        for (int k = 0; k < N_ACCOUNTS; k++) {
            double x = 0;
            int churn = 0;
            if (weekly_row(k, w, &x, &churn))
                fprintf(out, "k%d,%.2f,a,%s,%d\n", k, x, date, churn);
        }
    }
    fclose(out);
    return text;
}

/* history_run over text; the history rows (malloc'ed) in *rows. */
static vt_status run(const model *m, const char *text, int by_absence, history_report *report, char **rows,
                     vt_err *err)
{
    char *path = test_write_temp(text, strlen(text));
    history_options opts = {.data_path = path, .date_column = "snapshot_date", .window = 3, .alert_velocity = 5,
                            .by_absence = by_absence};
    size_t size = 0;
    FILE *out = open_memstream(rows, &size);
    vt_status status = history_run(m, &opts, out, report, err);
    fclose(out);
    test_remove_temp(path);
    return status;
}

/* The month counts recomputed from the history rows: per month and
 * account its last row's bucket, and whether any of its rows alerted. */
typedef struct {
    size_t accounts, rows, alerted_rows, bucket[3], alerts, slid, falling, entered_red;
} month_check;

static void recount(const char *rows, month_check months[MAX_MONTHS])
{
    int last_bucket[MAX_MONTHS][N_ACCOUNTS], any[MAX_MONTHS][N_ACCOUNTS][4];
    memset(months, 0, MAX_MONTHS * sizeof *months);
    memset(any, 0, sizeof any);
    for (int mo = 0; mo < MAX_MONTHS; mo++)
        for (int k = 0; k < N_ACCOUNTS; k++)
            last_bucket[mo][k] = -1;
    const char *line = strchr(rows, '\n') + 1; /* past the header */
    for (; *line; line = strchr(line, '\n') + 1) {
        int k = 0, month = 0, health = 0, alert = 0;
        char bucket_text[8], reasons[64] = "";
        /* id,date,health,bucket,health_change,velocity,alert,reasons: the
         * change and velocity may be empty, so the fields are found by commas */
        const char *f[8];
        f[0] = line;
        for (int i = 1; i < 8; i++)
            f[i] = strchr(f[i - 1], ',') + 1;
        assert_int_equal(sscanf(f[0], "k%d,2024-%d-", &k, &month), 2);
        assert_int_equal(sscanf(f[2], "%d,%7[a-z],", &health, bucket_text), 2);
        assert_int_equal(sscanf(f[6], "%d", &alert), 1);
        sscanf(f[7], "%63[a-z_;]", reasons);
        month_check *mc = &months[month - 1];
        mc->rows++;
        mc->alerted_rows += (size_t)alert;
        last_bucket[month - 1][k] = strcmp(bucket_text, "green") == 0 ? BUCKET_GREEN
                                    : strcmp(bucket_text, "yellow") == 0 ? BUCKET_YELLOW
                                                                         : BUCKET_RED;
        int *a = any[month - 1][k];
        a[0] |= alert;
        a[1] |= strstr(reasons, "slid") != NULL;
        a[2] |= strstr(reasons, "falling") != NULL;
        a[3] |= strstr(reasons, "entered_red") != NULL;
    }
    for (int mo = 0; mo < MAX_MONTHS; mo++)
        for (int k = 0; k < N_ACCOUNTS; k++)
            if (last_bucket[mo][k] >= 0) {
                month_check *mc = &months[mo];
                mc->accounts++;
                mc->bucket[last_bucket[mo][k]]++;
                mc->alerts += (size_t)any[mo][k][0];
                mc->slid += (size_t)any[mo][k][1];
                mc->falling += (size_t)any[mo][k][2];
                mc->entered_red += (size_t)any[mo][k][3];
            }
}

static void history_should_count_accounts_of_weekly_snapshots(void **state)
{
    (void)state;
    model *m = small_model();
    char *weekly = snapshots_csv(0), *monthly = snapshots_csv(1), *rows = NULL, *monthly_rows = NULL;
    history_report report = {0}, by_month = {0}, absent = {0};
    vt_err err = {0};
    if (run(m, weekly, 0, &report, &rows, &err) != VT_OK)
        fail_msg("history_run: %s", err.msg);
    assert_int_equal(report.n_accounts, N_ACCOUNTS);
    assert_int_equal(report.n_rows, 9 * N_WEEKS + 13);
    assert_int_equal(report.n_months, 4);
    month_check want[MAX_MONTHS];
    recount(rows, want);
    static const size_t weeks[] = {5, 4, 4, 5};
    size_t alerted_rows = 0, alerts = 0;
    for (size_t mo = 0; mo < 4; mo++) {
        const history_month *got = &report.months[mo];
        size_t accounts = mo < 3 ? N_ACCOUNTS : N_ACCOUNTS - 1;
        assert_int_equal(got->n_accounts, accounts); /* 10 accounts, not 40 or 50 snapshots */
        assert_int_equal(got->n_rows, accounts * weeks[mo]);
        assert_int_equal(want[mo].accounts, accounts);
        assert_int_equal(got->n_bucket[0] + got->n_bucket[1] + got->n_bucket[2], accounts);
        for (int b = 0; b < 3; b++)
            assert_int_equal(got->n_bucket[b], want[mo].bucket[b]);
        assert_int_equal(got->n_alerts, want[mo].alerts);
        assert_true(got->n_alerts <= accounts);
        assert_int_equal(got->n_slid, want[mo].slid);
        assert_int_equal(got->n_falling, want[mo].falling);
        assert_int_equal(got->n_entered_red, want[mo].entered_red);
        alerted_rows += want[mo].alerted_rows;
        alerts += got->n_alerts;
    }
    /* accounts alerted in several weeks of a month count once */
    assert_true(alerts >= 4 && alerted_rows >= alerts + 8);
    /* churners by label: k9 once (labelled on four March snapshots), not
     * k8 (its latest February snapshot is not labelled) */
    assert_true(report.label_used);
    assert_int_equal(report.months[1].n_churners, 0);
    assert_int_equal(report.months[2].n_churners, 1);
    assert_int_equal(report.n_churners, 1);
    /* by absence: k9, absent in April, churned in March */
    char *absent_rows = NULL;
    if (run(m, weekly, 1, &absent, &absent_rows, &err) != VT_OK)
        fail_msg("history_run: %s", err.msg);
    assert_string_equal(rows, absent_rows);
    assert_int_equal(absent.n_churners, 1);
    assert_int_equal(absent.months[2].n_churners, 1);
    assert_false(absent.months[3].outcome_known);
    /* the months' accounts and buckets are those of the monthly file of
     * each account's latest snapshot in the month */
    if (run(m, monthly, 0, &by_month, &monthly_rows, &err) != VT_OK)
        fail_msg("history_run: %s", err.msg);
    assert_int_equal(by_month.n_months, 4);
    for (size_t mo = 0; mo < 4; mo++) {
        assert_int_equal(by_month.months[mo].n_accounts, report.months[mo].n_accounts);
        assert_int_equal(by_month.months[mo].n_rows, report.months[mo].n_accounts);
        for (int b = 0; b < 3; b++)
            assert_int_equal(by_month.months[mo].n_bucket[b], report.months[mo].n_bucket[b]);
    }
    assert_int_equal(by_month.n_churners, 1);
    history_report_free(&report);
    history_report_free(&absent);
    history_report_free(&by_month);
    free(rows);
    free(absent_rows);
    free(monthly_rows);
    free(weekly);
    free(monthly);
    model_free(m);
}

static void history_should_refuse_an_id_twice_on_one_date(void **state)
{
    (void)state;
    model *m = small_model();
    history_report report = {0};
    vt_err err = {0};
    char *rows = NULL;
    assert_int_equal(run(m,
                         "id,x,plan,snapshot_date\nk1,1,a,2024-01-01\nk2,1,a,2024-01-08\nk1,2,a,2024-01-08\n"
                         "k1,3,a,2024-01-08\n",
                         0, &report, &rows, &err),
                     VT_EDATA);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.col, 1);
    assert_non_null(strstr(err.msg, "id 'k1' appears twice on 2024-01-08"));
    history_report_free(&report);
    free(rows);
    /* a month's last day and the next month's first are the same months
     * since year 0, but two dates: two snapshots, the velocity of the two
     * alone undefined (empty) */
    rows = NULL;
    assert_int_equal(run(m, "id,x,plan,snapshot_date\nk1,0.5,a,2024-01-31\nk1,2,a,2024-02-01\nk1,2,a,2024-02-08\n", 0,
                         &report, &rows, &err),
                     VT_OK);
    const char *body = strchr(rows, '\n') + 1, *want = "k1,2024-01-31,99,green,,,0,\nk1,2024-02-01,88,green,-11,,0,\n"
                                                        "k1,2024-02-08,88,green,0,-22.7857"; /* -77*87/294 */
    assert_memory_equal(body, want, strlen(want));
    assert_non_null(strstr(body, ",1,falling\n"));
    assert_int_equal(report.n_months, 2);
    assert_int_equal(report.months[1].n_accounts, 1);
    assert_int_equal(report.months[1].n_rows, 2);
    history_report_free(&report);
    free(rows);
    model_free(m);
}

/* history_run with the reader's block and the thread count given. */
static vt_status run_blocks(const model *m, const char *text, size_t block_bytes, size_t threads,
                            history_report *report, char **rows, vt_err *err)
{
    char *path = test_write_temp(text, strlen(text));
    history_options opts = {.data_path = path, .date_column = "snapshot_date", .window = 3, .alert_velocity = 5,
                            .block_bytes = block_bytes, .threads = threads};
    size_t size = 0;
    FILE *out = open_memstream(rows, &size);
    vt_status status = history_run(m, &opts, out, report, err);
    fclose(out);
    test_remove_temp(path);
    return status;
}

/* Workers score blocks, one thread runs the accounts in file order: blocks
 * of a few rows on three threads give the rows, the months and the first
 * error of one block on one thread. */
static void history_should_not_depend_on_blocks_or_threads(void **state)
{
    (void)state;
    model *m = small_model();
    char *weekly = snapshots_csv(0), *want_rows = NULL, *got_rows = NULL;
    history_report want = {0}, got = {0};
    vt_err err = {0};
    assert_int_equal(run_blocks(m, weekly, 0, 1, &want, &want_rows, &err), VT_OK);
    static const size_t blocks[] = {64, 200, 1000};
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
        if (run_blocks(m, weekly, blocks[b], 3, &got, &got_rows, &err) != VT_OK)
            fail_msg("history_run: %s", err.msg);
        assert_string_equal(want_rows, got_rows);
        assert_int_equal(got.n_rows, want.n_rows);
        assert_int_equal(got.n_months, want.n_months);
        assert_memory_equal(got.months, want.months, want.n_months * sizeof *want.months);
        history_report_free(&got);
        free(got_rows);
    }
    /* the first error in file order: a date out of order (line 4) before a
     * bad cell (line 6), a bad cell (line 3) before a date out of order */
    static const char *const bad[] = {
        "id,x,plan,snapshot_date\nk1,1,a,2024-01-08\nk2,1,a,2024-01-08\nk3,1,a,2024-01-01\nk4,1,a,2024-01-08\n"
        "k5,lots,a,2024-01-08\n",
        "id,x,plan,snapshot_date\nk1,1,a,2024-01-08\nk2,lots,a,2024-01-08\nk3,1,a,2024-01-01\n",
        "id,x,plan,snapshot_date\nk1,1,a,2024-01-08\nk2,1,a,2024-01-08\nk3,lots,a,2024-01-01\n"};
    static const long line[] = {4, 3, 4}, col[] = {4, 2, 4};
    for (size_t k = 0; k < 3; k++)
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
            got_rows = NULL;
            assert_int_equal(run_blocks(m, bad[k], b == 0 ? 24 : blocks[b], 1 + b, &got, &got_rows, &err), VT_EDATA);
            assert_int_equal(err.line, line[k]);
            assert_int_equal(err.col, col[k]);
            history_report_free(&got);
            free(got_rows);
        }
    history_report_free(&want);
    free(want_rows);
    free(weekly);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(history_should_match_direct_least_squares),
        cmocka_unit_test(history_should_give_minus_six_for_six_points_a_month),
        cmocka_unit_test(history_should_refuse_one_point_or_one_date),
        cmocka_unit_test(history_should_read_month_firsts_and_ends_as_whole_months),
        cmocka_unit_test(history_should_refuse_bad_dates),
        cmocka_unit_test(history_should_count_accounts_of_weekly_snapshots),
        cmocka_unit_test(history_should_refuse_an_id_twice_on_one_date),
        cmocka_unit_test(history_should_not_depend_on_blocks_or_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
