#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pg.h"

struct source {
    char *name;
    FILE *stream;     /* a file or standard input */
    int owns_stream;
    pg_reader *rows;  /* or a query's rows */
    int regular;      /* a regular file: at_open and bytes_read checked at its end */
    struct stat at_open;
    unsigned long long bytes_read;
};

/* A path that looks like another scheme's URI (postgressql://u:pw@h) is
 * named without its password. */
static vt_status cannot_open(const char *path, vt_err *err)
{
    int error = errno;
    if (strstr(path, "://") == NULL)
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot open: %s", strerror(error));
    char *shown = pg_redact(path);
    vt_status status = vt_err_set(err, VT_EIO, shown ? shown : "DATA", 0, 0,
                                  "cannot open: %s (a PostgreSQL URI starts postgresql:// or postgres://)",
                                  strerror(error));
    free(shown);
    return status;
}

vt_status source_open(const char *path, const char *query, source **out, vt_err *err)
{
    *out = NULL;
    int is_uri = pg_is_uri(path);
    if (is_uri && query == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "a postgresql:// URI: only train, predict, score and compare read from PostgreSQL "
                          "(with --query or --table)");
    if (!is_uri && query != NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--query and --table read from PostgreSQL: DATA must be a postgresql:// URI");
    source *input = vt_calloc(1, sizeof *input);
    if (input == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    vt_status status = VT_OK;
    if (is_uri) {
        status = pg_reader_open(path, query, &input->rows, err);
        if (status == VT_OK && (input->name = vt_strdup(pg_reader_name(input->rows))) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    } else if ((input->name = vt_strdup(strcmp(path, "-") == 0 ? "<stdin>" : path)) == NULL) {
        status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    } else if (strcmp(path, "-") == 0) {
        input->stream = stdin;
    } else if ((input->stream = fopen(path, "rb")) == NULL) {
        status = cannot_open(path, err);
    } else {
        input->owns_stream = 1;
        input->regular = fstat(fileno(input->stream), &input->at_open) == 0 && S_ISREG(input->at_open.st_mode);
    }
    if (status != VT_OK) {
        source_free(input);
        return status;
    }
    *out = input;
    return VT_OK;
}

vt_status source_read(source *input, char *bytes, size_t want, size_t *got, vt_err *err)
{
    if (input->rows != NULL)
        return pg_reader_read(input->rows, bytes, want, got, err);
    *got = fread(bytes, 1, want, input->stream);
    if (*got < want && ferror(input->stream))
        return vt_err_set(err, VT_EIO, input->name, 0, 0, "read error: %s", strerror(errno));
    input->bytes_read += *got;
    if (*got < want && input->regular && /* the end: was it the whole file, as it was when opened? */
        (input->bytes_read != (unsigned long long)input->at_open.st_size ||
         !source_file_unchanged(fileno(input->stream), &input->at_open)))
        return vt_err_set(err, VT_EIO, input->name, 0, 0,
                          "the file changed while it was read (%llu bytes read, %lld when opened): read it once it "
                          "is complete", input->bytes_read, (long long)input->at_open.st_size);
    return VT_OK;
}

int source_file_unchanged(int fd, const struct stat *then)
{
    struct stat now;
    return fstat(fd, &now) == 0 && now.st_size == then->st_size && now.st_mtim.tv_sec == then->st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == then->st_mtim.tv_nsec;
}

char source_delimiter(const char *query, char delimiter) { return query ? ',' : delimiter; }

const char *source_name(const source *input) { return input->name; }

const unsigned char *source_booleans(const source *input, size_t *n_fields)
{
    *n_fields = 0;
    return input->rows ? pg_reader_booleans(input->rows, n_fields) : NULL;
}

void source_free(source *input)
{
    if (input == NULL)
        return;
    if (input->owns_stream)
        fclose(input->stream);
    pg_reader_free(input->rows);
    free(input->name);
    free(input);
}
