#include "row_stream.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "source.h"

struct row_stream {
    csv_splitter *splitter;
    csv_reader *names;      /* the header, parsed */
    const char **header;
    size_t n_columns;
    char delimiter;
};

/* A header of one field that holds another delimiter is a file read with
 * the wrong one (a ';' export read as CSV): say which to give, rather than
 * let every command report its columns missing. */
static vt_status one_field_header(const row_stream *rows, vt_err *err)
{
    static const char candidates[] = {';', '\t', '|', ','};
    const char *name = rows->header[0];
    for (size_t i = 0; i < sizeof candidates; i++) {
        char d = candidates[i];
        if (d == rows->delimiter || strchr(name, d) == NULL)
            continue;
        char shown[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, row_stream_name(rows), 1, 0,
                          "the header is one field, '%s', which holds '%s': give --delimiter %s",
                          vt_quote(shown, sizeof shown, name, strlen(name)), d == '\t' ? "\\t" : (char[]){d, 0},
                          d == '\t' ? "tab" : d == ';' ? "';'" : d == '|' ? "'|'" : ",");
    }
    return VT_OK;
}

vt_status row_stream_open(const row_stream_options *options, row_stream **out, vt_err *err)
{
    *out = NULL;
    row_stream *rows = vt_calloc(1, sizeof *rows);
    if (rows == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    rows->delimiter = source_delimiter(options->query, options->delimiter ? options->delimiter : ',');
    csv_block header = {0};
    vt_status status = csv_splitter_open(options->path, options->query,
                                         options->block_bytes ? options->block_bytes : ROW_STREAM_BLOCK_BYTES,
                                         options->fingerprint, &rows->splitter, err);
    if (status == VT_OK)
        status = csv_splitter_next(rows->splitter, &header, 1, err);
    if (status == VT_OK && header.len == 0)
        status = vt_err_set(err, VT_EDATA, row_stream_name(rows), 0, 0, "empty file: a header row is required");
    /* The names point into the header's reader, which keeps its row. */
    if (status == VT_OK)
        status = csv_reader_open_memory(header.bytes, header.len, rows->delimiter, row_stream_name(rows), 1, 0,
                                        &rows->names, err);
    if (status == VT_OK) {
        rows->n_columns = csv_reader_n_columns(rows->names);
        if ((rows->header = vt_calloc(rows->n_columns ? rows->n_columns : 1, sizeof(char *))) == NULL)
            status = vt_err_set(err, VT_ENOMEM, row_stream_name(rows), 0, 0, "out of memory");
    }
    for (size_t c = 0; status == VT_OK && c < rows->n_columns; c++)
        rows->header[c] = csv_reader_column(rows->names, c);
    if (status == VT_OK && rows->n_columns == 1)
        status = one_field_header(rows, err);
    csv_block_free(&header);
    if (status != VT_OK) {
        row_stream_free(rows);
        return status;
    }
    *out = rows;
    return VT_OK;
}

void row_stream_free(row_stream *rows)
{
    if (rows == NULL)
        return;
    free(rows->header);
    csv_reader_free(rows->names);
    csv_splitter_free(rows->splitter);
    free(rows);
}

size_t row_stream_n_columns(const row_stream *rows) { return rows->n_columns; }
const char *const *row_stream_header(const row_stream *rows) { return rows->header; }
long row_stream_find(const row_stream *rows, const char *name) { return csv_reader_find(rows->names, name); }
const char *row_stream_name(const row_stream *rows) { return csv_splitter_path(rows->splitter); }
char row_stream_delimiter(const row_stream *rows) { return rows->delimiter; }

/* A count that differs from the header's cannot be matched to it: none. */
const unsigned char *row_stream_booleans(const row_stream *rows)
{
    size_t n_fields;
    const unsigned char *boolean = csv_splitter_booleans(rows->splitter, &n_fields);
    if (boolean == NULL || n_fields != rows->n_columns || memchr(boolean, 1, n_fields) == NULL)
        return NULL;
    return boolean;
}

uint64_t row_stream_bytes(const row_stream *rows) { return csv_splitter_bytes(rows->splitter); }
uint64_t row_stream_hash(const row_stream *rows) { return csv_splitter_hash(rows->splitter); }

size_t row_stream_threads(size_t requested)
{
    return requested > 0 ? requested : parallel_cores();
}

typedef enum { SLOT_EMPTY, SLOT_READY, SLOT_BUSY, SLOT_DONE } slot_state;

/* One block on its way from the reader through a worker to the output. */
typedef struct {
    slot_state state;
    size_t seq;
    row_block block;
    csv_block input;
    buf out;
    void *result;
    vt_status status;
    vt_err err;
} slot;

typedef struct {
    const row_job *job;
    row_stream *rows;
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
    csv_reader *reader;  /* the worker's, pointed at each block it takes */
} worker;

static void process_slot(const worker *w, slot *s)
{
    const row_job *job = w->sh->job;
    s->out.len = 0;
    memset(&s->err, 0, sizeof s->err);
    csv_reader_rewind_memory(w->reader, s->input.bytes, s->input.len, s->input.first_line);
    s->block = (row_block){w->reader, s->input.offset, s->input.len, s->input.first_line};
    s->status = job->process(w->state, &s->block, &s->out, s->result, &s->err);
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
    if (status == VT_OK && sh->job->merge)
        status = sh->job->merge(sh->job->user, s->result, &s->out, err);
    s->state = SLOT_EMPTY;
    return status;
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
        if (sh->slots[i].result && sh->job->release)
            sh->job->release(sh->slots[i].result);
        free(sh->slots[i].result);
    }
    free(sh->slots);
}

static void free_workers(worker *threads_state, size_t n_workers)
{
    for (size_t i = 0; threads_state && i < n_workers; i++)
        csv_reader_free(threads_state[i].reader);
    free(threads_state);
}

vt_status row_stream_run(row_stream *rows, void *const *workers, size_t n_workers, const row_job *job, outfile *out,
                         vt_err *err)
{
    shared sh = {.job = job, .rows = rows, .n_slots = 2 * n_workers + 2};
    worker *threads_state = vt_calloc(n_workers, sizeof(worker));
    pthread_t *threads = vt_calloc(n_workers, sizeof(pthread_t));
    sh.slots = vt_calloc(sh.n_slots, sizeof(slot));
    vt_status status = threads_state && threads && sh.slots ? VT_OK : VT_ENOMEM;
    for (size_t i = 0; status == VT_OK && i < sh.n_slots; i++)
        if ((sh.slots[i].result = vt_calloc(1, job->result_size ? job->result_size : 1)) == NULL)
            status = VT_ENOMEM;
    if (status != VT_OK)
        vt_err_set(err, VT_ENOMEM, row_stream_name(rows), 0, 0, "out of memory");
    for (size_t i = 0; status == VT_OK && i < n_workers; i++) {
        threads_state[i] = (worker){&sh, workers[i], NULL};
        status = csv_reader_open_memory("", 0, rows->delimiter, row_stream_name(rows), 1, rows->n_columns,
                                        &threads_state[i].reader, err);
    }
    if (status != VT_OK) {
        free_slots(&sh);
        free_workers(threads_state, n_workers);
        free(threads);
        return status;
    }
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.changed, NULL);
    size_t n_started = 0;
    for (; n_started < n_workers; n_started++)
        if (pthread_create(&threads[n_started], NULL, worker_main, &threads_state[n_started]) != 0) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "cannot start a thread");
            break;
        }
    if (status == VT_OK)
        status = run_blocks(&sh, rows->splitter, out, err);
    announce(&sh, 1, status != VT_OK);
    for (size_t i = 0; i < n_started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.changed);
    free_slots(&sh);
    free_workers(threads_state, n_workers);
    free(threads);
    return status;
}

vt_status row_stream_run_workers(row_stream *rows, size_t n_workers, size_t worker_size,
                                 vt_status (*init)(void *worker, void *user, vt_err *err), void (*fini)(void *worker),
                                 const row_job *job, outfile *out, vt_err *err)
{
    char *states = vt_calloc(n_workers, worker_size ? worker_size : 1);
    void **workers = vt_calloc(n_workers, sizeof *workers);
    vt_status status = states && workers ? VT_OK : vt_err_set(err, VT_ENOMEM, row_stream_name(rows), 0, 0,
                                                                "out of memory");
    for (size_t i = 0; status == VT_OK && i < n_workers; i++) {
        workers[i] = states + i * worker_size;
        if (init)
            status = init(workers[i], job->user, err);
    }
    if (status == VT_OK)
        status = row_stream_run(rows, workers, n_workers, job, out, err);
    for (size_t i = 0; states && fini && i < n_workers; i++)
        fini(states + i * worker_size);
    free(workers);
    free(states);
    return status;
}
