#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *args_value(int argc, char **argv, int *index, vt_err *err)
{
    if (*index + 1 >= argc) {
        vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "option %s needs a value", argv[*index]);
        return NULL;
    }
    *index += 1;
    return argv[*index];
}

vt_status args_long(const char *option, const char *text, long min, long max, long *out, vt_err *err)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || value < min || value > max)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not a whole number from %ld to %ld",
                          option, text, min, max);
    *out = value;
    return VT_OK;
}

vt_status args_double(const char *option, const char *text, double *out, vt_err *err)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !isfinite(value))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not a number", option, text);
    *out = value;
    return VT_OK;
}

vt_status args_split(const char *text, char ***list, size_t *n, vt_err *err)
{
    const char *start = text;
    for (;;) {
        const char *comma = strchr(start, ',');
        size_t len = comma ? (size_t)(comma - start) : strlen(start);
        char **grown = realloc(*list, (*n + 2) * sizeof **list);
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

void args_list_free(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

vt_status args_confidence(const char *text, double *out, vt_err *err)
{
    vt_status status = args_double("--confidence", text, out, err);
    if (status == VT_OK && !(*out > 0 && *out < 1))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--confidence: '%s' is not a level between 0 and 1", text);
    return status;
}

int args_is_help(const char *opt)
{
    return strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0;
}

int args_positional(const char *opt, const char **paths, size_t max, size_t *n, vt_err *err)
{
    if (opt[0] == '-' && strcmp(opt, "-") != 0)
        return 0;
    if (*n == max) {
        vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "unexpected argument '%s'", opt);
        return -1;
    }
    paths[(*n)++] = opt;
    return 1;
}
