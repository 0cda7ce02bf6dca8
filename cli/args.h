/* args: the one option parser every subcommand uses.
 *
 * A command describes its options and its positional arguments in two
 * static tables of arg_spec, each entry naming a field of the command's own
 * options struct (ARG_AT), and calls args_parse once.  The parser handles
 * --help/-h, "--opt VALUE" and "--opt=VALUE", "-" as a positional (standard
 * input), "--" ending the options, unknown options, missing values, the
 * number of positionals, strict numbers with their ranges, choices and
 * comma lists, and options marked required.  Checks that relate several
 * options stay in the command, after args_parse.
 *
 * Errors go into the caller's vt_err (one sentence, VT_EUSAGE, or
 * VT_ENOMEM) for main to print; the only output is the help text a command
 * hands to args_stop.  The parser keeps no state between calls. */
#ifndef ARGS_H
#define ARGS_H

#include <stddef.h>

#include "vt.h"

typedef enum {
    ARG_FLAG,      /* no value: sets an int to 1 */
    ARG_STRING,    /* const char *: the argument itself, not copied */
    ARG_LONG,      /* a whole number in [min, max]: into an int, or a long-sized
                      integer (long, size_t, uint64_t; unsigned only when min >= 0) */
    ARG_DOUBLE,    /* a finite double; in [min, max] when min < max */
    ARG_POSITIVE,  /* a finite double > 0 */
    ARG_SHARE,     /* a double strictly between 0 and 1 */
    ARG_CHOICE,    /* one of choices: its index, into an int or an enum */
    ARG_DELIMITER, /* , ; tab or |: a char */
    ARG_LIST,      /* "a,b,c" split at commas and appended, repeatable: a char **
                      (NULL-terminated, owned: args_free) and its size_t count */
    ARG_CUSTOM     /* parse(options, name, value, err) writes what it needs */
} arg_kind;

/* A value syntax of one command's own; may set several fields of options. */
typedef vt_status (*arg_parser)(void *options, const char *name, const char *value, vt_err *err);

typedef struct {
    const char *name;  /* "--threads"; a positional's placeholder, "DATA.csv" */
    const char *alias; /* "-o", or NULL */
    arg_kind kind;
    size_t offset, size;        /* the field, by ARG_AT (not for ARG_CUSTOM) */
    size_t count;               /* ARG_LIST: the count's offset, by ARG_LIST_AT */
    long min, max;              /* ARG_LONG, ARG_DOUBLE */
    const char *const *choices; /* ARG_CHOICE: NULL-terminated */
    const char *what;           /* says "NAME: 'VALUE' is not WHAT" instead of the kind's words */
    arg_parser parse;           /* ARG_CUSTOM */
    int required;               /* ARG_STRING options: the command cannot run without it */
} arg_spec;

#define ARG_AT(type, member) .offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define ARG_LIST_AT(type, items, n) ARG_AT(type, items), .count = offsetof(type, n)

typedef enum {
    ARGS_RUN,  /* parsed: run the command */
    ARGS_HELP, /* --help or -h: print the command's help, return VT_OK */
    ARGS_FAIL  /* err filled (its code is the status to return) */
} args_result;

/* Parse argv[1..argc-1] (argv[0] is the command's name, used in messages)
 * into out by the two tables, each ended by an entry whose name is NULL.
 * options: the options (each may be given again: the last wins, a list
 * appends).  positionals: in order; every one is required; "-" and
 * anything after "--" count as positionals, and at most one may be "-"
 * (standard input).  Fields not given keep what out held, so set defaults
 * first.  Strings point into argv.
 * On ARGS_FAIL the lists args_parse made are freed and cleared. */
args_result args_parse(int argc, char **argv, const arg_spec *options, const arg_spec *positionals, void *out,
                       vt_err *err);

/* What a command returns when args_parse did not say ARGS_RUN: VT_OK after
 * writing help to standard output (ARGS_HELP), else err's code. */
vt_status args_stop(args_result parsed, const char *help, const vt_err *err);

/* Free the ARG_LIST fields of out that options name, and clear them. */
void args_free(const arg_spec *options, void *out);

/* A strict finite number (the whole text), for ARG_CUSTOM parsers:
 * "NAME: 'TEXT' is not a number" otherwise. */
vt_status args_double(const char *name, const char *text, double *out, vt_err *err);

#endif
