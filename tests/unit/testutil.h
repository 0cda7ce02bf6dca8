/* Helpers shared by the unit tests (header-only: each test is one program). */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A whole file as a NUL-terminated text (malloc'ed), or NULL. */
static inline char *test_read_text(const char *path)
{
    FILE *stream = fopen(path, "rb");
    if (stream == NULL)
        return NULL;
    fseek(stream, 0, SEEK_END);
    long size = ftell(stream);
    fseek(stream, 0, SEEK_SET);
    char *text = size < 0 ? NULL : malloc((size_t)size + 1);
    size_t got = text ? fread(text, 1, (size_t)size, stream) : 0;
    fclose(stream);
    if (text)
        text[got] = '\0';
    return text;
}

/* Parse a JSON file; NULL on any failure. Caller frees with cJSON_Delete. */
static inline cJSON *test_read_json(const char *path)
{
    char *text = test_read_text(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    return root;
}

/* The next of a seeded sequence of uniforms in [0, 1) (a 64-bit LCG's top
 * 53 bits), so test data repeat exactly on every machine. */
static inline double test_uniform(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*seed >> 11) / 9007199254740992.0;
}

/* Write text to a fresh temporary file; returns its malloc'ed path. */
static inline char *test_write_temp(const char *text, size_t len)
{
    char *path = strdup("/tmp/vitals-test-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        return NULL;
    }
    close(fd);
    return path;
}

static inline void test_remove_temp(char *path)
{
    unlink(path);
    free(path);
}

#endif
