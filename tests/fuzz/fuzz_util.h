/* fuzz_util: what every fuzz target shares.
 *
 * The loaders under test read paths, not buffers, so fuzz_file_path writes
 * the input into one memfd per process and names it through /proc/self/fd:
 * no disk traffic, nothing left behind.  fuzz_check aborts with a message,
 * so a broken invariant is reported by libFuzzer like any crash and the
 * input is saved.  Single-threaded, as libFuzzer runs a target. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_check(condition, ...)                                          \
    do {                                                                    \
        if (!(condition)) {                                                 \
            fprintf(stderr, "fuzz check failed at %s:%d: %s: ", __FILE__,   \
                    __LINE__, #condition);                                  \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
            abort();                                                        \
        }                                                                   \
    } while (0)

/* A path whose contents are exactly data[0..size); valid until the next
 * call.  Aborts if the memfd cannot be made (not the input's fault). */
static inline const char *fuzz_file_path(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("vitals-fuzz", 0);
        fuzz_check(fd >= 0, "memfd_create failed");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    fuzz_check(ftruncate(fd, 0) == 0, "ftruncate failed");
    for (size_t done = 0; done < size;) {
        ssize_t wrote = pwrite(fd, data + done, size - done, (off_t)done);
        fuzz_check(wrote > 0, "pwrite failed");
        done += (size_t)wrote;
    }
    return path;
}

/* data as a NUL-terminated string (cut at its first NUL); caller frees. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    fuzz_check(text != NULL, "out of memory");
    memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

#endif
