#include "args.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"

static int wants_help(int argc, char **argv);
static size_t count_specs(const arg_spec *specs);
static const arg_spec *find_option(const arg_spec *options, const char *arg, size_t len);
static vt_status take_option(const char *command, const arg_spec *options, int argc, char **argv, int *index,
                             void *out, vt_err *err);
static vt_status take_positional(const char *command, const arg_spec *positionals, size_t index, const char *arg,
                                 const char **stdin_taker, void *out, vt_err *err);
static vt_status check_complete(const char *command, const arg_spec *options, const arg_spec *positionals,
                                size_t n_given, const void *out, vt_err *err);
static vt_status store(const arg_spec *spec, const char *value, void *out, vt_err *err);
static vt_status store_long(const arg_spec *spec, const char *text, void *field, vt_err *err);
static vt_status store_double(const arg_spec *spec, const char *text, void *field, vt_err *err);
static vt_status store_choice(const arg_spec *spec, const char *text, void *field, vt_err *err);
static vt_status append_list(const arg_spec *spec, const char *text, void *out, vt_err *err);
static void put_whole(void *field, size_t size, long value);
static int parse_long(const char *text, long *out);
static int parse_double(const char *text, double *out);
static vt_status reject(const arg_spec *spec, const char *text, vt_err *err);
static void describe(const arg_spec *spec, char *what, size_t size);
static void append_word(char *buf, size_t size, size_t i, size_t n, const char *conjunction, const char *word);

args_result args_parse(int argc, char **argv, const arg_spec *options, const arg_spec *positionals, void *out,
                       vt_err *err)
{
    assert(argc >= 1);
    if (wants_help(argc, argv))
        return ARGS_HELP;
    const char *command = argv[0];
    const char *stdin_taker = NULL; /* the positional that is "-" */
    size_t n_given = 0;
    int options_done = 0;
    vt_status status = VT_OK;
    for (int i = 1; i < argc && status == VT_OK; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp(arg, "--") == 0)
            options_done = 1;
        else if (options_done || arg[0] != '-' || arg[1] == '\0')
            status = take_positional(command, positionals, n_given++, arg, &stdin_taker, out, err);
        else
            status = take_option(command, options, argc, argv, &i, out, err);
    }
    if (status == VT_OK)
        status = check_complete(command, options, positionals, n_given, out, err);
    if (status == VT_OK)
        return ARGS_RUN;
    args_free(options, out);
    return ARGS_FAIL;
}

vt_status args_stop(args_result parsed, const char *help, const vt_err *err)
{
    assert(parsed != ARGS_RUN);
    if (parsed == ARGS_FAIL)
        return err->code;
    fputs(help, stdout);
    return VT_OK;
}

void args_free(const arg_spec *options, void *out)
{
    for (const arg_spec *spec = options; spec && spec->name; spec++) {
        if (spec->kind != ARG_LIST)
            continue;
        char ***list = (char ***)((char *)out + spec->offset);
        size_t *n = (size_t *)((char *)out + spec->count);
        for (size_t i = 0; i < *n; i++)
            free((*list)[i]);
        free(*list);
        *list = NULL;
        *n = 0;
    }
}

vt_status args_double(const char *name, const char *text, double *out, vt_err *err)
{
    if (parse_double(text, out) != 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not a number", name, text);
    return VT_OK;
}

/* Help wins wherever it stands before "--", even after a bad option, so
 * "vitals train x --threads 0 --help" still shows how to call train. */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

static size_t count_specs(const arg_spec *specs)
{
    size_t n = 0;
    while (specs && specs[n].name)
        n++;
    return n;
}

static const arg_spec *find_option(const arg_spec *options, const char *arg, size_t len)
{
    for (const arg_spec *spec = options; spec && spec->name; spec++) {
        if (strlen(spec->name) == len && strncmp(spec->name, arg, len) == 0)
            return spec;
        if (spec->alias && strlen(spec->alias) == len && strncmp(spec->alias, arg, len) == 0)
            return spec;
    }
    return NULL;
}

/* argv[*index] is an option: "--opt=VALUE" (long names only), or
 * "--opt VALUE" / "-o VALUE", which advances *index past the value. */
static vt_status take_option(const char *command, const arg_spec *options, int argc, char **argv, int *index,
                             void *out, vt_err *err)
{
    const char *arg = argv[*index];
    const char *equals = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t len = equals ? (size_t)(equals - arg) : strlen(arg);
    const arg_spec *spec = find_option(options, arg, len);
    if (spec == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: unknown option '%.*s' (see vitals %s --help)", command,
                          (int)len, arg, command);
    if (spec->kind == ARG_FLAG && equals)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "option %s takes no value", spec->name);
    if (spec->kind == ARG_FLAG)
        return store(spec, NULL, out, err);
    if (equals)
        return store(spec, equals + 1, out, err);
    if (*index + 1 >= argc)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "option %s needs a value", arg);
    *index += 1;
    return store(spec, argv[*index], out, err);
}

/* Standard input can be read once: one positional at most may be "-". */
static vt_status take_positional(const char *command, const arg_spec *positionals, size_t index, const char *arg,
                                 const char **stdin_taker, void *out, vt_err *err)
{
    if (index >= count_specs(positionals))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: unexpected argument '%s' (see vitals %s --help)", command,
                          arg, command);
    if (strcmp(arg, "-") == 0 && *stdin_taker)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: %s and %s cannot both be standard input", command,
                          *stdin_taker, positionals[index].name);
    if (strcmp(arg, "-") == 0)
        *stdin_taker = positionals[index].name;
    return store(&positionals[index], arg, out, err);
}

static vt_status check_complete(const char *command, const arg_spec *options, const arg_spec *positionals,
                                size_t n_given, const void *out, vt_err *err)
{
    size_t n_slots = count_specs(positionals);
    if (n_given < n_slots) {
        char names[256] = "";
        for (size_t i = 0; i < n_slots; i++)
            append_word(names, sizeof names, i, n_slots, " and ", positionals[i].name);
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: needs %s (see vitals %s --help)", command, names, command);
    }
    for (const arg_spec *spec = options; spec && spec->name; spec++) {
        assert(!spec->required || spec->kind == ARG_STRING);
        if (spec->required && *(const char *const *)((const char *)out + spec->offset) == NULL)
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: %s is required (see vitals %s --help)", command,
                              spec->alias ? spec->alias : spec->name, command);
    }
    return VT_OK;
}

static vt_status store(const arg_spec *spec, const char *value, void *out, vt_err *err)
{
    void *field = (char *)out + spec->offset;
    char delimiter;
    switch (spec->kind) {
    case ARG_FLAG:
        put_whole(field, spec->size, 1);
        return VT_OK;
    case ARG_STRING:
        assert(spec->size == sizeof value);
        memcpy(field, &value, sizeof value);
        return VT_OK;
    case ARG_LONG:
        return store_long(spec, value, field, err);
    case ARG_DOUBLE:
    case ARG_POSITIVE:
    case ARG_SHARE:
        return store_double(spec, value, field, err);
    case ARG_CHOICE:
        return store_choice(spec, value, field, err);
    case ARG_DELIMITER:
        assert(spec->size == 1);
        if ((delimiter = csv_parse_delimiter(value)) == 0)
            return reject(spec, value, err);
        memcpy(field, &delimiter, 1);
        return VT_OK;
    case ARG_LIST:
        return append_list(spec, value, out, err);
    case ARG_CUSTOM:
        return spec->parse(out, spec->name, value, err);
    }
    assert(!"unknown arg_kind");
    return VT_OK;
}

static vt_status store_long(const arg_spec *spec, const char *text, void *field, vt_err *err)
{
    long value = 0;
    if (parse_long(text, &value) != 0 || value < spec->min || value > spec->max)
        return reject(spec, text, err);
    assert(spec->size != sizeof(int) || (spec->min >= INT_MIN && spec->max <= INT_MAX));
    put_whole(field, spec->size, value);
    return VT_OK;
}

static vt_status store_double(const arg_spec *spec, const char *text, void *field, vt_err *err)
{
    double value = 0;
    int ok = parse_double(text, &value) == 0;
    if (spec->kind == ARG_POSITIVE)
        ok = ok && value > 0;
    else if (spec->kind == ARG_SHARE)
        ok = ok && value > 0 && value < 1;
    else if (spec->min < spec->max)
        ok = ok && value >= (double)spec->min && value <= (double)spec->max;
    if (!ok)
        return reject(spec, text, err);
    assert(spec->size == sizeof value);
    memcpy(field, &value, sizeof value);
    return VT_OK;
}

static vt_status store_choice(const arg_spec *spec, const char *text, void *field, vt_err *err)
{
    for (long i = 0; spec->choices[i]; i++) {
        if (strcmp(spec->choices[i], text) == 0) {
            put_whole(field, spec->size, i);
            return VT_OK;
        }
    }
    return reject(spec, text, err);
}

/* Split "a,b,c" onto the end of the list, keeping it NULL-terminated. */
static vt_status append_list(const arg_spec *spec, const char *text, void *out, vt_err *err)
{
    char ***list = (char ***)((char *)out + spec->offset);
    size_t *n = (size_t *)((char *)out + spec->count);
    const char *start = text;
    for (;;) {
        const char *comma = strchr(start, ',');
        size_t len = comma ? (size_t)(comma - start) : strlen(start);
        char **grown = vt_realloc(*list, (*n + 2) * sizeof **list);
        if (grown == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        *list = grown;
        if ((grown[*n] = vt_strndup(start, len)) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        grown[++*n] = NULL;
        if (comma == NULL)
            return VT_OK;
        start = comma + 1;
    }
}

/* Whole numbers go into an int (flags, enums, counts) or a long-sized
 * field; a value in range has the same bytes as long, size_t or uint64_t. */
static void put_whole(void *field, size_t size, long value)
{
    if (size == sizeof(int)) {
        int narrow = (int)value;
        memcpy(field, &narrow, sizeof narrow);
    } else {
        assert(size == sizeof value);
        memcpy(field, &value, sizeof value);
    }
}

static int parse_long(const char *text, long *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtol(text, &end, 10);
    return errno || end == text || *end != '\0' ? -1 : 0;
}

static int parse_double(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    return errno || end == text || *end != '\0' || !isfinite(*out) ? -1 : 0;
}

static vt_status reject(const arg_spec *spec, const char *text, vt_err *err)
{
    char what[256];
    describe(spec, what, sizeof what);
    return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not %s", spec->name, text, what);
}

/* What a good value is, in words, for "NAME: 'VALUE' is not ...". */
static void describe(const arg_spec *spec, char *what, size_t size)
{
    what[0] = '\0';
    if (spec->what)
        snprintf(what, size, "%s", spec->what);
    else if (spec->kind == ARG_LONG || (spec->kind == ARG_DOUBLE && spec->min < spec->max))
        snprintf(what, size, "a %s from %ld to %ld", spec->kind == ARG_LONG ? "whole number" : "number", spec->min,
                 spec->max);
    else if (spec->kind == ARG_DOUBLE)
        snprintf(what, size, "a number");
    else if (spec->kind == ARG_POSITIVE)
        snprintf(what, size, "a positive number");
    else if (spec->kind == ARG_SHARE)
        snprintf(what, size, "a share in (0, 1)");
    else if (spec->kind == ARG_DELIMITER)
        snprintf(what, size, ", ; tab or |");
    else if (spec->kind == ARG_CHOICE) {
        size_t n = 0;
        while (spec->choices[n])
            n++;
        for (size_t i = 0; i < n; i++)
            append_word(what, size, i, n, " or ", spec->choices[i]);
    }
}

/* Word i of n of a list in prose: "a, b and c" (conjunction " and "). */
static void append_word(char *buf, size_t size, size_t i, size_t n, const char *conjunction, const char *word)
{
    size_t used = strlen(buf);
    if (used + 1 < size)
        snprintf(buf + used, size - used, "%s%s", i == 0 ? "" : i + 1 == n ? conjunction : ", ", word);
}
