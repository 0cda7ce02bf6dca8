/* outfile: write a result where the user asked, atomically where that is
 * possible, and never leave a partial file behind.
 *
 * What outfile_open(path) writes to:
 *   "-"                  standard output (flushed, never closed).
 *   "/dev/stdout", "/dev/stderr", "/dev/fd/N", "/proc/self/fd/N"
 *                        the open descriptor 1, 2 or N itself (a dup), as
 *                        bash and gawk read these names, so `>>` appends and
 *                        a socket works.
 *   an existing path that is not a regular file or a directory (character
 *   device such as /dev/null, FIFO, Unix socket)
 *                        opened and written directly: O_WRONLY, no O_TRUNC,
 *                        no rename (a socket is connected to).
 *   a regular file, a path that does not exist, or a symlink to either
 *                        written atomically: symlinks are followed (a
 *                        relative link against its own directory; a dangling
 *                        link to the name it points to) and the result goes
 *                        to TARGET.tmp.<pid>.XXXXXX next to the final
 *                        target, which commit fsyncs, renames over the
 *                        target and then fsyncs the directory (as SQLite's
 *                        unixSync does).  The link itself stays a link.  An
 *                        existing file keeps its permission bits, and its
 *                        owner and group where the user may set them; a new
 *                        file gets 0666 & ~umask.  Not kept: ACLs, extended
 *                        attributes, and other hard links to the old file
 *                        (they keep the old content).
 *
 * Atomicity: only the last kind is atomic: a failed run (error, abort,
 * signal) leaves an existing target byte-identical and no temporary behind.
 * The first three are written as the result is produced; a failure there may
 * have delivered part of it to the reader.  Errors are reported either way.
 *
 * Temporaries: outfile_open removes stale temporaries for the same target
 * whose <pid> is no longer alive (kill(pid, 0) fails with ESRCH) and leaves
 * every other file alone.  (Two hosts or pid namespaces writing the same
 * target through a shared directory could remove each other's; don't.)
 * After outfile_install_signal_cleanup, SIGTERM, SIGINT and SIGHUP remove
 * every live temporary before the process dies of the signal.  At most
 * OUTFILE_MAX_LIVE (16) atomic targets are open at once; one more fails to
 * open ("Too many open files").
 *
 * Ownership and threads: the caller owns the outfile and ends it with
 * exactly one of commit or abort, which free it.  One outfile is used by one
 * thread at a time; different outfiles may be used from different threads,
 * and the signal handler may run on any thread. */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdio.h>

#include "vt.h"

typedef struct outfile outfile;

/* Open path for writing as described above.  Blocks until a reader opens a
 * FIFO, as any Unix writer does.  VT_EIO "cannot create output: ..." or
 * "cannot open output: ..." names path; VT_ENOMEM. */
vt_status outfile_open(const char *path, outfile **out /* OUT */, vt_err *err);

/* A target of the caller's making (a table in a database, pg.h): the
 * bytes go to write as they are produced, and commit or abort ends it, as
 * it ends a file; atomic when the sink is.  The outfile owns state from
 * here on (one of commit or abort is called exactly once, also when this
 * open fails); a failed write's error is the sink's own. */
typedef struct {
    void *state;
    vt_status (*write)(void *state, const char *bytes, size_t len, vt_err *err);
    vt_status (*commit)(void *state, vt_err *err); /* frees state */
    void (*abort)(void *state);                    /* frees state */
} outfile_sink;
vt_status outfile_open_sink(const char *name, const outfile_sink *sink, outfile **out /* OUT */, vt_err *err);

/* The stream to write the result to; owned by the outfile. */
FILE *outfile_stream(outfile *file);

/* Write bytes now, for long results: a failure (a full disk) is reported
 * at once, VT_EIO "write failed: ..." naming the path, so the caller can
 * stop instead of working on to commit.  The outfile must still be
 * aborted. */
vt_status outfile_write(outfile *file, const void *bytes, size_t len, vt_err *err);

/* Finish: flush (and for an atomic target fsync, rename, fsync the
 * directory).  Any write, flush, fsync, close or rename error fails with
 * VT_EIO "write failed: ..." naming the path; an atomic target is then left
 * as it was and the temporary is removed.  Frees file. */
vt_status outfile_commit(outfile *file, vt_err *err);

/* Give up: remove the temporary of an atomic target.  Frees file; NULL ok. */
void outfile_abort(outfile *file);

/* Can a result be written at path by the rules above?  For checking before
 * long work: "-" and an open descriptor name can; an existing device, FIFO
 * or socket must be writable; otherwise the directory of the final target
 * (symlinks followed) must exist and be writable.  Creates nothing. */
vt_status outfile_check(const char *path, vt_err *err);

/* Does path name standard output ("-", /dev/stdout, /dev/fd/1)?  Then a
 * command's report goes to standard error, not into the result. */
int outfile_is_stdout(const char *path);

/* Would path be written as a file (a regular file, a new name or a link to
 * one), not a stream such as "-", a device or a FIFO?  For outputs named
 * after another (DATA.csv.truth.json), which only a file can have. */
int outfile_is_file(const char *path);

/* The whole job for a small result: write text and a newline. */
vt_status outfile_write_text(const char *path, const char *text, vt_err *err);

/* Make SIGTERM, SIGINT and SIGHUP remove every live temporary, then die of
 * the signal with its default action (so the exit status says which).  Call
 * once from main, before any outfile is open; a signal the process inherited
 * as ignored (nohup) stays ignored. */
void outfile_install_signal_cleanup(void);

#endif
