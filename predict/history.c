#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
#include "dict.h"
#include "numformat.h"
#include "row_stream.h"
#include "score.h"
#include "table.h"

/* What an account did in the month of its latest snapshot, added to that
 * month's counts when the month closes for it (account_close_month). */
enum { IN_MONTH_ALERT = 1, IN_MONTH_SLID = 2, IN_MONTH_FALLING = 4, IN_MONTH_ENTERED_RED = 8, IN_MONTH_CHURNED = 16 };

/* One account's state: the ring of its last `window` snapshots and what
 * the next snapshot is judged against. */
typedef struct {
    double last_t;
    double streak_since;  /* months of the first alert of the open streak; NaN: none */
    long last_key;        /* the date of its latest snapshot (history_parse_date's key) */
    int last_health;
    int last_bucket;
    unsigned in_month;    /* IN_MONTH_*: alerts in any snapshot of last_month, the latest one's label */
    size_t last_month;    /* index into the report's months */
    size_t n;             /* snapshots seen */
} account;

typedef struct {
    double *leads;
    size_t n, cap;
} lead_list;

/* One data row as a worker leaves it for the merge: what the account's
 * state needs, the rest of the row gone with its block. */
typedef struct {
    size_t id_at, id_len;      /* the id's bytes in the block's ids */
    long line, key;            /* key: history_parse_date's */
    double t;                  /* months */
    char date[10];             /* YYYY-MM-DD */
    int health, level, churned;
    int failed;                /* the row's cell after its date is bad: the block's error, once its date is checked */
} snapshot;

/* A block's rows, then its first error: the merge checks the rows' date
 * order first, so the error reported is the first in file order. */
typedef struct {
    snapshot *rows;
    size_t n, cap;
    buf ids;
    vt_status status;
    vt_err err;
} block_result;

/* Read-only on the workers once bound: which columns the rows are read by. */
typedef struct {
    const history_options *opts;
    const char *path;
    const scorer *sc;
    long date_field, label_field, id_field;
} columns;

typedef struct {
    const columns *cols;
    double *x;                 /* an encoded row */
    score_counts counts;
} worker;

typedef struct {
    const history_options *opts;
    const char *path;
    FILE *out;
    dict *ids;
    account *accounts;
    size_t cap_accounts;
    double *ring_t, *ring_h;   /* window per account */
    size_t cap_ring;           /* in accounts */
    history_report *report;
    size_t cap_months;
    lead_list *leads;          /* per month */
    size_t cap_leads;
    long date_field, label_field, id_field;
    long last_key;
    buf text;                  /* a block's history rows */
} history_state;

static const char *const reason_names[] = {"slid", "falling", "entered_red"};

double history_slope(const double *t, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double mean_t = 0, mean_y = 0;
    for (size_t i = 0; i < n; i++) {
        mean_t += t[i];
        mean_y += y[i];
    }
    mean_t /= (double)n;
    mean_y /= (double)n;
    double sxy = 0, sxx = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (t[i] - mean_t) * (y[i] - mean_y);
        sxx += (t[i] - mean_t) * (t[i] - mean_t);
    }
    return sxx > 0 ? sxy / sxx : NAN;
}

static int days_in_month(long year, long month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

static long digits(const char *text, size_t n)
{
    long value = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

int history_parse_date(const char *text, size_t len, double *months, long *key)
{
    if (len != 10 || text[4] != '-' || text[7] != '-')
        return -1;
    long year = digits(text, 4), month = digits(text + 5, 2), day = digits(text + 8, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return -1;
    int length = days_in_month(year, month);
    double whole = (double)(year * 12 + month - 1);
    *months = day == length ? whole + 1 : whole + (double)(day - 1) / length;
    *key = year * 10000 + month * 100 + day;
    return 0;
}

void history_report_free(history_report *report)
{
    if (report == NULL)
        return;
    free(report->months);
    report->months = NULL;
    report->n_months = 0;
}

/* ------------------------------------------------------------ state */

static void state_free(history_state *s)
{
    dict_free(s->ids);
    free(s->accounts);
    free(s->ring_t);
    free(s->ring_h);
    for (size_t i = 0; s->leads && i < s->report->n_months; i++)
        free(s->leads[i].leads);
    free(s->leads);
    buf_free(&s->text);
}

/* The account of an id, made on first sight: its index, or -1 (out of memory). */
static long account_of(history_state *s, const char *id, size_t len, int *is_new)
{
    size_t before = dict_size(s->ids);
    long index = dict_intern(s->ids, id, len);
    if (index < 0)
        return -1;
    *is_new = (size_t)index == before;
    if (!*is_new)
        return index;
    size_t need = (size_t)index + 1, window = s->opts->window, cap_t = s->cap_ring * window, cap_h = cap_t;
    if (vt_grow((void **)&s->accounts, &s->cap_accounts, need, sizeof(account)) != 0 ||
        vt_grow((void **)&s->ring_t, &cap_t, need * window, sizeof(double)) != 0 ||
        vt_grow((void **)&s->ring_h, &cap_h, need * window, sizeof(double)) != 0)
        return -1;
    s->cap_ring = (cap_t < cap_h ? cap_t : cap_h) / window;
    s->accounts[index] = (account){.streak_since = NAN};
    return index;
}

/* The month of a date (its first 7 characters): its index, a new one at
 * the end when it differs from the last; -1 out of memory. */
static long month_of(history_state *s, const char *date)
{
    history_report *r = s->report;
    if (r->n_months > 0 && memcmp(r->months[r->n_months - 1].month, date, 7) == 0)
        return (long)r->n_months - 1;
    size_t cap_leads = s->cap_leads;
    if (vt_grow((void **)&r->months, &s->cap_months, r->n_months + 1, sizeof(history_month)) != 0 ||
        vt_grow((void **)&s->leads, &cap_leads, r->n_months + 1, sizeof(lead_list)) != 0)
        return -1;
    s->cap_leads = cap_leads;
    history_month *month = &r->months[r->n_months];
    memset(month, 0, sizeof *month);
    memcpy(month->month, date, 7);
    month->median_lead = NAN;
    s->leads[r->n_months] = (lead_list){0};
    return (long)r->n_months++;
}

/* A churner in month m, its alert streak as it stood at its last snapshot. */
static int record_churner(history_state *s, size_t m, const account *a)
{
    history_month *month = &s->report->months[m];
    month->n_churners++;
    if (isnan(a->streak_since))
        return 0;
    month->n_churners_alerted++;
    lead_list *list = &s->leads[m];
    if (vt_grow((void **)&list->leads, &list->cap, list->n + 1, sizeof(double)) != 0)
        return -1;
    list->leads[list->n++] = a->last_t - a->streak_since;
    month->n_churners_ahead += a->last_t - a->streak_since >= 1;
    return 0;
}

/* The account's row in the month of its latest snapshot, once no later
 * snapshot of it can fall in that month: its bucket is the latest
 * snapshot's, it counts once as alerted (and once per reason) if any of its
 * snapshots that month was, and once as a churner if the latest one is
 * labelled churned, its streak as it stood there. */
static int account_close_month(history_state *s, const account *a)
{
    history_month *month = &s->report->months[a->last_month];
    month->n_accounts++;
    month->n_bucket[a->last_bucket]++;
    month->n_alerts += (a->in_month & IN_MONTH_ALERT) != 0;
    month->n_slid += (a->in_month & IN_MONTH_SLID) != 0;
    month->n_falling += (a->in_month & IN_MONTH_FALLING) != 0;
    month->n_entered_red += (a->in_month & IN_MONTH_ENTERED_RED) != 0;
    return (a->in_month & IN_MONTH_CHURNED) ? record_churner(s, a->last_month, a) : 0;
}

/* ------------------------------------------------------------ a row */

static vt_status bad_date(const char *path, const history_options *o, long line, long field, const char *text,
                          size_t len, const char *what, vt_err *err)
{
    char shown[VT_QUOTE_SIZE];
    return vt_err_set(err, VT_EDATA, path, line, field + 1, "%s '%s' %s", o->date_column,
                      vt_quote(shown, sizeof shown, text, len), what);
}

/* Velocity over the account's ring after adding (t, health). */
static double push_ring(history_state *s, long index, account *a, double t, int health)
{
    size_t window = s->opts->window, slot = a->n % window;
    double *ring_t = s->ring_t + (size_t)index * window, *ring_h = s->ring_h + (size_t)index * window;
    ring_t[slot] = t;
    ring_h[slot] = health;
    a->n++;
    /* The slope does not depend on the points' order: the ring is used as it lies. */
    return history_slope(ring_t, ring_h, a->n < window ? a->n : window);
}

static int put_row(history_state *s, const char *id, const snapshot *row, const account *a, int is_new,
                   double velocity, const int reasons[3])
{
    char number[32];
    buf *line = &s->text;
    if (buf_reserve(line, BUF_CSV_BOUND(row->id_len) + BUF_CSV_BOUND(sizeof row->date) + 128) != 0)
        return -1;
    buf_put_csv(line, id, row->id_len);
    buf_put_char(line, ',');
    buf_put_csv(line, row->date, sizeof row->date);
    buf_put_char(line, ',');
    buf_put(line, number, num_format_uint((unsigned long long)row->health, number));
    buf_put_char(line, ',');
    buf_put(line, bucket_name((bucket)row->level), strlen(bucket_name((bucket)row->level)));
    buf_put_char(line, ',');
    if (!is_new)
        buf_put(line, number, (size_t)snprintf(number, sizeof number, "%d", row->health - a->last_health));
    buf_put_char(line, ',');
    if (!isnan(velocity))
        buf_put(line, number, num_format(velocity, number));
    int any = reasons[0] || reasons[1] || reasons[2];
    buf_put(line, any ? ",1," : ",0,", 3);
    for (int k = 0, first = 1; k < 3; k++)
        if (reasons[k]) {
            if (!first)
                buf_put_char(line, ';');
            buf_put(line, reason_names[k], strlen(reason_names[k]));
            first = 0;
        }
    buf_put_char(line, '\n');
    return 0;
}

/* ------------------------------------------------ on the worker threads */

/* One row scored into the block's snapshots; VT_OK with b->status set
 * when the row is bad (the block ends there), an error when memory is. */
static vt_status read_snapshot(worker *w, const csv_row *row, block_result *b, vt_err *err)
{
    const columns *c = w->cols;
    snapshot at = {.line = row->line, .id_len = row->lengths[c->id_field], .id_at = b->ids.len};
    const char *date = row->fields[c->date_field];
    size_t date_len = row->lengths[c->date_field];
    if (history_parse_date(date, date_len, &at.t, &at.key) != 0) {
        b->status = bad_date(c->path, c->opts, row->line, c->date_field, date, date_len, "is not a date YYYY-MM-DD",
                             &b->err);
        return VT_OK;
    }
    memcpy(at.date, date, sizeof at.date);
    score_result result;
    double churned = 0;
    b->status = scorer_row(c->sc, row, w->x, &result, &w->counts, &b->err);
    if (b->status == VT_OK && c->label_field >= 0 &&
        table_parse_label(row->fields[c->label_field], row->lengths[c->label_field], &churned) != 0) {
        char shown[VT_QUOTE_SIZE];
        b->status = vt_err_set(&b->err, VT_EDATA, c->path, row->line, c->label_field + 1,
                               "label '%s' is not 0/1, yes/no, true/false or t/f",
                               vt_quote(shown, sizeof shown, row->fields[c->label_field], row->lengths[c->label_field]));
    }
    at.failed = b->status != VT_OK;
    at.health = result.health;
    at.level = (int)result.level;
    at.churned = churned == 1;
    /* one byte more: the ids' data is never NULL, even for empty ids */
    if (vt_grow((void **)&b->rows, &b->cap, b->n + 1, sizeof(snapshot)) != 0 || buf_reserve(&b->ids, at.id_len + 1) != 0)
        return vt_err_set(err, VT_ENOMEM, c->path, row->line, 0, "out of memory");
    buf_put(&b->ids, row->fields[c->id_field], at.id_len);
    b->rows[b->n++] = at;
    return VT_OK;
}

static vt_status snapshot_block(void *state, const row_block *block, buf *out, void *result, vt_err *err)
{
    worker *w = state;
    block_result *b = result;
    (void)out; /* the rows are written by the merge, which knows the accounts */
    b->n = 0;
    b->ids.len = 0;
    b->status = VT_OK;
    while (b->status == VT_OK) {
        const csv_row *row = NULL;
        if ((b->status = csv_reader_next(block->rows, &row, &b->err)) != VT_OK || row == NULL)
            break;
        vt_status status = read_snapshot(w, row, b, err);
        if (status != VT_OK)
            return status;
    }
    return VT_OK;
}

static void block_release(void *result)
{
    block_result *b = result;
    free(b->rows);
    buf_free(&b->ids);
}

/* -------------------------------------------- on the calling thread */

/* The snapshot's date, in order with the rows before. */
static vt_status check_order(history_state *s, const snapshot *row, vt_err *err)
{
    if (row->key < s->last_key) {
        char shown[160];
        snprintf(shown, sizeof shown, "is before %04ld-%02ld-%02ld on an earlier line: the snapshots must be in date order",
                 s->last_key / 10000, s->last_key / 100 % 100, s->last_key % 100);
        return bad_date(s->path, s->opts, row->line, s->date_field, row->date, sizeof row->date, shown, err);
    }
    s->last_key = row->key;
    return VT_OK;
}

/* The account's state machine over one snapshot, its history row written. */
static vt_status history_row(history_state *s, const char *id, const snapshot *row, vt_err *err)
{
    int is_new = 0;
    long index = account_of(s, id, row->id_len, &is_new);
    long m = index < 0 ? -1 : month_of(s, row->date);
    if (m < 0)
        return vt_err_set(err, VT_ENOMEM, s->path, row->line, 0, "out of memory");
    account *a = &s->accounts[index];
    if (!is_new && s->last_key == a->last_key) {
        char shown[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, s->path, row->line, s->id_field + 1, "id '%s' appears twice on %.10s",
                          vt_quote(shown, sizeof shown, id, row->id_len), row->date);
    }
    /* A snapshot in a later month closes the account's row of the earlier one. */
    if (!is_new && a->last_month != (size_t)m) {
        if (account_close_month(s, a) != 0)
            return vt_err_set(err, VT_ENOMEM, s->path, row->line, 0, "out of memory");
        a->in_month = 0;
    }
    double t = row->t, velocity = push_ring(s, index, a, t, row->health);
    int reasons[3] = {0, 0, 0};
    if (!is_new) {
        reasons[0] = row->level < a->last_bucket;
        reasons[1] = !isnan(velocity) && velocity < -s->opts->alert_velocity;
        reasons[2] = row->level == BUCKET_RED && a->last_bucket != BUCKET_RED;
    }
    int alert = reasons[0] || reasons[1] || reasons[2];
    if (put_row(s, id, row, a, is_new, velocity, reasons) != 0)
        return vt_err_set(err, VT_ENOMEM, s->path, row->line, 0, "out of memory");

    s->report->months[m].n_rows++;
    a->in_month = (a->in_month & ~(unsigned)IN_MONTH_CHURNED) | (alert ? IN_MONTH_ALERT : 0) |
                  (reasons[0] ? IN_MONTH_SLID : 0) | (reasons[1] ? IN_MONTH_FALLING : 0) |
                  (reasons[2] ? IN_MONTH_ENTERED_RED : 0) | (row->churned ? IN_MONTH_CHURNED : 0);
    if (alert && isnan(a->streak_since))
        a->streak_since = t;
    else if (!alert && row->level == BUCKET_GREEN)
        a->streak_since = NAN; /* recovered: a later alert starts a new streak */
    a->last_t = t;
    a->last_key = s->last_key;
    a->last_health = row->health;
    a->last_bucket = row->level;
    a->last_month = (size_t)m;
    return VT_OK;
}

/* A block's snapshots in file order: each date checked against the rows
 * before it, then the row's own error if it has one, else its account's
 * step.  The block's rows are written together. */
static vt_status merge_snapshots(void *user, void *result, const buf *text, vt_err *err)
{
    history_state *s = user;
    block_result *b = result;
    (void)text;
    s->text.len = 0;
    for (size_t i = 0; i < b->n; i++) {
        const snapshot *row = &b->rows[i];
        vt_status status = check_order(s, row, err);
        if (status == VT_OK && row->failed)
            break;
        if (status == VT_OK) {
            s->report->n_rows++;
            status = history_row(s, b->ids.data + row->id_at, row, err);
        }
        if (status != VT_OK)
            return status;
    }
    if (b->status != VT_OK) {
        *err = b->err;
        return b->status;
    }
    if (s->text.len)
        fwrite(s->text.data, 1, s->text.len, s->out); /* a failed write fails the output's commit */
    return VT_OK;
}

/* ------------------------------------------------------------ the run */

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(lead_list *list)
{
    if (list->n == 0)
        return NAN;
    qsort(list->leads, list->n, sizeof(double), compare_double);
    size_t half = list->n / 2;
    return list->n % 2 ? list->leads[half] : (list->leads[half - 1] + list->leads[half]) / 2;
}

/* Every account's row of the month of its last snapshot; outcomes:
 * without a label, an account whose last snapshot is before the file's
 * last month churned; then the medians of every month. */
static vt_status finish(history_state *s, vt_err *err)
{
    history_report *r = s->report;
    r->n_accounts = dict_size(s->ids);
    for (size_t i = 0; i < r->n_accounts; i++)
        if (account_close_month(s, &s->accounts[i]) != 0)
            return vt_err_set(err, VT_ENOMEM, s->path, 0, 0, "out of memory");
    for (size_t m = 0; m < r->n_months; m++)
        r->months[m].outcome_known = r->label_used || m + 1 < r->n_months;
    for (size_t i = 0; !r->label_used && i < r->n_accounts; i++)
        if (s->accounts[i].last_month + 1 < r->n_months && record_churner(s, s->accounts[i].last_month, &s->accounts[i]) != 0)
            return vt_err_set(err, VT_ENOMEM, s->path, 0, 0, "out of memory");
    lead_list all = {0};
    for (size_t m = 0; m < r->n_months; m++) {
        lead_list *list = &s->leads[m];
        r->n_churners += r->months[m].n_churners;
        r->n_churners_alerted += r->months[m].n_churners_alerted;
        r->n_churners_ahead += r->months[m].n_churners_ahead;
        r->months[m].median_lead = median(list);
        if (vt_grow((void **)&all.leads, &all.cap, all.n + list->n, sizeof(double)) != 0) {
            free(all.leads);
            return vt_err_set(err, VT_ENOMEM, s->path, 0, 0, "out of memory");
        }
        if (list->n)
            memcpy(all.leads + all.n, list->leads, list->n * sizeof(double));
        all.n += list->n;
    }
    r->median_lead = median(&all);
    free(all.leads);
    return VT_OK;
}

static vt_status bind_columns(history_state *s, const row_stream *rows, const model *m, const scorer *sc, vt_err *err)
{
    const history_options *o = s->opts;
    s->id_field = scorer_id_field(sc);
    if (s->id_field < 0)
        return vt_err_set(err, VT_EDATA, s->path, 1, 0, "no id column '%s' in the header", m->id_column);
    if ((s->date_field = row_stream_find(rows, o->date_column)) < 0)
        return vt_err_set(err, VT_EDATA, s->path, 1, 0, "no date column '%s' in the header", o->date_column);
    const char *label = o->label_column ? o->label_column : m->targets[score_churn_index(m)].label;
    s->label_field = label && !o->by_absence ? row_stream_find(rows, label) : -1;
    if (o->label_column && s->label_field < 0)
        return vt_err_set(err, VT_EDATA, s->path, 1, 0, "no label column '%s' in the header", o->label_column);
    s->report->label_used = s->label_field >= 0;
    return VT_OK;
}

/* Workers score the rows, the merge runs the accounts in file order. */
static vt_status read_rows(history_state *s, row_stream *rows, const model *m, vt_err *err)
{
    size_t n_threads = row_stream_threads(s->opts->threads);
    worker *workers = vt_calloc(n_threads, sizeof(worker));
    void **states = vt_calloc(n_threads, sizeof(void *));
    scorer *sc = NULL;
    vt_status status = workers && states ? VT_OK : vt_err_set(err, VT_ENOMEM, s->path, 0, 0, "out of memory");
    if (status == VT_OK)
        status = scorer_new(m, s->path, (const char *const *)row_stream_header(rows), row_stream_n_columns(rows),
                            s->opts->unseen_baseline, &sc, err);
    if (status == VT_OK) {
        scorer_read_booleans(sc, row_stream_booleans(rows));
        status = bind_columns(s, rows, m, sc, err);
    }
    columns cols = {s->opts, s->path, sc, s->date_field, s->label_field, s->id_field};
    for (size_t i = 0; status == VT_OK && i < n_threads; i++) {
        workers[i].cols = &cols;
        states[i] = &workers[i];
        if ((workers[i].x = vt_calloc(scorer_n_terms(sc), sizeof(double))) == NULL)
            status = vt_err_set(err, VT_ENOMEM, s->path, 0, 0, "out of memory");
    }
    if (status == VT_OK)
        fputs("id,date,health,bucket,health_change,velocity,alert,reasons\n", s->out);
    row_job job = {snapshot_block, merge_snapshots, block_release, sizeof(block_result), s};
    if (status == VT_OK)
        status = row_stream_run(rows, states, n_threads, &job, NULL, err);
    for (size_t i = 0; workers && i < n_threads; i++)
        free(workers[i].x);
    free(workers);
    free(states);
    scorer_free(sc);
    return status;
}

vt_status history_run(const model *m, const history_options *opts, FILE *out, history_report *report, vt_err *err)
{
    memset(report, 0, sizeof *report);
    if (m->id_column == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "history follows accounts by id: train the model with --id");
    if (opts->window < 2 || opts->window > HISTORY_MAX_WINDOW)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--window must be 2 to %d snapshots", HISTORY_MAX_WINDOW);
    history_state s = {.opts = opts, .report = report, .path = opts->data_path, .out = out};
    row_stream *rows = NULL;
    row_stream_options input = {.path = opts->data_path, .query = opts->query,
                                .delimiter = opts->delimiter ? opts->delimiter : m->delimiter,
                                .block_bytes = opts->block_bytes};
    vt_status status = (s.ids = dict_new()) ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        status = row_stream_open(&input, &rows, err);
    if (status == VT_OK) {
        s.path = row_stream_name(rows);
        status = read_rows(&s, rows, m, err);
    }
    if (status == VT_OK)
        status = finish(&s, err);
    state_free(&s);
    row_stream_free(rows);
    return status;
}
