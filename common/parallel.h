/* parallel: run a function over chunks of work on a few threads.
 *
 * parallel_for calls fn(chunk, context) once for every chunk in
 * [0, n_chunks), spread over up to n_threads threads (the caller's
 * included), and returns when all are done.  Callers give each chunk its own
 * output and combine them in chunk order afterwards, so results do not
 * depend on the thread count.  Threads are started per call: meant for
 * chunks of milliseconds, not microseconds. */
#ifndef PARALLEL_H
#define PARALLEL_H

#include <stddef.h>

void parallel_for(size_t n_chunks, size_t n_threads, void (*fn)(size_t chunk, void *context), void *context);

/* Online cores (at least 1). */
size_t parallel_cores(void);

#endif
