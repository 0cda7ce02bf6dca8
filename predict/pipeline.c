#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef enum { SLOT_EMPTY, SLOT_READY, SLOT_BUSY, SLOT_DONE } slot_state;

/* One block on its way from the reader through a worker to the output. */
typedef struct {
    slot_state state;
    size_t seq;
    csv_block input;
    buf out;
    void *tally;
    vt_status status;
    vt_err err;
} slot;

typedef struct {
    const pipeline_job *job;
    slot *slots;
    size_t n_slots;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t next_take;  /* the sequence number workers take next */
    size_t n_issued;   /* blocks handed out so far */
    int finished, aborted;
} shared;

typedef struct {
    shared *sh;
    void *state;
} worker;

static void process_slot(const worker *w, slot *s)
{
    const pipeline_job *job = w->sh->job;
    s->out.len = 0;
    memset(s->tally, 0, job->tally_size);
    memset(&s->err, 0, sizeof s->err);
    s->status = job->process(w->state, &s->input, &s->out, s->tally, &s->err);
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
        process_slot(w, s);
        pthread_mutex_lock(&sh->lock);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&sh->changed);
    }
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* Wait for the slot's block; write and merge it, or return its error. */
static vt_status drain_slot(shared *sh, slot *s, outfile *out, vt_err *err)
{
    pthread_mutex_lock(&sh->lock);
    while (s->state != SLOT_DONE)
        pthread_cond_wait(&sh->changed, &sh->lock);
    pthread_mutex_unlock(&sh->lock);
    if (s->status != VT_OK) {
        *err = s->err;
        return s->status;
    }
    vt_status status = out != NULL ? outfile_write(out, s->out.data, s->out.len, err) : VT_OK;
    if (status != VT_OK)
        return status;
    if (sh->job->merge)
        sh->job->merge(sh->job->user, s->tally);
    s->state = SLOT_EMPTY;
    return VT_OK;
}

static void announce(shared *sh, int finished, int aborted)
{
    pthread_mutex_lock(&sh->lock);
    sh->finished |= finished;
    sh->aborted |= aborted;
    pthread_cond_broadcast(&sh->changed);
    pthread_mutex_unlock(&sh->lock);
}

static vt_status run_blocks(shared *sh, csv_splitter *splitter, outfile *out, vt_err *err)
{
    vt_status status = VT_OK;
    size_t seq = 0;
    for (;; seq++) {
        slot *s = &sh->slots[seq % sh->n_slots];
        if (seq >= sh->n_slots && (status = drain_slot(sh, s, out, err)) != VT_OK)
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
    announce(sh, 1, 0);
    /* The last loop pass drained block seq - n_slots before finding the end. */
    size_t first = seq >= sh->n_slots ? seq - sh->n_slots + 1 : 0;
    for (size_t pending = first; pending < seq; pending++)
        if ((status = drain_slot(sh, &sh->slots[pending % sh->n_slots], out, err)) != VT_OK)
            return status;
    return VT_OK;
}

static void free_slots(shared *sh)
{
    for (size_t i = 0; sh->slots && i < sh->n_slots; i++) {
        csv_block_free(&sh->slots[i].input);
        buf_free(&sh->slots[i].out);
        free(sh->slots[i].tally);
    }
    free(sh->slots);
}

vt_status pipeline_run(csv_splitter *splitter, void *const *workers, size_t n_workers, const pipeline_job *job,
                       outfile *out, vt_err *err)
{
    shared sh = {.job = job, .n_slots = 2 * n_workers + 2};
    worker *threads_state = vt_calloc(n_workers, sizeof(worker));
    pthread_t *threads = vt_calloc(n_workers, sizeof(pthread_t));
    sh.slots = vt_calloc(sh.n_slots, sizeof(slot));
    int ok = threads_state && threads && sh.slots;
    for (size_t i = 0; ok && i < sh.n_slots; i++)
        ok = (sh.slots[i].tally = vt_calloc(1, job->tally_size ? job->tally_size : 1)) != NULL;
    if (!ok) {
        free_slots(&sh);
        free(threads_state);
        free(threads);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.changed, NULL);
    vt_status status = VT_OK;
    size_t n_started = 0;
    for (; n_started < n_workers; n_started++) {
        threads_state[n_started] = (worker){&sh, workers[n_started]};
        if (pthread_create(&threads[n_started], NULL, worker_main, &threads_state[n_started]) != 0) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "cannot start a thread");
            break;
        }
    }
    if (status == VT_OK)
        status = run_blocks(&sh, splitter, out, err);
    announce(&sh, 1, status != VT_OK);
    for (size_t i = 0; i < n_started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.changed);
    free_slots(&sh);
    free(threads_state);
    free(threads);
    return status;
}
