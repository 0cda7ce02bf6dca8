/* args: the small pieces every subcommand's option parser shares.
 * None of them print; they fill a vt_err for main to report. */
#ifndef ARGS_H
#define ARGS_H

#include <stddef.h>

#include "vt.h"

/* Is opt a request for help (--help or -h)? */
int args_is_help(const char *opt);

/* A positional argument is anything not starting with '-', and "-" itself
 * (standard input).  If opt is one, store it in paths (at most max) and
 * return 1; return 0 for an option; -1 (err filled) when there are too many. */
int args_positional(const char *opt, const char **paths, size_t max, size_t *n, vt_err *err);

/* The value of option argv[*index] (as "--opt VALUE"); advances *index.
 * Returns NULL (and fills err) when the value is absent. */
const char *args_value(int argc, char **argv, int *index, vt_err *err);

/* Strict numbers for option values. */
vt_status args_long(const char *option, const char *text, long min, long max, long *out, vt_err *err);
vt_status args_double(const char *option, const char *text, double *out, vt_err *err);

/* A confidence level strictly between 0 and 1 (--confidence). */
vt_status args_confidence(const char *text, double *out, vt_err *err);

/* Split "a,b,c" into a NULL-terminated list appended to *list (n updated).
 * The list owns copies; free with args_list_free. */
vt_status args_split(const char *text, char ***list, size_t *n, vt_err *err);
void args_list_free(char **list, size_t n);

#endif
