/* previous: the last scoring run's health and bucket per account id, for
 * trends and alerts (predict --previous OLD.csv).
 *
 * Reads a file predict wrote (or any CSV with an id column and `health`
 * and `bucket` columns).  Memory grows with the number of ids in it, the
 * one part of predict that does.  Lookups are thread-safe; marking an id
 * seen is an atomic store. */
#ifndef PREVIOUS_H
#define PREVIOUS_H

#include <stddef.h>

#include "vt.h"

typedef struct previous_scores previous_scores;

/* id_column NULL: the first column. */
vt_status previous_load(const char *path, const char *id_column, char delimiter, previous_scores **out /* OUT */,
                        vt_err *err);
void previous_free(previous_scores *scores);

/* A table built by hand (explain.h): previous_new (NULL if out of memory),
 * previous_add per id (its index; -1 out of memory, -2 the id is there
 * already), then previous_finish (0, or -1 out of memory) before lookups. */
previous_scores *previous_new(void);
long previous_add(previous_scores *scores, const char *id, size_t len, int health, int bucket);
int previous_finish(previous_scores *scores);

/* Index of the id, or -1. */
long previous_find(const previous_scores *scores, const char *id, size_t len);
int previous_health(const previous_scores *scores, long index);
int previous_bucket(const previous_scores *scores, long index); /* a bucket value */
void previous_mark_seen(previous_scores *scores, long index);
size_t previous_size(const previous_scores *scores);

/* An account against the previous run: its index there (-1 if the id is
 * new; else the id is marked seen), previous bucket and health change, and
 * whether it slid: to a worse bucket (green to yellow counts) or health
 * down by more than alert_drop. */
typedef struct {
    long index;
    int previous_bucket, health_change, slid;
} previous_trend;
previous_trend previous_compare(previous_scores *scores, const char *id, size_t len, int health, int bucket,
                                double alert_drop);
size_t previous_count_unseen(const previous_scores *scores);

#endif
