/* vt: the status codes and error record every vitals module shares.
 *
 * Fallible functions return a vt_status and, on failure, fill a caller-owned
 * vt_err with the file, line and column the problem was found at and one
 * sentence saying what is wrong.  Only main() prints it (vt_err_format).
 * Passing a NULL vt_err is allowed: the setters ignore it. */
#ifndef VT_H
#define VT_H

#include <stddef.h>

#define VT_VERSION "0.1.0"

typedef enum {
    VT_OK = 0,      /* success */
    VT_EIO,         /* a file could not be opened, read or written */
    VT_EPARSE,      /* malformed input: CSV, JSON, a number, an option */
    VT_EDATA,       /* well-formed input with unusable content */
    VT_EUSAGE,      /* bad command line */
    VT_ENOMEM,      /* allocation failed */
    VT_ENUMERIC,    /* a numerical failure: singular matrix, no convergence */
    VT_EBADLEN,     /* programmer error: dimensions disagree */
    VT_EFORMAT      /* a model file this version cannot read */
} vt_status;

#define VT_ERR_MORE 16

typedef struct {
    vt_status code;
    char path[256];  /* file the error is about, "" if none */
    long line;       /* 1-based, 0 if not applicable */
    long col;        /* 1-based CSV field or JSON column, 0 if not applicable */
    char msg[512];
    /* Further problems found together with this one (every column a header
     * lacks, not only the first): the error stays one line; the command
     * line lists these under --explain-errors.  n_more may exceed the
     * VT_ERR_MORE kept. */
    size_t n_more;
    char more[VT_ERR_MORE][200];
} vt_err;

const char *vt_strerror(vt_status code);

/* Record an error; returns code so callers can write `return vt_err_set(...)`.
 * path may be NULL; line/col 0 mean "not applicable". */
vt_status vt_err_set(vt_err *err, vt_status code, const char *path, long line,
                     long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Record a further problem found with the error already set (its place:
 * the error's path and line); counted past the VT_ERR_MORE kept. */
void vt_err_more(vt_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Name the file an error is about where the code that found it could not
 * know it (a fit sees numbers, not files): sets path if none is set. */
void vt_err_locate(vt_err *err, const char *path);

/* A status returned without a message (an allocation that failed deep in a
 * helper that only returns VT_ENOMEM) gets the status's own text. */
void vt_err_default(vt_err *err, vt_status status);

/* Text from the data (a cell, a level, a column name) made safe to echo in
 * a one-line error: newline, CR and tab as \n \r \t, other control bytes
 * (C0, DEL, and C1 as their UTF-8 bytes) and bytes that are not valid
 * UTF-8 as \xHH; valid UTF-8 is kept.  Long text is cut after
 * VT_QUOTE_BYTES bytes of input, at a character boundary, and ends in
 * "...".  A backslash is kept as is.  Writes a NUL-terminated string into
 * buf, never more than size bytes (a buffer of VT_QUOTE_SIZE holds any
 * result; a smaller one cuts sooner), and returns buf, so it can be a
 * printf argument.  Without the escapes, a cell holding "1\n2" or ESC [31m
 * split the error over lines or drove the terminal (issue 9). */
/* The offset of the first byte of text that is not valid UTF-8 (RFC
 * 3629), or -1 when it all is. */
long vt_utf8_invalid_at(const char *text, size_t len);

#define VT_QUOTE_BYTES 64
#define VT_QUOTE_SIZE (4 * VT_QUOTE_BYTES + 8)
const char *vt_quote(char *buf, size_t size, const char *text, size_t len);

/* "FILE:LINE:COL: msg" (the parts that apply) into buf. */
void vt_err_format(const vt_err *err, char *buf, size_t size);

/* Every allocation of vitals' own code goes through these (and cJSON's and
 * libcsv's, through their hooks: vt_install_alloc_hooks), so a test can
 * make any one of them fail, as SQLite's out-of-memory tests do.  They
 * return NULL on failure; the caller reports VT_ENOMEM.  A size of 0 is
 * taken as 1, so NULL always means failure.  Free with free(). */
void *vt_malloc(size_t size);
void *vt_realloc(void *memory, size_t size);
void *vt_calloc(size_t count, size_t size);
char *vt_strdup(const char *text);
char *vt_strndup(const char *text, size_t len);

/* qsort's comparator for doubles, ascending (no NaN among them). */
int vt_compare_doubles(const void *a, const void *b);

/* Tests only: make allocation number n from now fail (1 = the next one),
 * once; 0 turns failures off.  Also restarts vt_alloc_count. */
void vt_alloc_fail_at(unsigned long n);
/* Allocations since the last vt_alloc_fail_at. */
unsigned long vt_alloc_count(void);
/* Allocations through these that have failed since the process began.
 * Code that builds with an API that drops a failed item silently (cJSON's
 * Add* functions) compares the count before and after. */
unsigned long vt_alloc_failures(void);
/* Route cJSON's allocations through vt_malloc (process-wide; call once
 * before any JSON is read or written). */
void vt_install_alloc_hooks(void);

#endif
