#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt.h"

int vt_grow(void **items, size_t *cap, size_t need, size_t item_size)
{
    if (need <= *cap)
        return 0;
    size_t grown = *cap ? *cap : 16;
    while (grown < need) {
        if (grown > SIZE_MAX / 2)
            return -1;
        grown *= 2;
    }
    if (item_size && grown > SIZE_MAX / item_size)
        return -1;
    void *memory = vt_realloc(*items, grown * item_size);
    if (memory == NULL)
        return -1;
    *items = memory;
    *cap = grown;
    return 0;
}

int vt_grow_columns(void **const *columns, const size_t *item_sizes, size_t n_columns, size_t *cap, size_t need)
{
    size_t grown = *cap;
    for (size_t c = 0; c < n_columns; c++) {
        grown = *cap;
        if (vt_grow(columns[c], &grown, need, item_sizes[c]) != 0)
            return -1;
    }
    *cap = grown;
    return 0;
}

int buf_grow(buf *b, size_t more)
{
    if (more > SIZE_MAX - b->len)
        return -1;
    void *data = b->data;
    int status = vt_grow(&data, &b->cap, b->len + more, 1);
    b->data = data;
    return status;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int csv_field_needs_quotes(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] == ',' || text[i] == '"' || text[i] == '\n' || text[i] == '\r')
            return 1;
    return 0;
}

void buf_put_csv(buf *b, const char *text, size_t len)
{
    if (!csv_field_needs_quotes(text, len)) {
        buf_put(b, text, len);
        return;
    }
    buf_put_char(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            buf_put_char(b, '"');
        buf_put_char(b, text[i]);
    }
    buf_put_char(b, '"');
}

void buf_put_json(buf *b, const char *text, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_put_char(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\') {
            buf_put_char(b, '\\');
            buf_put_char(b, (char)c);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            buf_put_char(b, '\\');
            buf_put_char(b, c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        } else if (c < 0x20) {
            buf_put(b, "\\u00", 4);
            buf_put_char(b, hex[c >> 4]);
            buf_put_char(b, hex[c & 15]);
        } else {
            buf_put_char(b, (char)c);
        }
    }
    buf_put_char(b, '"');
}

void csv_write_prefixed(FILE *out, const char *prefix, const char *text)
{
    int quoted = csv_field_needs_quotes(prefix, strlen(prefix)) || csv_field_needs_quotes(text, strlen(text));
    if (quoted)
        fputc('"', out);
    for (const char *part[2] = {prefix, text}, **p = part; p < part + 2; p++)
        for (const char *c = *p; *c; c++) {
            if (*c == '"' && quoted)
                fputc('"', out);
            fputc(*c, out);
        }
    if (quoted)
        fputc('"', out);
}

void csv_write_field(FILE *out, const char *text)
{
    csv_write_prefixed(out, "", text);
}

void text_put(text *t, const char *bytes, size_t len)
{
    if (t->failed)
        return;
    if (t->cap - t->len <= len) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap - t->len <= len)
            cap *= 2;
        char *grown = vt_realloc(t->data, cap);
        if (grown == NULL) {
            t->failed = 1;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, bytes, len);
    t->len += len;
    t->data[t->len] = '\0';
}

void text_puts(text *t, const char *s) { text_put(t, s, strlen(s)); }

void text_printf(text *t, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    text_vprintf(t, fmt, args);
    va_end(args);
}

void text_vprintf(text *t, const char *fmt, va_list args)
{
    char small[256];
    va_list again;
    va_copy(again, args);
    int n = vsnprintf(small, sizeof small, fmt, args);
    if (n < 0) {
        va_end(again);
        t->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        va_end(again);
        text_put(t, small, (size_t)n);
        return;
    }
    char *large = vt_malloc((size_t)n + 1);
    if (large == NULL) {
        va_end(again);
        t->failed = 1;
        return;
    }
    vsnprintf(large, (size_t)n + 1, fmt, again);
    va_end(again);
    text_put(t, large, (size_t)n);
    free(large);
}

char *text_finish(text *t)
{
    if (t->failed || t->data == NULL) {
        free(t->data);
        /* an empty text that never grew is still a string */
        char *empty = t->failed ? NULL : vt_calloc(1, 1);
        *t = (text){0};
        return empty;
    }
    char *done = t->data;
    *t = (text){0};
    return done;
}

void text_free(text *t)
{
    free(t->data);
    *t = (text){0};
}
