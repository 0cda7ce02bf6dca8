/* buf: growable memory, the one way vitals grows an array or a text.
 *
 * vt_grow makes room for `need` items in an array that doubles as it
 * grows; buf is a byte buffer for building output text, with the CSV and
 * JSON escaping rules every writer shares.  Neither prints nor exits: a
 * failed allocation returns -1 and leaves the old memory as it was, still
 * owned by the caller. */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>

/* Ensure *items (of item_size bytes each, *cap allocated) holds at least
 * need items: doubles *cap (from 16) until it does.  0, or -1 if out of
 * memory or the size overflows. */
int vt_grow(void **items, size_t *cap, size_t need, size_t item_size);

/* The columns of one table, which share a length and one capacity: room
 * for need rows in each, *columns[c] holding item_sizes[c] bytes a row.
 * 0, or -1 if out of memory or the size overflows (*cap is then unchanged;
 * columns already grown stay valid). */
int vt_grow_columns(void **const *columns, const size_t *item_sizes, size_t n_columns, size_t *cap, size_t need);

typedef struct {
    char *data;
    size_t len, cap;
} buf;

/* Room for more bytes after len: 0, or -1 if out of memory.  Inline: it
 * runs once per output row, and there is almost always room. */
int buf_grow(buf *b, size_t more);
static inline int buf_reserve(buf *b, size_t more)
{
    return b->cap - b->len >= more ? 0 : buf_grow(b, more);
}
void buf_free(buf *b); /* releases data; the buf may be reused */

/* A text of unknown length (an SQL statement, a redacted URI): appends
 * grow it and keep it NUL-terminated; a failed allocation sets failed and
 * drops later appends, so the caller checks once, at the end. */
typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} text;
void text_put(text *t, const char *bytes, size_t len);
void text_puts(text *t, const char *s);
void text_printf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_vprintf(text *t, const char *fmt, va_list args) __attribute__((format(printf, 2, 0)));
/* The string, now the caller's; NULL (and t's memory released) if an
 * append failed. */
char *text_finish(text *t);
void text_free(text *t); /* the text; t may be reused */

/* Append without checking room: call buf_reserve first. */
static inline void buf_put(buf *b, const char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++)
        b->data[b->len + i] = bytes[i];
    b->len += len;
}
static inline void buf_put_char(buf *b, char c) { b->data[b->len++] = c; }

/* The one CSV quoting rule (RFC 4180, for ',' output): a field holding a
 * comma, a quote, CR or LF is quoted, with quotes doubled. */
int csv_field_needs_quotes(const char *text, size_t len);
/* Bytes a field can take once quoted: reserve this before buf_put_csv. */
#define BUF_CSV_BOUND(len) (2 * (len) + 2)
void buf_put_csv(buf *b, const char *text, size_t len);
/* A JSON string with the escapes RFC 8259 requires, quotes included. */
#define BUF_JSON_BOUND(len) (6 * (len) + 2)
void buf_put_json(buf *b, const char *text, size_t len);

/* The same CSV rule straight to a stream (headers, small outputs):
 * prefix and text written as one field. */
void csv_write_field(FILE *out, const char *text);
void csv_write_prefixed(FILE *out, const char *prefix, const char *text);

#endif
