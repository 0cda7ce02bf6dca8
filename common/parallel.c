#include "parallel.h"

#include <pthread.h>
#include <unistd.h>

typedef struct {
    size_t n_chunks;
    size_t next; /* next chunk to run, under lock */
    pthread_mutex_t lock;
    void (*fn)(size_t, void *);
    void *context;
} pool;

static void *run_chunks(void *arg)
{
    pool *work = arg;
    for (;;) {
        pthread_mutex_lock(&work->lock);
        size_t chunk = work->next++;
        pthread_mutex_unlock(&work->lock);
        if (chunk >= work->n_chunks)
            return NULL;
        work->fn(chunk, work->context);
    }
}

void parallel_for(size_t n_chunks, size_t n_threads, void (*fn)(size_t chunk, void *context), void *context)
{
    enum { MAX_THREADS = 64 };
    pool work = {n_chunks, 0, PTHREAD_MUTEX_INITIALIZER, fn, context};
    pthread_t threads[MAX_THREADS];
    size_t n_started = 0;
    if (n_threads > n_chunks)
        n_threads = n_chunks;
    if (n_threads > MAX_THREADS)
        n_threads = MAX_THREADS;
    /* A thread that fails to start only means fewer helpers. */
    while (n_started + 1 < n_threads && pthread_create(&threads[n_started], NULL, run_chunks, &work) == 0)
        n_started++;
    run_chunks(&work);
    for (size_t i = 0; i < n_started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&work.lock);
}

size_t parallel_cores(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (size_t)cores : 1;
}
