#include "previous.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
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

static vt_status read_rows(previous_scores *scores, csv_reader *csv, long id, long health, long bucket, vt_err *err)
{
    const char *path = csv_reader_path(csv);
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
        long index = previous_add(scores, row->fields[id], row->lengths[id], (int)value, level);
        if (index == -1)
            return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
        if (index == -2)
            return vt_err_set(err, VT_EDATA, path, row->line, id + 1, "id '%s' appears twice",
                              vt_quote(shown, sizeof shown, row->fields[id], row->lengths[id]));
    }
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

vt_status previous_load(const char *path, const char *id_column, char delimiter, previous_scores **out, vt_err *err)
{
    *out = NULL;
    csv_reader *csv = NULL;
    vt_status status = csv_reader_open(path, delimiter, &csv, err);
    if (status != VT_OK)
        return status;
    long id = id_column ? csv_reader_find(csv, id_column) : 0;
    long health = csv_reader_find(csv, "health"), bucket = csv_reader_find(csv, "bucket");
    if (id < 0 || health < 0 || bucket < 0) {
        status = vt_err_set(err, VT_EDATA, csv_reader_path(csv), 1, 0,
                            "previous scores need columns '%s', 'health' and 'bucket'", id_column ? id_column : "id");
        csv_reader_free(csv);
        return status;
    }
    previous_scores *scores = previous_new();
    if (scores == NULL) {
        csv_reader_free(csv);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    status = read_rows(scores, csv, id, health, bucket, err);
    csv_reader_free(csv);
    if (status == VT_OK && previous_finish(scores) != 0)
        status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    if (status != VT_OK) {
        previous_free(scores);
        return status;
    }
    *out = scores;
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
