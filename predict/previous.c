#include "previous.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
#include "row_stream.h"
#include "dict.h"
#include "numparse.h"
#include "score.h"

struct previous_scores {
    dict *ids;
    int *health;
    unsigned char *bucket, *seen;
    size_t n, cap;
};

void previous_free(previous_scores *scores)
{
    if (scores == NULL)
        return;
    dict_free(scores->ids);
    free(scores->health);
    free(scores->bucket);
    free(scores->seen);
    free(scores);
}

static int parse_bucket(const char *text)
{
    if (strcmp(text, "red") == 0)
        return BUCKET_RED;
    if (strcmp(text, "yellow") == 0)
        return BUCKET_YELLOW;
    if (strcmp(text, "green") == 0)
        return BUCKET_GREEN;
    return -1;
}

static int grow(previous_scores *scores)
{
    size_t health_cap = scores->cap, bucket_cap = scores->cap;
    if (vt_grow((void **)&scores->health, &health_cap, scores->n + 1, sizeof *scores->health) != 0 ||
        vt_grow((void **)&scores->bucket, &bucket_cap, scores->n + 1, sizeof *scores->bucket) != 0)
        return -1;
    scores->cap = health_cap;
    return 0;
}

/* A block's rows checked into batch; the error that stops them is returned. */
static vt_status read_rows(csv_reader *csv, const char *path, long id, long health, long bucket,
                           previous_batch *batch, vt_err *err)
{
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(csv, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        double value = 0;
        char shown[VT_QUOTE_SIZE];
        if (num_parse(row->fields[health], row->lengths[health], &value) != NUM_OK || value < 0 || value > 100 ||
            value != (int)value)
            return vt_err_set(err, VT_EDATA, path, row->line, health + 1, "health '%s' is not a whole number 0-100",
                              vt_quote(shown, sizeof shown, row->fields[health], row->lengths[health]));
        int level = parse_bucket(row->fields[bucket]);
        if (level < 0)
            return vt_err_set(err, VT_EDATA, path, row->line, bucket + 1, "bucket '%s' is not red, yellow or green",
                              vt_quote(shown, sizeof shown, row->fields[bucket], row->lengths[bucket]));
        if (previous_batch_push(batch, row->fields[id], row->lengths[id], row->line, (int)value, level) != 0)
            return vt_err_set(err, VT_ENOMEM, path, row->line, 0, "out of memory");
    }
}

void previous_batch_clear(previous_batch *batch)
{
    batch->ids.len = 0;
    batch->n = 0;
    batch->stopped = VT_OK;
}

int previous_batch_push(previous_batch *batch, const char *id, size_t len, long line, int health, int bucket)
{
    void **columns[] = {(void **)&batch->ends, (void **)&batch->lines, (void **)&batch->health,
                        (void **)&batch->bucket};
    size_t sizes[] = {sizeof *batch->ends, sizeof *batch->lines, sizeof *batch->health, sizeof *batch->bucket};
    /* + 1: ids.data is never NULL, even when every id is empty */
    if (vt_grow_columns(columns, sizes, 4, &batch->cap, batch->n + 1) != 0 || buf_reserve(&batch->ids, len + 1) != 0)
        return -1;
    buf_put(&batch->ids, id, len);
    batch->ends[batch->n] = batch->ids.len;
    batch->lines[batch->n] = line;
    batch->health[batch->n] = health;
    batch->bucket[batch->n++] = (unsigned char)bucket;
    return 0;
}

void previous_batch_free(previous_batch *batch)
{
    buf_free(&batch->ids);
    free(batch->ends);
    free(batch->lines);
    free(batch->health);
    free(batch->bucket);
    memset(batch, 0, sizeof *batch);
}

vt_status previous_add_batch(previous_scores *scores, const previous_batch *batch, const char *path, long id_field,
                             vt_err *err)
{
    size_t start = 0;
    for (size_t i = 0; i < batch->n; start = batch->ends[i++]) {
        const char *id = batch->ids.data + start;
        size_t len = batch->ends[i] - start;
        long index = previous_add(scores, id, len, batch->health[i], batch->bucket[i]);
        if (index == -1)
            return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
        if (index == -2) {
            char shown[VT_QUOTE_SIZE];
            return vt_err_set(err, VT_EDATA, path, batch->lines[i], id_field + 1, "id '%s' appears twice",
                              vt_quote(shown, sizeof shown, id, len));
        }
    }
    if (batch->stopped != VT_OK)
        *err = batch->err;
    return batch->stopped;
}

previous_scores *previous_new(void)
{
    previous_scores *scores = vt_calloc(1, sizeof *scores);
    if (scores == NULL || (scores->ids = dict_new()) == NULL) {
        free(scores);
        return NULL;
    }
    return scores;
}

long previous_add(previous_scores *scores, const char *id, size_t len, int health, int bucket)
{
    size_t before = dict_size(scores->ids);
    long index = dict_intern(scores->ids, id, len);
    if (index < 0 || grow(scores))
        return -1;
    if (dict_size(scores->ids) == before)
        return -2;
    scores->health[index] = health;
    scores->bucket[index] = (unsigned char)bucket;
    scores->n++;
    return index;
}

int previous_finish(previous_scores *scores)
{
    return (scores->seen = vt_calloc(scores->n ? scores->n : 1, 1)) == NULL ? -1 : 0;
}

/* Where the columns are; the same for every block. */
typedef struct {
    previous_scores *scores;
    long id, health, bucket;
    const char *path;
} load_job;

/* On a worker: the block's rows checked, its error kept after them. */
static vt_status load_block(void *state, const row_block *block, buf *text, void *result, vt_err *err)
{
    (void)text;
    (void)err;
    const load_job *job = state;
    previous_batch *batch = result;
    previous_batch_clear(batch);
    batch->stopped = read_rows(block->rows, job->path, job->id, job->health, job->bucket, batch, &batch->err);
    return VT_OK;
}

static vt_status load_merge(void *user, void *result, const buf *text, vt_err *err)
{
    (void)text;
    const load_job *job = user;
    return previous_add_batch(job->scores, result, job->path, job->id, err);
}

static void load_release(void *result) { previous_batch_free(result); }

vt_status previous_load(const row_stream_options *input, const char *id_column, previous_scores **out, vt_err *err)
{
    *out = NULL;
    row_stream *rows = NULL;
    vt_status status = row_stream_open(input, &rows, err);
    if (status != VT_OK)
        return status;
    load_job job = {NULL, id_column ? row_stream_find(rows, id_column) : 0, row_stream_find(rows, "health"),
                    row_stream_find(rows, "bucket"), row_stream_name(rows)};
    size_t n_threads = row_stream_threads(input->threads);
    void **states = vt_calloc(n_threads, sizeof *states);
    if (job.id < 0 || job.health < 0 || job.bucket < 0)
        status = vt_err_set(err, VT_EDATA, job.path, 1, 0, "previous scores need columns '%s', 'health' and 'bucket'",
                            id_column ? id_column : "id");
    else if (states == NULL || (job.scores = previous_new()) == NULL)
        status = vt_err_set(err, VT_ENOMEM, job.path, 0, 0, "out of memory");
    for (size_t i = 0; status == VT_OK && i < n_threads; i++)
        states[i] = &job; /* the workers share it, read-only */
    row_job run = {load_block, load_merge, load_release, sizeof(previous_batch), &job};
    if (status == VT_OK)
        status = row_stream_run(rows, states, n_threads, &run, NULL, err);
    if (status == VT_OK && previous_finish(job.scores) != 0)
        status = vt_err_set(err, VT_ENOMEM, job.path, 0, 0, "out of memory");
    free(states);
    row_stream_free(rows);
    if (status != VT_OK) {
        previous_free(job.scores);
        return status;
    }
    *out = job.scores;
    return VT_OK;
}

long previous_find(const previous_scores *scores, const char *id, size_t len)
{
    return dict_find(scores->ids, id, len);
}

int previous_health(const previous_scores *scores, long index) { return scores->health[index]; }
int previous_bucket(const previous_scores *scores, long index) { return scores->bucket[index]; }
size_t previous_size(const previous_scores *scores) { return scores->n; }

void previous_mark_seen(previous_scores *scores, long index)
{
    __atomic_store_n(&scores->seen[index], 1, __ATOMIC_RELAXED);
}

size_t previous_count_unseen(const previous_scores *scores)
{
    size_t unseen = 0;
    for (size_t i = 0; i < scores->n; i++)
        unseen += scores->seen[i] == 0;
    return unseen;
}

previous_trend previous_compare(previous_scores *scores, const char *id, size_t len, int health, int bucket,
                                double alert_drop)
{
    previous_trend trend = {previous_find(scores, id, len), 0, 0, 0};
    if (trend.index < 0)
        return trend;
    previous_mark_seen(scores, trend.index);
    trend.previous_bucket = previous_bucket(scores, trend.index);
    trend.health_change = health - previous_health(scores, trend.index);
    trend.slid = bucket < trend.previous_bucket || -trend.health_change > alert_drop;
    return trend;
}
