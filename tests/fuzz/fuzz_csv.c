/* fuzz_csv: the CSV reader's paths must agree on every input.
 *
 * The same bytes are read three ways, as the commands read them:
 *   file   csv_reader_open on the whole file: always libcsv;
 *   memory csv_reader_open_memory on the bytes (a leading BOM removed, as
 *          only a file's reader drops one): the memchr fast path when the
 *          bytes hold no quote, NUL or lone CR, else libcsv;
 *   split  csv_splitter with a small block size (1..48 bytes, from the
 *          input's hash), the header block and then each data block parsed
 *          by a memory reader, as table_read and the predict stream do.
 * On input that all three accept they must give the same header, rows,
 * fields and line numbers; if one refuses the input, all must, and the rows
 * they gave before must agree.  Which error comes first may differ (the file
 * reader parses a whole 1 MiB chunk before handing out the header, so a NUL
 * byte can be reported before a bad header).  The delimiter is ',' or tab
 * (whose trimming differs), chosen by the input's hash like the block size:
 * the file reader's 1 MiB chunk makes each run costly under ASan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"
#include "csv_split.h"
#include "fuzz_util.h"

/* Records seen by one path, serialised so that two paths compare with
 * memcmp: the header (line 0) first, then each row. */
typedef struct {
    char *bytes;
    size_t len, cap;
    size_t *ends;       /* end offset of each record in bytes */
    size_t n_records, records_cap;
    vt_status status;
    vt_err err;
} trace;

static void trace_append(trace *t, const void *data, size_t len)
{
    if (t->len + len > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->len + len)
            cap *= 2;
        t->bytes = realloc(t->bytes, cap);
        fuzz_check(t->bytes != NULL, "out of memory");
        t->cap = cap;
    }
    memcpy(t->bytes + t->len, data, len);
    t->len += len;
}

static void trace_end_record(trace *t)
{
    if (t->n_records == t->records_cap) {
        t->records_cap = t->records_cap ? t->records_cap * 2 : 64;
        t->ends = realloc(t->ends, t->records_cap * sizeof *t->ends);
        fuzz_check(t->ends != NULL, "out of memory");
    }
    t->ends[t->n_records++] = t->len;
}

static void trace_field(trace *t, const char *text, size_t len)
{
    trace_append(t, &len, sizeof len);
    trace_append(t, text, len);
}

static void trace_header(trace *t, const csv_reader *reader)
{
    long line = 0;
    size_t n = csv_reader_n_columns(reader);
    trace_append(t, &line, sizeof line);
    trace_append(t, &n, sizeof n);
    for (size_t i = 0; i < n; i++)
        trace_field(t, csv_reader_column(reader, i), strlen(csv_reader_column(reader, i)));
    trace_end_record(t);
}

/* Every row of reader into t; row invariants checked on the way. */
static vt_status trace_rows(trace *t, csv_reader *reader, size_t n_columns)
{
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(reader, &row, &t->err);
        if (status != VT_OK || row == NULL)
            return status;
        fuzz_check(row->n_fields == n_columns, "row of %zu fields passed, header has %zu", row->n_fields,
                   n_columns);
        fuzz_check(row->line >= 1, "row on line %ld", row->line);
        trace_append(t, &row->line, sizeof row->line);
        trace_append(t, &row->n_fields, sizeof row->n_fields);
        for (size_t i = 0; i < row->n_fields; i++) {
            fuzz_check(row->fields[i][row->lengths[i]] == '\0', "field %zu not NUL-terminated", i);
            trace_field(t, row->fields[i], row->lengths[i]);
        }
        trace_end_record(t);
    }
}

static void read_file(const char *path, char delimiter, trace *t)
{
    csv_reader *reader = NULL;
    t->status = csv_reader_open(path, delimiter, &reader, &t->err);
    if (t->status != VT_OK)
        return;
    trace_header(t, reader);
    t->status = trace_rows(t, reader, csv_reader_n_columns(reader));
    csv_reader_free(reader);
}

static void read_memory(const uint8_t *data, size_t size, char delimiter, trace *t)
{
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        size -= 3;
    }
    csv_reader *reader = NULL;
    t->status = csv_reader_open_memory((const char *)data, size, delimiter, "memory", 1, 0, &reader, &t->err);
    if (t->status != VT_OK)
        return;
    trace_header(t, reader);
    t->status = trace_rows(t, reader, csv_reader_n_columns(reader));
    csv_reader_free(reader);
}

/* As table_read: the header block, then every data block. */
static vt_status read_split_blocks(csv_splitter *splitter, csv_block *block, char delimiter, trace *t,
                                   csv_reader **names, csv_reader **rows)
{
    vt_status status = csv_splitter_next(splitter, block, 1, &t->err);
    if (status != VT_OK)
        return status;
    if (block->len == 0)
        return vt_err_set(&t->err, VT_EDATA, "split", 0, 0, "empty file: a header row is required");
    if ((status = csv_reader_open_memory(block->bytes, block->len, delimiter, "split", 1, 0, names, &t->err)) !=
        VT_OK)
        return status;
    trace_header(t, *names);
    size_t n_columns = csv_reader_n_columns(*names);
    if ((status = csv_reader_open_memory("", 0, delimiter, "split", 1, n_columns, rows, &t->err)) != VT_OK)
        return status;
    for (;;) {
        if ((status = csv_splitter_next(splitter, block, 0, &t->err)) != VT_OK || block->len == 0)
            return status;
        csv_reader_rewind_memory(*rows, block->bytes, block->len, block->first_line);
        if ((status = trace_rows(t, *rows, n_columns)) != VT_OK)
            return status;
    }
}

static void read_split(const char *path, size_t block_bytes, char delimiter, trace *t)
{
    csv_splitter *splitter = NULL;
    t->status = csv_splitter_open(path, NULL, block_bytes, 0, &splitter, &t->err);
    if (t->status != VT_OK)
        return;
    csv_block block = {0};
    csv_reader *names = NULL, *rows = NULL;
    t->status = read_split_blocks(splitter, &block, delimiter, t, &names, &rows);
    csv_reader_free(names);
    csv_reader_free(rows);
    csv_block_free(&block);
    csv_splitter_free(splitter);
}

static void trace_dump(const char *name, const trace *t)
{
    fprintf(stderr, "--- %s: status %d (%s:%ld:%ld: %s), %zu records\n", name, (int)t->status, t->err.path,
            t->err.line, t->err.col, t->status == VT_OK ? "" : t->err.msg, t->n_records);
    size_t at = 0;
    for (size_t r = 0; r < t->n_records; r++) {
        long line;
        size_t n;
        memcpy(&line, t->bytes + at, sizeof line);
        memcpy(&n, t->bytes + at + sizeof line, sizeof n);
        at += sizeof line + sizeof n;
        fprintf(stderr, "  line %ld:", line);
        for (size_t i = 0; i < n; i++) {
            size_t len;
            memcpy(&len, t->bytes + at, sizeof len);
            at += sizeof len;
            fputs(" [", stderr);
            for (size_t k = 0; k < len; k++) {
                unsigned char c = (unsigned char)t->bytes[at + k];
                fprintf(stderr, c >= 0x20 && c < 0x7f && c != '\\' ? "%c" : "\\x%02x", c);
            }
            fputc(']', stderr);
            at += len;
        }
        fputc('\n', stderr);
    }
}

/* Same outcome, and the same records as far as both went. */
static void compare(const char *name_a, const trace *a, const char *name_b, const trace *b, char delimiter)
{
    size_t common = a->n_records < b->n_records ? a->n_records : b->n_records;
    size_t common_bytes = common ? a->ends[common - 1] : 0;
    int same = (a->status == VT_OK) == (b->status == VT_OK) &&
               (common == 0 || b->ends[common - 1] == common_bytes) &&
               (common_bytes == 0 || memcmp(a->bytes, b->bytes, common_bytes) == 0) &&
               (a->status != VT_OK || a->n_records == b->n_records);
    if (same)
        return;
    fprintf(stderr, "CSV paths disagree (delimiter 0x%02x):\n", (unsigned char)delimiter);
    trace_dump(name_a, a);
    trace_dump(name_b, b);
    abort();
}

static void trace_free(trace *t)
{
    free(t->bytes);
    free(t->ends);
}

static uint32_t hash_of(const uint8_t *data, size_t size)
{
    uint32_t hash = 2166136261u;
    for (size_t i = 0; i < size; i++)
        hash = (hash ^ data[i]) * 16777619u;
    return hash;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_path(data, size);
    uint32_t hash = hash_of(data, size);
    size_t block_bytes = 1 + hash % 48;
    char delimiter = hash & 0x100 ? '\t' : ',';
    trace file = {0}, memory = {0}, split = {0};
    read_file(path, delimiter, &file);
    read_memory(data, size, delimiter, &memory);
    read_split(path, block_bytes, delimiter, &split);
    compare("file", &file, "memory", &memory, delimiter);
    compare("file", &file, "split", &split, delimiter);
    trace_free(&file);
    trace_free(&memory);
    trace_free(&split);
    return 0;
}
