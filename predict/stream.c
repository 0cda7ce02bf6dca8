#include "stream.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_reader.h"
#include "csv_split.h"
#include "encode.h"
#include "numformat.h"
#include "outfile.h"
#include "score.h"

#define STREAM_BLOCK_BYTES (1u << 20)
/* Rows scored per dgemm call: the block of the design stays in cache. */
#define SUB_ROWS 512

typedef enum { SLOT_EMPTY, SLOT_READY, SLOT_BUSY, SLOT_DONE } slot_state;

/* An alert budget needs the churn-risk quantile before the first row is
 * written: a counting pass histograms the risks by the top bits of their
 * bit patterns (monotone for non-negative doubles), a collecting pass keeps
 * the risks in the one bucket that holds the quantile, then the writing
 * pass.  Memory stays flat. */
typedef enum { PASS_WRITE, PASS_COUNT, PASS_COLLECT } pass_kind;
#define RISK_KEY_BITS 20

static uint32_t risk_key(double risk)
{
    uint64_t bits;
    memcpy(&bits, &risk, sizeof bits);
    return (uint32_t)(bits >> (64 - RISK_KEY_BITS));
}

/* One block on its way from the reader through a worker to the output. */
typedef struct {
    slot_state state;
    size_t seq;
    csv_block input;
    char *out;
    size_t out_len, out_cap;
    vt_status status;
    vt_err err;
    stream_report counts;
} slot;

/* What every worker reads (never writes, but for the slots under lock). */
typedef struct {
    const model *m;            /* NULL when scoring a scorecard */
    const scorecard *card;     /* NULL when scoring a model */
    scorecard_binding *binding;
    const stream_options *options;
    const encoder *coder;
    const double *coefficients; /* n_terms x n_targets */
    const char *path;
    size_t n_columns, n_terms, n_targets, n_features;
    size_t n_models, width;     /* 1 + segments; n_targets x n_models coefficient columns */
    long by_field;              /* the --by column in the header, or -1 */
    dict *segment_levels;       /* level -> segment index */
    size_t longest_feature_name;
    long id_field, churn;
    slot *slots;
    size_t n_slots;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pass_kind pass;
    uint32_t collect_key;
    int use_cutoff;
    double cutoff;
    size_t next_take;  /* the sequence number workers take next */
    size_t n_issued;   /* blocks handed out so far */
    int finished, aborted;
} shared;

/* A worker's scratch, reused for every block. */
typedef struct {
    shared *sh;
    csv_reader *reader;
    double *x, *probabilities, *effects;
    size_t *model_of;      /* per row: 0 the pooled model, s + 1 segment s */
    double *points;        /* scorecard: per scorecard column */
    const char **ids;
    size_t *id_lens;
    char (*line_ids)[24]; /* line numbers, when the model has no id column */
    size_t *order;
    uint32_t *histogram;   /* PASS_COUNT: risks per key */
    double *collected;     /* PASS_COLLECT: risks with the wanted key */
    size_t n_collected, cap_collected;
} worker;

/* ------------------------------------------------------------- formatting */

static int out_reserve(slot *s, size_t more)
{
    if (s->out_len + more <= s->out_cap)
        return 0;
    size_t cap = s->out_cap ? s->out_cap * 2 : 1 << 16;
    while (cap < s->out_len + more)
        cap *= 2;
    char *grown = realloc(s->out, cap);
    if (grown == NULL)
        return -1;
    s->out = grown;
    s->out_cap = cap;
    return 0;
}

static void put(slot *s, const char *text, size_t len)
{
    memcpy(s->out + s->out_len, text, len);
    s->out_len += len;
}

static void put_str(slot *s, const char *text) { put(s, text, strlen(text)); }
static void put_char(slot *s, char c) { s->out[s->out_len++] = c; }
static void put_double(slot *s, double value) { s->out_len += num_format(value, s->out + s->out_len); }

static void put_int(slot *s, long value)
{
    if (value < 0) {
        put_char(s, '-');
        value = -value;
    }
    s->out_len += num_format_uint((unsigned long long)value, s->out + s->out_len);
}

/* A CSV field, quoted when it must be. */
static void put_csv(slot *s, const char *text, size_t len)
{
    int plain = 1;
    for (size_t i = 0; i < len && plain; i++)
        plain = text[i] != ',' && text[i] != '"' && text[i] != '\n' && text[i] != '\r';
    if (plain) {
        put(s, text, len);
        return;
    }
    put_char(s, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            put_char(s, '"');
        put_char(s, text[i]);
    }
    put_char(s, '"');
}

/* A JSON string with the escapes RFC 8259 requires. */
static void put_json(slot *s, const char *text, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    put_char(s, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\') {
            put_char(s, '\\');
            put_char(s, (char)c);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            put_char(s, '\\');
            put_char(s, c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        } else if (c < 0x20) {
            put(s, "\\u00", 4);
            put_char(s, hex[c >> 4]);
            put_char(s, hex[c & 15]);
        } else {
            put_char(s, (char)c);
        }
    }
    put_char(s, '"');
}

/* Worst case bytes of one output row, to reserve once per row: text can
 * grow six-fold when escaped ("\u00XX"). */
static size_t row_bound(const shared *sh, size_t id_len)
{
    size_t one_driver = 6 * sh->longest_feature_name + NUM_FORMAT_MAX + 32;
    return 6 * id_len + 128 + sh->n_targets * (NUM_FORMAT_MAX + 32 + sh->options->explain * one_driver);
}

/* ---------------------------------------------------------------- drivers */

/* Effects of each feature on one target's log-odds relative to the
 * training average, and their order by size (ties by column order). */
static void feature_effects(const shared *sh, const double *x, size_t model, size_t target, double *effects,
                            size_t *order)
{
    const encoding *enc = sh->m->enc;
    for (size_t f = 0; f < sh->n_features; f++) {
        effects[f] = 0.0;
        order[f] = f;
    }
    for (size_t t = 1; t < sh->n_terms; t++) {
        double coefficient = sh->coefficients[t * sh->width + model * sh->n_targets + target];
        effects[enc->term_feature[t]] += coefficient * (x[t] - enc->term_mean[t]);
    }
    size_t wanted = sh->options->explain < sh->n_features ? sh->options->explain : sh->n_features;
    for (size_t i = 0; i < wanted; i++) { /* partial selection sort: N is small */
        size_t best = i;
        for (size_t j = i + 1; j < sh->n_features; j++)
            if (fabs(effects[order[j]]) > fabs(effects[order[best]]))
                best = j;
        size_t keep = order[i];
        order[i] = order[best];
        order[best] = keep;
    }
}

static void put_drivers_csv(slot *s, const shared *sh, const worker *w, const double *x, size_t model)
{
    for (size_t k = 0; k < sh->n_targets; k++) {
        feature_effects(sh, x, model, k, w->effects, w->order);
        for (size_t i = 0; i < sh->options->explain; i++) {
            put_char(s, ',');
            if (i < sh->n_features) {
                const char *name = sh->m->enc->features[w->order[i]].name;
                put_csv(s, name, strlen(name));
                put_char(s, ',');
                put_double(s, w->effects[w->order[i]]);
            } else {
                put_char(s, ',');
            }
        }
    }
}

static void put_drivers_json(slot *s, const shared *sh, const worker *w, const double *x, size_t model)
{
    size_t wanted = sh->options->explain < sh->n_features ? sh->options->explain : sh->n_features;
    for (size_t k = 0; k < sh->n_targets; k++) {
        feature_effects(sh, x, model, k, w->effects, w->order);
        put_str(s, ",\"");
        put_str(s, sh->m->targets[k].name);
        put_str(s, "_drivers\":[");
        for (size_t i = 0; i < wanted; i++) {
            const char *name = sh->m->enc->features[w->order[i]].name;
            put_str(s, i ? ",{\"feature\":" : "{\"feature\":");
            put_json(s, name, strlen(name));
            put_str(s, ",\"effect\":");
            put_double(s, w->effects[w->order[i]]);
            put_char(s, '}');
        }
        put_char(s, ']');
    }
}

/* ---------------------------------------------------------------- a row */

typedef struct {
    long previous; /* index in the previous run, -1 if new */
    int previous_bucket, health_change, alert;
} trend;

static trend row_trend(slot *s, const shared *sh, const char *id, size_t id_len, double risk, int health,
                       bucket level)
{
    trend result = {-1, 0, 0, 0};
    previous_scores *previous = sh->options->previous;
    if (previous != NULL) {
        result.previous = previous_find(previous, id, id_len);
        if (result.previous < 0) {
            s->counts.n_new++;
        } else {
            previous_mark_seen(previous, result.previous);
            result.previous_bucket = previous_bucket(previous, result.previous);
            result.health_change = health - previous_health(previous, result.previous);
            result.alert = (int)level < result.previous_bucket || -result.health_change > sh->options->alert_drop;
            s->counts.transitions[result.previous_bucket][level]++;
        }
    }
    if (sh->use_cutoff)
        result.alert = risk >= sh->cutoff;
    s->counts.n_alerts += (size_t)result.alert;
    return result;
}

static void put_row(slot *s, const shared *sh, const worker *w, size_t row)
{
    const double *p = w->probabilities + row * sh->width + w->model_of[row] * sh->n_targets;
    int health = score_health(p[sh->churn]);
    bucket level = score_bucket(health, sh->m->red_below, sh->m->yellow_below);
    s->counts.n_bucket[level]++;
    trend change = row_trend(s, sh, w->ids[row], w->id_lens[row], p[sh->churn], health, level);
    int json = sh->options->format == FORMAT_JSONL;
    put_str(s, json ? "{\"id\":" : "");
    if (json)
        put_json(s, w->ids[row], w->id_lens[row]);
    else
        put_csv(s, w->ids[row], w->id_lens[row]);
    for (size_t k = 0; k < sh->n_targets; k++) {
        if (json) {
            put_str(s, k == (size_t)sh->churn ? ",\"churn_risk\":" : ",\"expansion\":");
        } else {
            put_char(s, ',');
        }
        put_double(s, p[k]);
    }
    put_str(s, json ? ",\"health\":" : ",");
    put_int(s, health);
    put_str(s, json ? ",\"bucket\":\"" : ",");
    put_str(s, bucket_name(level));
    if (json)
        put_char(s, '"');
    if (sh->options->explain)
        (json ? put_drivers_json : put_drivers_csv)(s, sh, w, w->x + row * sh->n_terms, w->model_of[row]);
    if (sh->options->previous == NULL && sh->use_cutoff) {
        put_str(s, json ? (change.alert ? ",\"alert\":true" : ",\"alert\":false") : (change.alert ? ",1" : ",0"));
    } else if (sh->options->previous) {
        int known = change.previous >= 0;
        if (json) {
            put_str(s, ",\"previous_bucket\":");
            put_str(s, known ? (change.previous_bucket == BUCKET_RED ? "\"red\"" : change.previous_bucket == BUCKET_YELLOW ? "\"yellow\"" : "\"green\"") : "null");
            put_str(s, ",\"health_change\":");
            if (known)
                put_int(s, change.health_change);
            else
                put_str(s, "null");
            put_str(s, change.alert ? ",\"alert\":true" : ",\"alert\":false");
        } else {
            put_char(s, ',');
            if (known)
                put_str(s, bucket_name((bucket)change.previous_bucket));
            put_char(s, ',');
            if (known)
                put_int(s, change.health_change);
            put_str(s, change.alert ? ",1" : ",0");
        }
    }
    put_str(s, json ? "}\n" : "\n");
}

/* ---------------------------------------------------------------- a block */

static vt_status score_rows(slot *s, worker *w, size_t n_rows)
{
    shared *sh = w->sh;
    vt_status status = score_block(sh->coefficients, sh->n_terms, sh->width, w->x, n_rows, w->probabilities);
    if (status != VT_OK)
        return vt_err_set(&s->err, status, NULL, 0, 0, "scoring failed: block too large for BLAS");
    if (sh->pass != PASS_WRITE) {
        for (size_t row = 0; row < n_rows; row++) {
            double risk = w->probabilities[row * sh->width + w->model_of[row] * sh->n_targets + sh->churn];
            s->counts.n_rows++;
            if (sh->pass == PASS_COUNT) {
                w->histogram[risk_key(risk)]++;
            } else if (risk_key(risk) == sh->collect_key) {
                if (w->n_collected == w->cap_collected) {
                    size_t cap = w->cap_collected ? w->cap_collected * 2 : 1024;
                    double *grown = realloc(w->collected, cap * sizeof *grown);
                    if (grown == NULL)
                        return vt_err_set(&s->err, VT_ENOMEM, NULL, 0, 0, "out of memory");
                    w->collected = grown;
                    w->cap_collected = cap;
                }
                w->collected[w->n_collected++] = risk;
            }
        }
        return VT_OK;
    }
    for (size_t row = 0; row < n_rows; row++) {
        if (out_reserve(s, row_bound(sh, w->id_lens[row])))
            return vt_err_set(&s->err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        put_row(s, sh, w, row);
        s->counts.n_rows++;
    }
    return VT_OK;
}

/* ---------------------------------------------------------- a scorecard */

static void put_card_row(slot *s, const shared *sh, const csv_row *row, const sc_result *result)
{
    const scorecard *card = sh->card;
    if (sh->id_field >= 0) {
        put_csv(s, row->fields[sh->id_field], row->lengths[sh->id_field]);
    } else {
        char line[24];
        put(s, line, num_format_uint((unsigned long long)row->line, line));
    }
    put_char(s, ',');
    put_int(s, lround(result->health));
    put_char(s, ',');
    put_str(s, bucket_name(result->level));
    for (size_t c = 0; c < card->n_columns; c++) {
        if (!card->is_measure[c])
            continue;
        put_char(s, ',');
        if (!isnan(result->points[c]))
            put_double(s, result->points[c]);
    }
    put_char(s, ',');
    int first = 1;
    for (size_t r = 0; r < card->n_rules; r++)
        if (result->fired & (1ULL << r)) {
            if (!first)
                put_char(s, ';');
            put_int(s, (long)r + 1);
            first = 0;
        }
    put_char(s, '\n');
}

static vt_status process_card_block(worker *w, slot *s)
{
    shared *sh = w->sh;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(w->reader, &row, &s->err);
        if (status != VT_OK || row == NULL)
            return status;
        sc_result result = {0, BUCKET_RED, w->points, 0};
        if ((status = scorecard_row(sh->card, sh->binding, row, sh->path, &result, &s->err)) != VT_OK)
            return status;
        size_t id_len = sh->id_field >= 0 ? row->lengths[sh->id_field] : 24;
        if (out_reserve(s, 6 * id_len + 64 + sh->card->n_columns * (NUM_FORMAT_MAX + 2) + sh->card->n_rules * 4))
            return vt_err_set(&s->err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        put_card_row(s, sh, row, &result);
        s->counts.n_bucket[result.level]++;
        s->counts.n_rows++;
    }
}

static vt_status process_block(worker *w, slot *s)
{
    shared *sh = w->sh;
    if (sh->card) {
        memset(&s->counts, 0, sizeof s->counts);
        s->out_len = 0;
        csv_reader_rewind_memory(w->reader, s->input.bytes, s->input.len, s->input.first_line);
        return process_card_block(w, s);
    }
    memset(&s->counts, 0, sizeof s->counts);
    s->out_len = 0;
    csv_reader_rewind_memory(w->reader, s->input.bytes, s->input.len, s->input.first_line);
    encoder_counts counts = {0};
    size_t n_rows = 0;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(w->reader, &row, &s->err);
        if (status != VT_OK)
            return status;
        if (row != NULL && sh->options->tokenize_only) {
            s->counts.n_rows++;
            continue;
        }
        if (row != NULL) {
            status = encoder_row(sh->coder, row, sh->path, w->x + n_rows * sh->n_terms, &counts, &s->err);
            if (status != VT_OK)
                return status;
            /* The id stays valid: a memory reader parses its whole block at once. */
            w->model_of[n_rows] = 0;
            if (sh->by_field >= 0) {
                long segment = dict_find(sh->segment_levels, row->fields[sh->by_field], row->lengths[sh->by_field]);
                if (segment < 0)
                    s->counts.n_pooled++;
                else
                    w->model_of[n_rows] = (size_t)segment + 1;
            }
            if (sh->id_field >= 0) {
                w->ids[n_rows] = row->fields[sh->id_field];
                w->id_lens[n_rows] = row->lengths[sh->id_field];
            } else {
                w->ids[n_rows] = w->line_ids[n_rows];
                w->id_lens[n_rows] = num_format_uint((unsigned long long)row->line, w->line_ids[n_rows]);
            }
            n_rows++;
        }
        if (n_rows == SUB_ROWS || (row == NULL && n_rows > 0)) {
            if ((status = score_rows(s, w, n_rows)) != VT_OK)
                return status;
            n_rows = 0;
        }
        if (row == NULL)
            break;
    }
    s->counts.n_imputed = counts.n_imputed;
    s->counts.n_unseen = counts.n_unseen;
    return VT_OK;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    pthread_mutex_lock(&sh->lock);
    for (;;) {
        slot *s = &sh->slots[sh->next_take % sh->n_slots];
        while (!sh->aborted && !(sh->next_take < sh->n_issued && s->state == SLOT_READY && s->seq == sh->next_take) &&
               !(sh->finished && sh->next_take == sh->n_issued)) {
            pthread_cond_wait(&sh->changed, &sh->lock);
            s = &sh->slots[sh->next_take % sh->n_slots];
        }
        if (sh->aborted || (sh->finished && sh->next_take == sh->n_issued))
            break;
        s->state = SLOT_BUSY;
        sh->next_take++;
        pthread_mutex_unlock(&sh->lock);
        vt_status status = process_block(w, s);
        pthread_mutex_lock(&sh->lock);
        s->status = status;
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&sh->changed);
    }
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* ------------------------------------------------------------ the driver */

static void merge_counts(stream_report *total, const stream_report *part)
{
    total->n_rows += part->n_rows;
    total->n_imputed += part->n_imputed;
    total->n_unseen += part->n_unseen;
    total->n_new += part->n_new;
    total->n_alerts += part->n_alerts;
    total->n_pooled += part->n_pooled;
    for (int b = 0; b < 3; b++) {
        total->n_bucket[b] += part->n_bucket[b];
        for (int c = 0; c < 3; c++)
            total->transitions[b][c] += part->transitions[b][c];
    }
}

static void write_header(FILE *out, const shared *sh)
{
    if (sh->card) {
        csv_write_field(out, sh->options->id_column ? sh->options->id_column : "line");
        fputs(",health,bucket", out);
        for (size_t c = 0; c < sh->card->n_columns; c++)
            if (sh->card->is_measure[c])
                fprintf(out, ",points_%s", sh->card->columns[c]);
        fputs(",rules_fired\n", out);
        return;
    }
    if (sh->options->format == FORMAT_JSONL)
        return;
    const model *m = sh->m;
    csv_write_field(out, m->id_column ? m->id_column : "line");
    for (size_t k = 0; k < sh->n_targets; k++)
        fputs((long)k == sh->churn ? ",churn_risk" : ",expansion", out);
    fputs(",health,bucket", out);
    for (size_t k = 0; k < sh->n_targets; k++)
        for (size_t i = 1; i <= sh->options->explain; i++)
            fprintf(out, ",%s_driver_%zu,%s_driver_%zu_effect", m->targets[k].name, i, m->targets[k].name, i);
    if (sh->options->previous)
        fputs(",previous_bucket,health_change,alert", out);
    else if (sh->use_cutoff)
        fputs(",alert", out);
    fputc('\n', out);
}

/* Wait for the slot's block to be scored; write it, or return its error. */
static vt_status drain_slot(shared *sh, slot *s, FILE *out, stream_report *report, vt_err *err)
{
    pthread_mutex_lock(&sh->lock);
    while (s->state != SLOT_DONE)
        pthread_cond_wait(&sh->changed, &sh->lock);
    pthread_mutex_unlock(&sh->lock);
    if (s->status != VT_OK) {
        *err = s->err;
        return s->status;
    }
    if (out != NULL)
        fwrite(s->out, 1, s->out_len, out);
    merge_counts(report, &s->counts);
    s->state = SLOT_EMPTY;
    if (sh->options->progress)
        sh->options->progress(report->n_rows, sh->options->progress_user);
    return VT_OK;
}

static vt_status run_blocks(shared *sh, csv_splitter *splitter, FILE *out, stream_report *report, vt_err *err)
{
    vt_status status = VT_OK;
    size_t seq = 0;
    for (;; seq++) {
        slot *s = &sh->slots[seq % sh->n_slots];
        if (seq >= sh->n_slots && (status = drain_slot(sh, s, out, report, err)) != VT_OK)
            return status;
        if ((status = csv_splitter_next(splitter, &s->input, 0, err)) != VT_OK)
            return status;
        if (s->input.len == 0)
            break;
        pthread_mutex_lock(&sh->lock);
        s->seq = seq;
        s->state = SLOT_READY;
        sh->n_issued = seq + 1;
        pthread_cond_broadcast(&sh->changed);
        pthread_mutex_unlock(&sh->lock);
    }
    pthread_mutex_lock(&sh->lock);
    sh->finished = 1;
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->lock);
    /* The last loop pass drained block seq - n_slots before finding the end. */
    size_t first = seq >= sh->n_slots ? seq - sh->n_slots + 1 : 0;
    for (size_t pending = first; pending < seq; pending++)
        if ((status = drain_slot(sh, &sh->slots[pending % sh->n_slots], out, report, err)) != VT_OK)
            return status;
    return VT_OK;
}

static void worker_free(worker *w)
{
    csv_reader_free(w->reader);
    free(w->x);
    free(w->probabilities);
    free(w->model_of);
    free(w->points);
    free(w->effects);
    free(w->ids);
    free(w->id_lens);
    free(w->line_ids);
    free(w->order);
    free(w->histogram);
    free(w->collected);
    memset(w, 0, sizeof *w);
}

static vt_status worker_init(worker *w, shared *sh, char delimiter, vt_err *err)
{
    w->sh = sh;
    w->x = vt_calloc(SUB_ROWS * sh->n_terms, sizeof(double));
    w->probabilities = vt_calloc(SUB_ROWS * sh->width, sizeof(double));
    w->model_of = vt_calloc(SUB_ROWS, sizeof(size_t));
    w->effects = vt_calloc(sh->n_features + 1, sizeof(double));
    w->order = vt_calloc(sh->n_features + 1, sizeof(size_t));
    w->ids = vt_calloc(SUB_ROWS, sizeof(char *));
    w->id_lens = vt_calloc(SUB_ROWS, sizeof(size_t));
    w->line_ids = vt_calloc(SUB_ROWS, sizeof *w->line_ids);
    if (sh->pass == PASS_COUNT)
        w->histogram = vt_calloc((size_t)1 << RISK_KEY_BITS, sizeof(uint32_t));
    if (sh->card && (w->points = vt_calloc(sh->card->n_columns + 1, sizeof(double))) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (!w->x || !w->probabilities || !w->model_of || !w->effects || !w->order || !w->ids || !w->id_lens || !w->line_ids ||
        (sh->pass == PASS_COUNT && !w->histogram))
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return csv_reader_open_memory("", 0, delimiter, sh->path, 1, sh->n_columns, &w->reader, err);
}

static long find_churn(const model *m)
{
    for (size_t k = 0; k < m->n_targets; k++)
        if (strcmp(m->targets[k].name, "churn") == 0)
            return (long)k;
    return 0;
}

/* Read the header, map the model's columns, open the output. */
static vt_status open_input(const model *m, const stream_options *options, char delimiter, csv_splitter *splitter,
                            shared *sh, encoder **coder, vt_err *err)
{
    csv_block header = {0};
    csv_reader *names = NULL;
    vt_status status = csv_splitter_next(splitter, &header, 1, err);
    if (status == VT_OK && header.len == 0)
        status = vt_err_set(err, VT_EDATA, csv_splitter_path(splitter), 0, 0, "empty file: a header row is required");
    if (status == VT_OK)
        status = csv_reader_open_memory(header.bytes, header.len, delimiter, csv_splitter_path(splitter), 1, 0,
                                        &names, err);
    if (status != VT_OK) {
        csv_block_free(&header);
        return status;
    }
    sh->n_columns = csv_reader_n_columns(names);
    const char **columns = vt_calloc(sh->n_columns, sizeof(char *));
    if (columns == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; status == VT_OK && c < sh->n_columns; c++)
        columns[c] = csv_reader_column(names, c);
    if (status == VT_OK && sh->card) {
        status = scorecard_bind(sh->card, sh->path, columns, sh->n_columns, &sh->binding, err);
        sh->id_field = options->id_column ? csv_reader_find(names, options->id_column) : -1;
        sh->by_field = -1;
        if (status == VT_OK && options->id_column && sh->id_field < 0)
            status = vt_err_set(err, VT_EDATA, sh->path, 1, 0, "no id column '%s' in the header", options->id_column);
    } else if (status == VT_OK) {
        status = encoder_new(m->enc, sh->path, columns, sh->n_columns, options->unseen_baseline,
                             (const char *const *)m->na_tokens, m->n_na_tokens, coder, err);
    }
    if (sh->card) {
        free(columns);
        csv_reader_free(names);
        csv_block_free(&header);
        return status;
    }
    sh->id_field = m->id_column ? csv_reader_find(names, m->id_column) : -1;
    sh->by_field = m->by_column ? csv_reader_find(names, m->by_column) : -1;
    if (status == VT_OK && m->by_column && sh->by_field < 0)
        status = vt_err_set(err, VT_EDATA, sh->path, 1, 0, "the model needs column '%s' (--by), which the header lacks",
                            m->by_column);
    if (status == VT_OK && m->id_column && sh->id_field < 0)
        status = vt_err_set(err, VT_EDATA, sh->path, 1, 0, "no id column '%s' in the header", m->id_column);
    free(columns);
    csv_reader_free(names);
    csv_block_free(&header);
    return status;
}

static size_t thread_count(const stream_options *options)
{
    if (options->threads > 0)
        return options->threads;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (size_t)cores : 1;
}

/* Totals the counting and collecting passes leave behind. */
typedef struct {
    uint64_t *histogram;
    double *collected;
    size_t n_collected;
} pass_tally;

static vt_status merge_tally(const shared *sh, worker *workers, size_t n_threads, pass_tally *tally)
{
    for (size_t i = 0; i < n_threads; i++) {
        if (sh->pass == PASS_COUNT)
            for (size_t key = 0; key < (size_t)1 << RISK_KEY_BITS; key++)
                tally->histogram[key] += workers[i].histogram[key];
        if (sh->pass == PASS_COLLECT && workers[i].n_collected) {
            double *grown = realloc(tally->collected, (tally->n_collected + workers[i].n_collected) * sizeof *grown);
            if (grown == NULL)
                return VT_ENOMEM;
            tally->collected = grown;
            memcpy(grown + tally->n_collected, workers[i].collected, workers[i].n_collected * sizeof *grown);
            tally->n_collected += workers[i].n_collected;
        }
    }
    return VT_OK;
}

/* One pass over the input: every block parsed, encoded and scored; written
 * to file in the writing pass, tallied in the others. */
static vt_status run_pass(shared *sh, char delimiter, size_t n_threads, outfile *file, stream_report *report,
                          pass_tally *tally, vt_err *err)
{
    const stream_options *options = sh->options;
    csv_splitter *splitter = NULL;
    encoder *coder = NULL;
    worker *workers = vt_calloc(n_threads, sizeof(worker));
    pthread_t *threads = vt_calloc(n_threads, sizeof(pthread_t));
    size_t n_started = 0;
    vt_status status = VT_OK;
    memset(report, 0, sizeof *report);
    sh->next_take = sh->n_issued = 0;
    sh->finished = sh->aborted = 0;
    for (size_t i = 0; i < sh->n_slots; i++)
        sh->slots[i].state = SLOT_EMPTY;
    if (!workers || !threads) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if ((status = csv_splitter_open(options->data_path, options->block_bytes ? options->block_bytes : STREAM_BLOCK_BYTES,
                                    0, &splitter, err)) != VT_OK)
        goto done;
    sh->path = csv_splitter_path(splitter);
    if ((status = open_input(sh->m, options, delimiter, splitter, sh, &coder, err)) != VT_OK)
        goto done;
    sh->coder = coder;
    for (size_t i = 0; i < n_threads; i++)
        if ((status = worker_init(&workers[i], sh, delimiter, err)) != VT_OK)
            goto done;
    if (file != NULL)
        write_header(outfile_stream(file), sh);
    for (; n_started < n_threads; n_started++)
        if (pthread_create(&threads[n_started], NULL, worker_main, &workers[n_started]) != 0) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "cannot start a thread");
            break;
        }
    if (status == VT_OK)
        status = run_blocks(sh, splitter, file ? outfile_stream(file) : NULL, report, err);
    pthread_mutex_lock(&sh->lock);
    sh->aborted = status != VT_OK;
    sh->finished = 1;
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->lock);
    for (size_t i = 0; i < n_started; i++)
        pthread_join(threads[i], NULL);
    if (status == VT_OK && sh->pass != PASS_WRITE && merge_tally(sh, workers, n_threads, tally) != VT_OK)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
done:
    for (size_t i = 0; workers && i < n_threads; i++)
        worker_free(&workers[i]);
    free(workers);
    free(threads);
    encoder_free(coder);
    sh->coder = NULL;
    scorecard_binding_free(sh->binding);
    sh->binding = NULL;
    csv_splitter_free(splitter);
    return status;
}

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The churn risk of the k-th riskiest account, k = budget x rows. */
static vt_status find_cutoff(shared *sh, char delimiter, size_t n_threads, double budget, double *cutoff, vt_err *err)
{
    stream_report counted;
    pass_tally tally = {vt_calloc((size_t)1 << RISK_KEY_BITS, sizeof(uint64_t)), NULL, 0};
    if (tally.histogram == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    sh->pass = PASS_COUNT;
    vt_status status = run_pass(sh, delimiter, n_threads, NULL, &counted, &tally, err);
    size_t wanted = (size_t)llround(budget * (double)counted.n_rows), above = 0;
    if (wanted < 1)
        wanted = 1;
    uint32_t key = (uint32_t)1 << RISK_KEY_BITS;
    while (status == VT_OK && key > 0 && above + tally.histogram[key - 1] < wanted)
        above += tally.histogram[--key];
    if (status == VT_OK && counted.n_rows == 0)
        status = vt_err_set(err, VT_EDATA, sh->path, 0, 0, "no rows to choose an alert cut-off from");
    if (status == VT_OK) {
        sh->pass = PASS_COLLECT;
        sh->collect_key = key - 1;
        status = run_pass(sh, delimiter, n_threads, NULL, &counted, &tally, err);
    }
    if (status == VT_OK) {
        qsort(tally.collected, tally.n_collected, sizeof(double), descending);
        *cutoff = tally.collected[wanted - above - 1];
    }
    free(tally.histogram);
    free(tally.collected);
    return status;
}

/* The writing run shared by models and scorecards: slots, the optional
 * alert-budget passes, the output file, then the writing pass. */
static vt_status write_scores(shared *sh, char delimiter, size_t n_threads, stream_report *report, vt_err *err)
{
    const stream_options *options = sh->options;
    sh->slots = vt_calloc(sh->n_slots, sizeof(slot));
    if (sh->slots == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    outfile *file = NULL;
    vt_status status = VT_OK;
    pthread_mutex_init(&sh->lock, NULL);
    pthread_cond_init(&sh->changed, NULL);
    if (options->alert_budget > 0) {
        status = find_cutoff(sh, delimiter, n_threads, options->alert_budget, &sh->cutoff, err);
        sh->use_cutoff = 1;
    }
    if (status == VT_OK)
        status = outfile_open(options->output_path, &file, err);
    if (status == VT_OK) {
        sh->pass = PASS_WRITE;
        status = run_pass(sh, delimiter, n_threads, file, report, NULL, err);
    }
    report->alert_cutoff = sh->cutoff;
    if (status == VT_OK) {
        status = outfile_commit(file, err);
        file = NULL;
    }
    outfile_abort(file);
    pthread_mutex_destroy(&sh->lock);
    pthread_cond_destroy(&sh->changed);
    for (size_t i = 0; i < sh->n_slots; i++) {
        csv_block_free(&sh->slots[i].input);
        free(sh->slots[i].out);
    }
    free(sh->slots);
    return status;
}

vt_status stream_score(const model *m, const stream_options *options, stream_report *report, vt_err *err)
{
    memset(report, 0, sizeof *report);
    if (options->alert_budget > 0 && strcmp(options->data_path, "-") == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--alert-budget reads the data three times: give a file, not -");
    char delimiter = options->delimiter ? options->delimiter : m->delimiter;
    size_t n_threads = thread_count(options);
    shared sh = {0};
    sh.m = m;
    sh.options = options;
    sh.n_terms = m->enc->n_terms;
    sh.n_targets = m->n_targets;
    sh.n_features = m->enc->n_features;
    sh.churn = find_churn(m);
    sh.n_slots = 2 * n_threads + 2;
    sh.n_models = 1 + m->n_segments;
    sh.width = sh.n_targets * sh.n_models;
    if (m->n_segments && (sh.segment_levels = dict_new()) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t seg = 0; seg < m->n_segments; seg++)
        if (dict_intern(sh.segment_levels, m->segments[seg].level, strlen(m->segments[seg].level)) < 0) {
            dict_free(sh.segment_levels);
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        }
    for (size_t f = 0; f < sh.n_features; f++)
        if (strlen(m->enc->features[f].name) > sh.longest_feature_name)
            sh.longest_feature_name = strlen(m->enc->features[f].name);
    double *coefficients = score_coefficients(m);
    if (coefficients == NULL) {
        dict_free(sh.segment_levels);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    sh.coefficients = coefficients;
    vt_status status = write_scores(&sh, delimiter, n_threads, report, err);
    free(coefficients);
    dict_free(sh.segment_levels);
    return status;
}

vt_status stream_score_card(const scorecard *card, const stream_options *options, stream_report *report, vt_err *err)
{
    memset(report, 0, sizeof *report);
    size_t n_threads = thread_count(options);
    shared sh = {0};
    sh.card = card;
    sh.options = options;
    sh.n_terms = sh.n_targets = sh.width = sh.n_models = 1; /* unused model scratch stays tiny */
    sh.n_slots = 2 * n_threads + 2;
    return write_scores(&sh, options->delimiter ? options->delimiter : ',', n_threads, report, err);
}
