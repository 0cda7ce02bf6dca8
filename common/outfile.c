#include "outfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Temporaries open at once (vitals needs two: train's model and fitted
 * values); each costs a PATH_MAX buffer that the signal handler can read. */
#ifndef OUTFILE_MAX_LIVE
#define OUTFILE_MAX_LIVE 16
#endif
#define OUTFILE_MAX_HOPS 40 /* symlinks followed, the kernel's ELOOP limit */
#define TMP_INFIX ".tmp."
#define TMP_RANDOM 6 /* letters after the pid, as mkstemp's XXXXXX */

/* What a path names; see outfile.h.  A descriptor name is written as a
 * direct target once opened. */
typedef enum { TARGET_STDOUT, TARGET_DESCRIPTOR, TARGET_DIRECT, TARGET_ATOMIC, TARGET_SINK } target_kind;

struct outfile {
    FILE *stream;
    target_kind kind; /* never TARGET_DESCRIPTOR */
    int fd;           /* under stream, unless stdout; -1 once closed */
    int write_error;  /* errno of the first failed write(2); stdio keeps none */
    char *path;       /* as given, for messages */
    char *final;      /* ATOMIC: the name renamed over, symlinks followed */
    char *tmp_path;   /* ATOMIC: written until commit */
    int slot;         /* ATOMIC: registry slot of tmp_path; -1 if none */
    outfile_sink sink; /* SINK: where the bytes go */
    int sink_failed;   /* SINK: sink_err holds the first failed write */
    int discarding;    /* SINK: being aborted; buffered bytes go nowhere */
    vt_err sink_err;
};

static int registry_claim(void);
static void registry_publish(int slot, const char *tmp_path);
static int registry_withdraw(int slot);
static void registry_release(int slot);
static void cleanup_on_signal(int sig);
static int classify(const char *path, struct stat *st);
static const char *failed_verb(int kind);
static int descriptor_name(const char *path);
static int writable_descriptor(int fd);
static char *follow_link(const char *name);
static char *resolve_links(const char *path);
static char *directory_of(const char *name);
static int open_direct(const char *path, const struct stat *st);
static long temp_pid(const char *text);
static void remove_stale_temps(const char *final);
static int create_temp(char *tmp_path, int slot);
static int keep_attributes(int fd, const struct stat *old);
static int open_temp(outfile *file);
static FILE *open_stream(outfile *file);
static ssize_t stream_write(void *cookie, const char *data, size_t size);
static int finish_stream(outfile *file);
static void sync_directory(const char *final);
static void outfile_free(outfile *file);

/* ---- The registry of live temporaries, read by the signal handler ----
 * Each slot is FREE, FILLING (claimed; its path is being written and must
 * not be read), LIVE (the handler may unlink its path) or CLEANING (a
 * handler is unlinking it; the process is about to die, so the slot is
 * never reused and its path never overwritten under the handler).  Only
 * lock-free atomics and unlink are used, so any thread may take the signal. */
enum { SLOT_FREE, SLOT_FILLING, SLOT_LIVE, SLOT_CLEANING };
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs lock-free atomic int");
static atomic_int slot_state[OUTFILE_MAX_LIVE];
static char slot_path[OUTFILE_MAX_LIVE][PATH_MAX];

static int registry_claim(void)
{
    for (int i = 0; i < OUTFILE_MAX_LIVE; i++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slot_state[i], &expected, SLOT_FILLING))
            return i;
    }
    return -1;
}

static void registry_publish(int slot, const char *tmp_path)
{
    strcpy(slot_path[slot], tmp_path); /* open_temp checked the length */
    atomic_store(&slot_state[slot], SLOT_LIVE);
}

/* LIVE becomes FILLING again, so the path may be rewritten; 0 if a handler
 * is CLEANING it (the process is dying: leave the path alone). */
static int registry_withdraw(int slot)
{
    int expected = SLOT_LIVE;
    return atomic_compare_exchange_strong(&slot_state[slot], &expected, SLOT_FILLING);
}

/* FILLING (ours alone) or LIVE become FREE; CLEANING stays (see above). */
static void registry_release(int slot)
{
    if (slot < 0)
        return;
    int expected = SLOT_LIVE;
    if (atomic_load(&slot_state[slot]) == SLOT_FILLING)
        atomic_store(&slot_state[slot], SLOT_FREE);
    else
        atomic_compare_exchange_strong(&slot_state[slot], &expected, SLOT_FREE);
}

static void cleanup_on_signal(int sig)
{
    for (int i = 0; i < OUTFILE_MAX_LIVE; i++) {
        int expected = SLOT_LIVE;
        if (atomic_compare_exchange_strong(&slot_state[i], &expected, SLOT_CLEANING))
            unlink(slot_path[i]);
    }
    /* The signal is blocked until we return, so this raise is delivered
     * then, with the default action: the process dies of sig. */
    signal(sig, SIG_DFL);
    raise(sig);
}

void outfile_install_signal_cleanup(void)
{
    static const int signals[] = {SIGTERM, SIGINT, SIGHUP};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cleanup_on_signal;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaddset(&action.sa_mask, signals[i]);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction old;
        if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(signals[i], &action, NULL);
    }
}

/* ---- Where the result goes ---- */

/* The kind of target path names (st filled for a direct one), or -1 with
 * errno set when nothing can be written there: a directory, or a stat error
 * other than ENOENT (which only means a new file or a dangling link). */
static int classify(const char *path, struct stat *st)
{
    if (strcmp(path, "-") == 0)
        return TARGET_STDOUT;
    if (descriptor_name(path) >= 0)
        return TARGET_DESCRIPTOR;
    if (stat(path, st) != 0)
        return errno == ENOENT ? TARGET_ATOMIC : -1;
    if (S_ISDIR(st->st_mode))
        return errno = EISDIR, -1;
    return S_ISREG(st->st_mode) ? TARGET_ATOMIC : TARGET_DIRECT;
}

int outfile_is_stdout(const char *path)
{
    return strcmp(path, "-") == 0 || descriptor_name(path) == STDOUT_FILENO;
}

int outfile_is_file(const char *path)
{
    struct stat st;
    return classify(path, &st) == TARGET_ATOMIC;
}

/* The verb of an error about a target of this kind. */
static const char *failed_verb(int kind)
{
    return kind == TARGET_DIRECT || kind == TARGET_DESCRIPTOR ? "open" : "create";
}

/* The descriptor a name like /dev/stdout or /dev/fd/3 stands for; -1 if the
 * name is not one.  Opening such a name afresh would lose the shell's
 * O_APPEND and offset, and fails for a socket. */
static int descriptor_name(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    const char *digits = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        digits = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        digits = path + 14;
    if (digits == NULL || !isdigit((unsigned char)digits[0]))
        return -1;
    char *end;
    errno = 0;
    long fd = strtol(digits, &end, 10);
    return *end == '\0' && errno == 0 && fd <= INT_MAX ? (int)fd : -1;
}

/* fd if it is open for writing; -1 with errno set (EBADF, as write(2)
 * would say for a read-only one) otherwise. */
static int writable_descriptor(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1)
        return -1;
    if ((flags & O_ACCMODE) == O_RDONLY)
        return errno = EBADF, -1;
    return fd;
}

/* Where the symlink name points, read against the link's own directory
 * (textually: the kernel then resolves "dir/../x" physically, as it would
 * the link).  Malloc'ed; NULL with errno set. */
static char *follow_link(const char *name)
{
    char target[PATH_MAX];
    ssize_t len = readlink(name, target, sizeof target);
    if (len < 0)
        return NULL;
    if ((size_t)len == sizeof target) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    const char *slash = strrchr(name, '/');
    size_t keep = target[0] == '/' || slash == NULL ? 0 : (size_t)(slash - name) + 1;
    char *next = vt_malloc(keep + (size_t)len + 1);
    if (next == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(next, name, keep);
    memcpy(next + keep, target, (size_t)len);
    next[keep + (size_t)len] = '\0';
    return next;
}

/* Follow symlinks at the end of path to the name a rename must replace; a
 * dangling link ends at the name it points to.  Links in the directory part
 * need no following: the temporary sits in the same real directory either
 * way.  Malloc'ed; NULL with errno set. */
static char *resolve_links(const char *path)
{
    char *name = vt_strdup(path);
    if (name == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    for (int hops = 0;; hops++) {
        struct stat st;
        int missing = lstat(name, &st) != 0;
        if (missing ? errno == ENOENT : !S_ISLNK(st.st_mode))
            return name;
        char *next = NULL;
        if (!missing && hops < OUTFILE_MAX_HOPS)
            next = follow_link(name);
        else if (!missing)
            errno = ELOOP;
        int saved = errno;
        free(name);
        if (next == NULL) {
            errno = saved;
            return NULL;
        }
        name = next;
    }
}

/* The directory part of name ("dir/", "/" or "."), malloc'ed; NULL if out
 * of memory. */
static char *directory_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    return slash ? vt_strndup(name, (size_t)(slash - name) + 1) : vt_strdup(".");
}

/* A device or FIFO is opened as it is (no O_TRUNC: a device may refuse it,
 * and a FIFO has nothing to truncate); a Unix socket is connected to. */
static int open_direct(const char *path, const struct stat *st)
{
    if (!S_ISSOCK(st->st_mode))
        return open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Is text "<pid>.XXXXXX" with a positive pid?  Returns the pid or 0. */
static long temp_pid(const char *text)
{
    if (!isdigit((unsigned char)text[0]))
        return 0;
    char *end;
    errno = 0;
    long pid = strtol(text, &end, 10);
    if (errno != 0 || pid <= 0 || pid > INT_MAX || *end != '.' || strlen(end + 1) != TMP_RANDOM)
        return 0;
    for (const char *c = end + 1; *c; c++)
        if (!isalnum((unsigned char)*c))
            return 0;
    return pid;
}

/* Remove FINAL.tmp.<pid>.XXXXXX left by a process that no longer exists
 * (killed by SIGKILL, a crash, a power cut).  A live pid (ours included),
 * one we may not signal (EPERM: alive) and any other name are left alone.
 * Best effort: errors are ignored. */
static void remove_stale_temps(const char *final)
{
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    char *dir = directory_of(final);
    DIR *listing = dir ? opendir(dir) : NULL;
    free(dir);
    if (listing == NULL)
        return;
    size_t base_len = strlen(base), infix_len = strlen(TMP_INFIX);
    struct dirent *entry;
    while ((entry = readdir(listing)) != NULL) {
        const char *name = entry->d_name;
        if (strncmp(name, base, base_len) != 0 || strncmp(name + base_len, TMP_INFIX, infix_len) != 0)
            continue;
        long pid = temp_pid(name + base_len + infix_len);
        if (pid != 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            unlinkat(dirfd(listing), name, 0);
    }
    closedir(listing);
}

/* O_EXCL-create tmp_path, whose last TMP_RANDOM letters are replaced.  Not
 * mkstemp: it creates 0600, and only open's mode lets the kernel apply the
 * umask (and a default ACL) as for any new file.  Each name is published in
 * slot before it is created, so no signal finds the file unregistered; a
 * name that already exists has our pid, so a signal that removes it in
 * between removes a stale temporary. */
static int create_temp(char *tmp_path, int slot)
{
    static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static atomic_uint_fast64_t counter;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t seed = (uint64_t)now.tv_nsec ^ (uint64_t)now.tv_sec << 30;
    char *random = tmp_path + strlen(tmp_path) - TMP_RANDOM;
    for (int attempt = 0; attempt < 100; attempt++) {
        uint64_t value = (seed + atomic_fetch_add(&counter, 1)) * UINT64_C(0x9e3779b97f4a7c15);
        for (int i = 0; i < TMP_RANDOM; i++, value <<= 6)
            random[i] = letters[(value >> 58) % 62]; /* the well-mixed high bits */
        registry_publish(slot, tmp_path);
        int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST || !registry_withdraw(slot))
            return fd;
    }
    return -1;
}

/* An existing file keeps its owner, group and mode: chown first (it clears
 * set-id bits), and a user who may not give the file away keeps the group
 * if allowed.  Failing to keep the mode fails the open: the new file could
 * otherwise be readable by people the old one was not. */
static int keep_attributes(int fd, const struct stat *old)
{
    if (fchown(fd, old->st_uid, old->st_gid) != 0 && fchown(fd, (uid_t)-1, old->st_gid) != 0 && errno != EPERM)
        return -1;
    return fchmod(fd, old->st_mode & 07777);
}

/* Create the temporary for an atomic target; fills file->final, tmp_path,
 * slot.  Returns the descriptor, or -1 with errno set. */
static int open_temp(outfile *file)
{
    if ((file->final = resolve_links(file->path)) == NULL)
        return -1;
    size_t size = strlen(file->final) + sizeof TMP_INFIX + 24 + TMP_RANDOM;
    if ((file->tmp_path = vt_malloc(size)) == NULL)
        return errno = ENOMEM, -1;
    snprintf(file->tmp_path, size, "%s" TMP_INFIX "%ld.%.*s", file->final, (long)getpid(), TMP_RANDOM, "XXXXXXXXXX");
    if (strlen(file->tmp_path) >= PATH_MAX)
        return errno = ENAMETOOLONG, -1;
    if ((file->slot = registry_claim()) < 0)
        return errno = EMFILE, -1;
    remove_stale_temps(file->final);
    struct stat old;
    int existed = lstat(file->final, &old) == 0 && S_ISREG(old.st_mode);
    int fd = create_temp(file->tmp_path, file->slot);
    if (fd < 0)
        return -1;
    if (existed && keep_attributes(fd, &old) != 0) {
        int saved = errno;
        close(fd);
        unlink(file->tmp_path);
        return errno = saved, -1;
    }
    return fd;
}

/* A stdio stream over file->fd that remembers why a write failed, so that
 * commit can say "No space left on device" rather than stdio's bare error
 * flag.  The descriptor stays ours to fsync and close. */
static FILE *open_stream(outfile *file)
{
    cookie_io_functions_t io = {.write = stream_write};
    FILE *stream = fopencookie(file, "w", io);
    if (stream != NULL)
        setvbuf(stream, NULL, _IOFBF, 1 << 20);
    return stream;
}

static ssize_t stream_write(void *cookie, const char *data, size_t size)
{
    outfile *file = cookie;
    if (file->kind == TARGET_SINK) {
        if (file->discarding)
            return (ssize_t)size;
        if (file->sink_failed || file->sink.write(file->sink.state, data, size, &file->sink_err) != VT_OK) {
            file->sink_failed = 1;
            return 0; /* stdio sets its error flag */
        }
        return (ssize_t)size;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(file->fd, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (file->write_error == 0)
                file->write_error = errno;
            break;
        }
        done += (size_t)n;
    }
    return (ssize_t)done; /* short: stdio sets its error flag */
}

/* Flush; for an atomic target fsync before the rename (SQLite's order:
 * data durable first, then the name); close unless stdout.  Returns the
 * first error's errno, or 0. */
static int finish_stream(outfile *file)
{
    int flushed = fflush(file->stream) == 0;
    int error = file->write_error;
    if (error == 0 && !flushed)
        error = errno;
    if (error == 0 && ferror(file->stream))
        error = EIO; /* stdout: an earlier write failed, its errno is gone */
    if (file->kind == TARGET_STDOUT)
        return error;
    fclose(file->stream);
    file->stream = NULL;
    if (file->kind == TARGET_ATOMIC && error == 0 && fsync(file->fd) != 0)
        error = errno;
    if (close(file->fd) != 0 && error == 0)
        error = errno;
    file->fd = -1;
    return error;
}

/* Make the rename durable.  Errors are ignored, as SQLite's unixSync ignores
 * a directory it cannot open: some file systems cannot sync a directory,
 * and the result is in place either way. */
static void sync_directory(const char *final)
{
    char *dir = directory_of(final);
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

static void outfile_free(outfile *file)
{
    registry_release(file->slot);
    free(file->tmp_path);
    free(file->final);
    free(file->path);
    free(file);
}

vt_status outfile_open(const char *path, outfile **out, vt_err *err)
{
    *out = NULL;
    outfile *file = vt_calloc(1, sizeof *file);
    if (file == NULL || (file->path = vt_strdup(path)) == NULL) {
        free(file);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    file->slot = -1;
    file->fd = -1;
    struct stat st;
    int kind = classify(path, &st), fd = -1;
    file->kind = kind == TARGET_STDOUT || kind == TARGET_ATOMIC ? (target_kind)kind : TARGET_DIRECT;
    if (kind == TARGET_STDOUT) {
        file->stream = stdout;
        *out = file;
        return VT_OK;
    }
    if (kind == TARGET_DESCRIPTOR) {
        fd = writable_descriptor(descriptor_name(path));
        if (fd >= 0)
            fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    } else if (kind == TARGET_DIRECT)
        fd = open_direct(path, &st);
    else if (kind == TARGET_ATOMIC)
        fd = open_temp(file);
    file->fd = fd;
    if (fd < 0 || (file->stream = open_stream(file)) == NULL) {
        int saved = errno;
        outfile_abort(file);
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot %s output: %s", failed_verb(kind), strerror(saved));
    }
    *out = file;
    return VT_OK;
}

vt_status outfile_open_sink(const char *name, const outfile_sink *sink, outfile **out, vt_err *err)
{
    *out = NULL;
    outfile *file = vt_calloc(1, sizeof *file);
    if (file != NULL) {
        file->kind = TARGET_SINK;
        file->slot = -1;
        file->fd = -1;
        file->sink = *sink;
        file->path = vt_strdup(name);
    }
    if (file == NULL || file->path == NULL || (file->stream = open_stream(file)) == NULL) {
        if (file != NULL)
            outfile_free(file);
        sink->abort(sink->state);
        return vt_err_set(err, VT_ENOMEM, name, 0, 0, "out of memory");
    }
    *out = file;
    return VT_OK;
}

FILE *outfile_stream(outfile *file)
{
    return file->stream;
}

/* A sink's own error, as it reported it. */
static vt_status sink_error(const outfile *file, vt_err *err)
{
    if (err != NULL)
        *err = file->sink_err;
    return file->sink_err.code != VT_OK ? file->sink_err.code : VT_EIO;
}

vt_status outfile_write(outfile *file, const void *bytes, size_t len, vt_err *err)
{
    if (len == 0 || fwrite(bytes, 1, len, file->stream) == len)
        return VT_OK;
    if (file->sink_failed)
        return sink_error(file, err);
    int error = file->write_error ? file->write_error : errno ? errno : EIO;
    return vt_err_set(err, VT_EIO, file->kind == TARGET_STDOUT ? "<stdout>" : file->path, 0, 0, "write failed: %s",
                      strerror(error));
}

static vt_status commit_sink(outfile *file, vt_err *err)
{
    int flushed = fflush(file->stream) == 0;
    fclose(file->stream);
    file->stream = NULL;
    vt_status status = VT_OK;
    if (file->sink_failed)
        status = sink_error(file, err);
    else if (!flushed)
        status = vt_err_set(err, VT_EIO, file->path, 0, 0, "write failed: %s", strerror(errno));
    if (status == VT_OK)
        status = file->sink.commit(file->sink.state, err);
    else
        file->sink.abort(file->sink.state);
    outfile_free(file);
    return status;
}

vt_status outfile_commit(outfile *file, vt_err *err)
{
    if (file->kind == TARGET_SINK)
        return commit_sink(file, err);
    int error = finish_stream(file);
    if (file->kind == TARGET_ATOMIC) {
        if (error == 0 && rename(file->tmp_path, file->final) != 0)
            error = errno;
        if (error != 0)
            unlink(file->tmp_path);
        else
            sync_directory(file->final);
    }
    vt_status status = VT_OK;
    if (error != 0)
        status = vt_err_set(err, VT_EIO, file->kind == TARGET_STDOUT ? "<stdout>" : file->path, 0, 0,
                            "write failed: %s", strerror(error));
    outfile_free(file);
    return status;
}

void outfile_abort(outfile *file)
{
    if (file == NULL)
        return;
    if (file->kind == TARGET_SINK) {
        file->discarding = 1;
        fclose(file->stream);
        file->sink.abort(file->sink.state);
        outfile_free(file);
        return;
    }
    if (file->kind != TARGET_STDOUT && file->stream != NULL)
        fclose(file->stream);
    if (file->fd >= 0) {
        close(file->fd);
        if (file->kind == TARGET_ATOMIC)
            unlink(file->tmp_path);
    }
    outfile_free(file);
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
    struct stat st;
    int kind = classify(path, &st), ok = 0;
    if (kind == TARGET_STDOUT)
        return VT_OK;
    if (kind == TARGET_DESCRIPTOR) {
        ok = writable_descriptor(descriptor_name(path)) >= 0;
    } else if (kind == TARGET_DIRECT) {
        ok = access(path, W_OK) == 0;
    } else if (kind == TARGET_ATOMIC) {
        char *final = resolve_links(path);
        char *dir = final ? directory_of(final) : NULL;
        ok = dir != NULL && access(dir, W_OK) == 0;
        int saved = errno;
        free(dir);
        free(final);
        errno = saved;
    }
    if (!ok)
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot %s output: %s", failed_verb(kind), strerror(errno));
    return VT_OK;
}
