#include "outfile.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
    FILE *stream;
    char *path;     /* final name; NULL for stdout */
    char *tmp_path; /* where we write until commit */
};

vt_status outfile_open(const char *path, outfile **out, vt_err *err)
{
    *out = NULL;
    outfile *file = vt_calloc(1, sizeof *file);
    if (file == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    if (strcmp(path, "-") == 0) {
        file->stream = stdout;
        *out = file;
        return VT_OK;
    }
    size_t len = strlen(path) + 32;
    file->path = vt_strdup(path);
    file->tmp_path = malloc(len);
    if (file->path == NULL || file->tmp_path == NULL) {
        outfile_abort(file);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    snprintf(file->tmp_path, len, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(file->tmp_path);
    if (fd < 0) {
        int saved = errno;
        free(file->tmp_path);
        file->tmp_path = NULL;
        outfile_abort(file);
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot create output: %s",
                          strerror(saved));
    }
    /* mkstemp creates 0600; results are ordinary files. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    file->stream = fdopen(fd, "w");
    if (file->stream == NULL) {
        close(fd);
        outfile_abort(file);
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot open output stream");
    }
    setvbuf(file->stream, NULL, _IOFBF, 1 << 20);
    *out = file;
    return VT_OK;
}

FILE *outfile_stream(outfile *file)
{
    return file->stream;
}

vt_status outfile_commit(outfile *file, vt_err *err)
{
    const char *shown = file->path ? file->path : "<stdout>";
    int failed = ferror(file->stream) != 0;
    if (file->path == NULL) {
        failed |= fflush(file->stream) != 0;
        free(file);
        if (failed)
            return vt_err_set(err, VT_EIO, shown, 0, 0, "write failed");
        return VT_OK;
    }
    failed |= fflush(file->stream) != 0;
    failed |= fclose(file->stream) != 0;
    file->stream = NULL;
    if (!failed && rename(file->tmp_path, file->path) != 0)
        failed = 1;
    if (failed) {
        int saved = errno;
        vt_err_set(err, VT_EIO, shown, 0, 0, "write failed: %s", strerror(saved));
        outfile_abort(file);
        return VT_EIO;
    }
    free(file->tmp_path);
    free(file->path);
    free(file);
    return VT_OK;
}

void outfile_abort(outfile *file)
{
    if (file == NULL)
        return;
    if (file->path != NULL) {
        if (file->stream != NULL)
            fclose(file->stream);
        if (file->tmp_path != NULL)
            unlink(file->tmp_path);
    }
    free(file->tmp_path);
    free(file->path);
    free(file);
}

vt_status outfile_write_text(const char *path, const char *text, vt_err *err)
{
    outfile *file = NULL;
    vt_status status = outfile_open(path, &file, err);
    if (status != VT_OK)
        return status;
    fputs(text, file->stream);
    fputc('\n', file->stream);
    return outfile_commit(file, err);
}

vt_status outfile_check(const char *path, vt_err *err)
{
    if (strcmp(path, "-") == 0)
        return VT_OK;
    char *copy = vt_strdup(path);
    if (copy == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    int writable = access(dirname(copy), W_OK) == 0;
    int saved = errno;
    free(copy);
    if (!writable)
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot create output: %s", strerror(saved));
    return VT_OK;
}
