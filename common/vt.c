#include "vt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

const char *vt_strerror(vt_status code)
{
    switch (code) {
    case VT_OK: return "success";
    case VT_EIO: return "input/output error";
    case VT_EPARSE: return "parse error";
    case VT_EDATA: return "unusable data";
    case VT_EUSAGE: return "usage error";
    case VT_ENOMEM: return "out of memory";
    case VT_ENUMERIC: return "numerical failure";
    case VT_EBADLEN: return "dimension mismatch";
    case VT_EFORMAT: return "unsupported format";
    }
    return "unknown error";
}

vt_status vt_err_set(vt_err *err, vt_status code, const char *path, long line,
                     long col, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    err->n_more = 0;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    err->line = line;
    err->col = col;
    va_list args;
    va_start(args, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, args);
    va_end(args);
    return code;
}

void vt_err_more(vt_err *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    if (err->n_more < VT_ERR_MORE) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(err->more[err->n_more], sizeof err->more[0], fmt, args);
        va_end(args);
    }
    err->n_more++;
}

void vt_err_locate(vt_err *err, const char *path)
{
    if (err != NULL && path != NULL && err->path[0] == '\0')
        snprintf(err->path, sizeof err->path, "%s", path);
}

void vt_err_default(vt_err *err, vt_status status)
{
    if (status != VT_OK && err->msg[0] == '\0')
        vt_err_set(err, status, err->path[0] ? err->path : NULL, err->line, err->col, "%s", vt_strerror(status));
}

void vt_err_format(const vt_err *err, char *buf, size_t size)
{
    if (err->path[0] && err->line > 0 && err->col > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->path, err->line, err->col, err->msg);
    else if (err->path[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->path, err->line, err->msg);
    else if (err->path[0])
        snprintf(buf, size, "%s: %s", err->path, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
}

/* Bytes in the valid UTF-8 character at text (1..4), or 0 if it is not one
 * (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF). */
static size_t utf8_char(const unsigned char *text, size_t len)
{
    unsigned char c = text[0];
    size_t n;
    unsigned char low = 0x80, high = 0xBF; /* allowed range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        low = c == 0xE0 ? 0xA0 : 0x80;
        high = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        low = c == 0xF0 ? 0x90 : 0x80;
        high = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (len < n || text[1] < low || text[1] > high)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (text[i] < 0x80 || text[i] > 0xBF)
            return 0;
    return n;
}

/* The shown form of the character at text (n bytes, 0 if invalid) into piece. */
static size_t quote_char(const unsigned char *text, size_t n, char *piece)
{
    unsigned char c = text[0];
    if (c == '\n' || c == '\r' || c == '\t') {
        piece[0] = '\\';
        piece[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        return 2;
    }
    int c1 = n == 2 && c == 0xC2 && text[1] < 0xA0; /* U+0080..U+009F: C1 controls (0x9B is CSI) */
    if (n == 0 || c < 0x20 || c == 0x7F || c1) {
        size_t bytes = c1 ? 2 : 1, used = 0;
        for (size_t i = 0; i < bytes; i++)
            used += (size_t)snprintf(piece + used, 5, "\\x%02X", text[i]);
        return used;
    }
    memcpy(piece, text, n);
    return n;
}

long vt_utf8_invalid_at(const char *text, size_t len)
{
    const unsigned char *bytes = (const unsigned char *)text;
    for (size_t at = 0; at < len;) {
        size_t n = utf8_char(bytes + at, len - at);
        if (n == 0)
            return (long)at;
        at += n;
    }
    return -1;
}

const char *vt_quote(char *buf, size_t size, const char *text, size_t len)
{
    const unsigned char *bytes = (const unsigned char *)text;
    size_t used = 0, at = 0;
    if (size == 0)
        return buf;
    while (at < len) {
        size_t n = utf8_char(bytes + at, len - at);
        char piece[12];
        size_t piece_len = quote_char(bytes + at, n, piece);
        size_t step = n ? n : 1;
        int last = at + step == len;
        /* Room for the piece, and for "..." unless nothing follows it. */
        if (at >= VT_QUOTE_BYTES || used + piece_len + (last ? 0 : 3) + 1 > size) {
            if (used + 4 <= size) {
                memcpy(buf + used, "...", 3);
                used += 3;
            }
            break;
        }
        memcpy(buf + used, piece, piece_len);
        used += piece_len;
        at += step;
    }
    buf[used] = '\0';
    return buf;
}

/* The fault injector: allocation number fail_at (counted from 1 since it
 * was set) fails; 0 means none does.  Atomic: scoring threads allocate. */
static unsigned long alloc_count, alloc_fail_at, alloc_failures;

/* Count a failed allocation (injected or real) and pass the result on. */
static void *counted(void *memory)
{
    if (memory == NULL)
        __atomic_add_fetch(&alloc_failures, 1, __ATOMIC_RELAXED);
    return memory;
}

unsigned long vt_alloc_failures(void)
{
    return __atomic_load_n(&alloc_failures, __ATOMIC_RELAXED);
}

static int alloc_fails(void)
{
    unsigned long fail_at = __atomic_load_n(&alloc_fail_at, __ATOMIC_RELAXED);
    unsigned long n = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
    return fail_at != 0 && n == fail_at;
}

void vt_alloc_fail_at(unsigned long n)
{
    __atomic_store_n(&alloc_fail_at, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&alloc_count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&alloc_fail_at, n, __ATOMIC_RELAXED);
}

unsigned long vt_alloc_count(void)
{
    return __atomic_load_n(&alloc_count, __ATOMIC_RELAXED);
}

void *vt_malloc(size_t size)
{
    return counted(alloc_fails() ? NULL : malloc(size ? size : 1));
}

void *vt_realloc(void *memory, size_t size)
{
    return counted(alloc_fails() ? NULL : realloc(memory, size ? size : 1));
}

void *vt_calloc(size_t count, size_t size)
{
    return counted(alloc_fails() ? NULL : calloc(count ? count : 1, size ? size : 1));
}

int vt_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

char *vt_strndup(const char *text, size_t len)
{
    char *copy = vt_malloc(len + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}

char *vt_strdup(const char *text)
{
    return vt_strndup(text, strlen(text));
}

void vt_install_alloc_hooks(void)
{
    cJSON_Hooks hooks = {vt_malloc, free};
    cJSON_InitHooks(&hooks);
}
