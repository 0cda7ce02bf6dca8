/* outfile: write a result atomically.
 *
 * outfile_open("-") writes to standard output.  Any other path is written to
 * a temporary file in the same directory, which outfile_commit renames over
 * the target only when the whole result was written; outfile_abort (or a
 * failed commit) removes the temporary, so a failed run never leaves a partial
 * file and never touches an existing one.  The caller owns the outfile and
 * must end it with exactly one of commit or abort. */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdio.h>

#include "vt.h"

typedef struct outfile outfile;

vt_status outfile_open(const char *path, outfile **out /* OUT */, vt_err *err);
FILE *outfile_stream(outfile *file);
vt_status outfile_commit(outfile *file, vt_err *err); /* frees file */
void outfile_abort(outfile *file);                      /* frees file; NULL ok */

/* Can a result be written at path (its directory exists and is writable)?
 * For checking before long work; "-" always can. */
vt_status outfile_check(const char *path, vt_err *err);

/* The whole job for a small result: write text and a newline atomically. */
vt_status outfile_write_text(const char *path, const char *text, vt_err *err);

#endif
