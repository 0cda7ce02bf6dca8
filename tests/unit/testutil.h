/* Helpers shared by the unit tests (header-only: each test is one program). */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse a JSON file; NULL on any failure. Caller frees with cJSON_Delete. */
static inline cJSON *test_read_json(const char *path)
{
    FILE *stream = fopen(path, "rb");
    if (stream == NULL)
        return NULL;
    fseek(stream, 0, SEEK_END);
    long size = ftell(stream);
    fseek(stream, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    size_t got = fread(text, 1, (size_t)size, stream);
    fclose(stream);
    text[got] = '\0';
    cJSON *root = cJSON_Parse(text);
    free(text);
    return root;
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
