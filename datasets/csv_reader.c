#include "csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dict.h"
#include "source.h"

#define CSV_CHUNK_BYTES (1u << 20)

/* Records parsed from one chunk, kept until the caller has pulled them all. */
typedef struct {
    char *chars;          /* field bytes, each NUL-terminated */
    size_t chars_used, chars_cap;
    size_t *field_start;  /* offsets into chars */
    size_t *field_len;
    size_t fields_used, fields_cap;
    size_t *record_first; /* first field of each record */
    size_t *record_count; /* fields in each record */
    long *record_line;
    size_t records_used, records_cap;
} record_batch;

struct csv_reader {
    char *path;
    source *input;        /* a file, standard input or a query's rows */
    const char *memory;   /* or bytes in memory (not owned) */
    size_t memory_len;
    struct csv_parser parser;
    int parser_ready;
    char delimiter;
    char *chunk;
    int at_eof;
    int bom_checked;
    uint64_t bytes, hash;

    record_batch batch;
    size_t next_record;   /* index into batch */
    size_t open_record_first; /* first field of the record being parsed */
    long line;            /* line the record being parsed starts on */
    long newlines_inside; /* newlines inside quoted fields of that record */
    int last_was_cr;      /* the last line end was a CR (cleared if no LF follows it) */
    int chunk_ended_cr;   /* the previous chunk's last byte was a CR */
    int nul_seen;
    long nul_line, nul_col;
    int nomem;
    /* A failure met while parsing ahead, returned once the records before
     * it are taken: the first error in the file is a bad record's or an
     * earlier bad cell's, whatever the chunk or block size. */
    vt_status pending;
    vt_err pending_err;

    dict *header;         /* column name -> its index: names are unique */
    size_t n_columns;
    const char **row_fields; /* views for the returned row */
    csv_row row;
};

/* Grow two parallel arrays of elem-sized items together (one capacity). */
static int grow_pair(void **first, void **second, size_t *cap, size_t need, size_t elem)
{
    size_t first_cap = *cap, second_cap = *cap;
    if (vt_grow(first, &first_cap, need, elem) != 0 || vt_grow(second, &second_cap, need, elem) != 0)
        return -1;
    *cap = first_cap;
    return 0;
}

/* Store a field, NUL-terminated, in space the caller has reserved. */
static void batch_push_field(record_batch *batch, const char *text, size_t len)
{
    memcpy(batch->chars + batch->chars_used, text, len);
    batch->chars[batch->chars_used + len] = '\0';
    batch->field_start[batch->fields_used] = batch->chars_used;
    batch->field_len[batch->fields_used] = len;
    batch->chars_used += len + 1;
    batch->fields_used++;
}

static void on_field(void *data, size_t len, void *user)
{
    csv_reader *reader = user;
    record_batch *batch = &reader->batch;
    if (reader->nomem)
        return;
    if (vt_grow((void **)&batch->chars, &batch->chars_cap, batch->chars_used + len + 1, 1) ||
        grow_pair((void **)&batch->field_start, (void **)&batch->field_len, &batch->fields_cap,
                  batch->fields_used + 1, sizeof(size_t))) {
        reader->nomem = 1;
        return;
    }
    const char *text = data ? data : "";
    /* One pass for the rare bytes: NUL (binary input) and line ends inside
     * a quoted field (they move the physical line count). */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c > '\r')
            continue;
        if (c == '\0' && !reader->nul_seen) {
            reader->nul_seen = 1;
            reader->nul_line = reader->line + reader->newlines_inside;
            reader->nul_col = (long)(batch->fields_used - reader->open_record_first) + 1;
        } else if (c == '\n' || (c == '\r' && (i + 1 == len || text[i + 1] != '\n'))) {
            reader->newlines_inside++;
        }
    }
    batch_push_field(batch, text, len);
}

static int push_record(csv_reader *reader, size_t first, size_t count)
{
    record_batch *batch = &reader->batch;
    size_t need = batch->records_used + 1, cap = batch->records_cap;
    if (grow_pair((void **)&batch->record_first, (void **)&batch->record_count, &cap, need, sizeof(size_t)))
        return -1;
    if (cap != batch->records_cap) {
        long *lines = vt_realloc(batch->record_line, cap * sizeof(long));
        if (lines == NULL)
            return -1;
        batch->record_line = lines;
        batch->records_cap = cap;
    }
    batch->record_first[batch->records_used] = first;
    batch->record_count[batch->records_used] = count;
    batch->record_line[batch->records_used] = reader->line;
    batch->records_used++;
    return 0;
}

/* libcsv reports every unquoted CR and LF (CSV_REPALL_NL); a CR LF pair is
 * one line end, and an empty record is a blank line. */
static void on_record(int terminator, void *user)
{
    csv_reader *reader = user;
    record_batch *batch = &reader->batch;
    size_t count = batch->fields_used - reader->open_record_first;
    int lf_after_cr = terminator == '\n' && reader->last_was_cr;
    reader->last_was_cr = terminator == '\r';
    if (count == 0) {
        if (!lf_after_cr && terminator != -1)
            reader->line++;
        return;
    }
    if (!reader->nomem && push_record(reader, reader->open_record_first, count))
        reader->nomem = 1;
    reader->open_record_first = batch->fields_used;
    reader->line += 1 + reader->newlines_inside;
    reader->newlines_inside = 0;
}

static void batch_reset(csv_reader *reader)
{
    record_batch *batch = &reader->batch;
    /* Keep the fields of a record still being parsed (it spans chunks). */
    size_t keep_first = reader->open_record_first;
    size_t keep_fields = batch->fields_used - keep_first;
    size_t keep_chars_from = keep_fields ? batch->field_start[keep_first] : batch->chars_used;
    size_t keep_chars = batch->chars_used - keep_chars_from;
    if (keep_chars > 0)
        memmove(batch->chars, batch->chars + keep_chars_from, keep_chars);
    for (size_t i = 0; i < keep_fields; i++) {
        batch->field_start[i] = batch->field_start[keep_first + i] - keep_chars_from;
        batch->field_len[i] = batch->field_len[keep_first + i];
    }
    batch->chars_used = keep_chars;
    batch->fields_used = keep_fields;
    batch->records_used = 0;
    reader->open_record_first = 0;
    reader->next_record = 0;
}

static void hash_bytes(csv_reader *reader, const unsigned char *bytes, size_t len)
{
    uint64_t hash = reader->hash;
    for (size_t i = 0; i < len; i++) {
        hash ^= bytes[i];
        hash *= UINT64_C(0x100000001b3);
    }
    reader->hash = hash;
    reader->bytes += len;
}

/* libcsv stopped inside the record being parsed: the bad field is the one
 * after its complete ones, on the line where that field starts. */
static vt_status parse_failure(csv_reader *reader, vt_err *err)
{
    if (reader->nomem)
        return vt_err_set(err, VT_ENOMEM, reader->path, reader->line, 0, "out of memory");
    long col = (long)(reader->batch.fields_used - reader->open_record_first) + 1;
    return vt_err_set(err, VT_EPARSE, reader->path, reader->line + reader->newlines_inside, col,
                      "malformed CSV: a quote inside an unquoted field, text after a "
                      "closing quote, or an unterminated quoted field");
}

/* A block without quotes, NULs or lone CRs needs no state machine: records
 * end at LF (an optional CR before it dropped), fields at the delimiter,
 * and spaces (and tabs, unless tab delimits) around a field are trimmed as
 * libcsv trims them.  Returns 0 when the block does not qualify. */
static int is_plain(const char *bytes, size_t len)
{
    if (memchr(bytes, '"', len) != NULL || memchr(bytes, '\0', len) != NULL)
        return 0;
    for (const char *p = bytes, *end = bytes + len; (p = memchr(p, '\r', (size_t)(end - p))) != NULL; p++)
        if (p + 1 == end || p[1] != '\n')
            return 0;
    return 1;
}

static int is_trimmed(const csv_reader *reader, char c)
{
    return c == ' ' || (c == '\t' && reader->delimiter != '\t');
}

/* The fields of one plain line, in place in the arena's copy of the block:
 * each ends where a NUL is written over its delimiter, line end or first
 * trailing blank, so no field is copied on its own. */
static int split_plain_line(csv_reader *reader, char *line, char *stop)
{
    record_batch *batch = &reader->batch;
    char delimiter = reader->delimiter;
    for (char *field = line;;) {
        char *p = field;
        while (p < stop && *p != delimiter)
            p++;
        char *a = field, *b = p;
        while (a < b && is_trimmed(reader, *a))
            a++;
        while (b > a && is_trimmed(reader, b[-1]))
            b--;
        if (batch->fields_used == batch->fields_cap &&
            grow_pair((void **)&batch->field_start, (void **)&batch->field_len, &batch->fields_cap,
                      batch->fields_used + 1, sizeof(size_t)))
            return -1;
        *b = '\0';
        batch->field_start[batch->fields_used] = (size_t)(a - batch->chars);
        batch->field_len[batch->fields_used] = (size_t)(b - a);
        batch->fields_used++;
        if (p == stop)
            return 0;
        field = p + 1;
    }
}

/* The block is copied into the arena once, then cut into fields there. */
static void parse_plain(csv_reader *reader, const char *bytes, size_t len)
{
    record_batch *batch = &reader->batch;
    if (vt_grow((void **)&batch->chars, &batch->chars_cap, batch->chars_used + len + 1, 1)) {
        reader->nomem = 1;
        return;
    }
    char *copy = batch->chars + batch->chars_used, *end = copy + len;
    memcpy(copy, bytes, len);
    *end = '\0';
    batch->chars_used += len + 1;
    for (char *line = copy; line < end && !reader->nomem;) {
        char *newline = memchr(line, '\n', (size_t)(end - line));
        char *stop = newline ? newline : end, *next = newline ? newline + 1 : end;
        if (stop > line && stop[-1] == '\r')
            stop--;
        const char *content = line;
        while (content < stop && is_trimmed(reader, *content))
            content++;
        if (content == stop) { /* a blank line, or only spaces: libcsv skips it */
            reader->line++;
            line = next;
            continue;
        }
        size_t first = batch->fields_used;
        if (split_plain_line(reader, line, stop) || push_record(reader, first, batch->fields_used - first))
            reader->nomem = 1;
        reader->open_record_first = batch->fields_used;
        reader->line++;
        line = next;
    }
}

/* libcsv reports both bytes of a CR LF pair as line ends, and trims the
 * spaces of a blank line silently, so on_record cannot tell "\r\n" (one
 * line end) from "\r \n" (two).  Feeding libcsv up to each CR and looking
 * at the byte after it tells: a CR not followed by an LF pairs with none. */
static int parse_chunk(csv_reader *reader, const char *bytes, size_t len)
{
    if (reader->chunk_ended_cr && bytes[0] != '\n')
        reader->last_was_cr = 0;
    for (const char *p = bytes, *end = bytes + len; p < end;) {
        const char *cr = memchr(p, '\r', (size_t)(end - p));
        const char *stop = cr ? cr + 1 : end;
        if (csv_parse(&reader->parser, p, (size_t)(stop - p), on_field, on_record, reader) != (size_t)(stop - p))
            return -1;
        if (stop < end && cr && *stop != '\n')
            reader->last_was_cr = 0;
        p = stop;
    }
    reader->chunk_ended_cr = bytes[len - 1] == '\r';
    return 0;
}

/* Parse one more chunk; at the end of input, finish the last record. */
static vt_status fill_records(csv_reader *reader, vt_err *err)
{
    if (reader->memory != NULL && !reader->at_eof && is_plain(reader->memory, reader->memory_len)) {
        parse_plain(reader, reader->memory, reader->memory_len);
        reader->at_eof = 1;
        return reader->nomem ? parse_failure(reader, err) : VT_OK;
    }
    size_t without_record = 0; /* bytes read since a record last ended */
    while (reader->batch.records_used == 0 && !reader->at_eof) {
        const char *start = reader->memory;
        size_t got = reader->memory_len;
        if (reader->memory == NULL) {
            vt_status status = source_read(reader->input, reader->chunk, CSV_CHUNK_BYTES, &got, err);
            if (status != VT_OK)
                return status;
            hash_bytes(reader, (unsigned char *)reader->chunk, got);
            start = reader->chunk;
        }
        /* Binary input ends at the line of its first NUL: the parser takes
         * the bytes up to there and refuses them at the NUL's record and
         * field (below), instead of reading on (a field never ends on
         * /dev/zero). */
        const char *nul = memchr(start, '\0', got);
        int nul_cut = nul != NULL;
        if (nul_cut) { /* to the end of its line, so that its field (quoted or not) ends */
            const char *line_end = memchr(nul, '\n', got - (size_t)(nul - start));
            got = (size_t)((line_end ? line_end : nul) - start) + 1;
        }
        without_record += got;
        if (without_record > CSV_MAX_RECORD_BYTES && reader->memory == NULL)
            return vt_err_set(err, VT_EPARSE, reader->path, reader->line, 0,
                              "a record longer than %zu MiB (no line end, or an unclosed quote): not a CSV file?",
                              CSV_MAX_RECORD_BYTES >> 20);
        if (!reader->bom_checked && got >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) {
            start += 3;
            got -= 3;
        }
        reader->bom_checked = 1;
        if (got > 0 && parse_chunk(reader, start, got) != 0)
            return parse_failure(reader, err);
        if (reader->memory != NULL || got < CSV_CHUNK_BYTES || nul_cut) {
            reader->at_eof = 1;
            if (csv_fini(&reader->parser, on_field, on_record, reader) != 0)
                return parse_failure(reader, err);
        }
        if (reader->nomem)
            return parse_failure(reader, err);
        if (nul_cut && !reader->nul_seen) { /* inside a field the cut left open (a quote): where it begins */
            reader->nul_seen = 1;
            reader->nul_line = reader->line;
            reader->nul_col = (long)(reader->batch.fields_used - reader->open_record_first) + 1;
        }
        if (reader->nul_seen) {
            reader->batch.records_used = 0; /* refused at once: a binary file, not a bad record */
            return vt_err_set(err, VT_EPARSE, reader->path, reader->nul_line, reader->nul_col,
                              "binary data (a NUL byte): not a CSV text file");
        }
    }
    return VT_OK;
}

/* The next records; a failure after some of them waits until they are taken. */
static void fill_batch(csv_reader *reader)
{
    batch_reset(reader);
    vt_status status = fill_records(reader, &reader->pending_err);
    if (status != VT_OK) {
        reader->pending = status;
        reader->at_eof = 1;
    }
}

static int space_only(unsigned char c) { return c == ' '; }

/* libcsv grows a field's buffer 128 bytes at a time: a field of many MB
 * costs a realloc per 128 bytes, each a copy where realloc cannot grow in
 * place (under the sanitizers: minutes for the 64 MiB a record may take).
 * Grown geometrically instead, through vt_realloc (so allocation tests
 * reach it); the usable size says how much room a block already has. */
static void *grow_buffer(void *memory, size_t size)
{
    size_t room = memory ? malloc_usable_size(memory) : 0;
    if (size <= room)
        return memory;
    return vt_realloc(memory, size < 2 * room ? 2 * room : size);
}

/* The parser's options after csv_init: the delimiter, the trimming rule,
 * and its buffer growth (grow_buffer). */
static void parser_setup(csv_reader *reader)
{
    csv_set_delim(&reader->parser, (unsigned char)reader->delimiter);
    /* libcsv trims spaces and tabs itself unless given a function (called
     * for every byte); a tab delimiter must not be trimmed. */
    if (reader->delimiter == '\t')
        csv_set_space_func(&reader->parser, space_only);
    csv_set_realloc_func(&reader->parser, grow_buffer);
}

static vt_status take_header(csv_reader *reader, vt_err *err)
{
    const csv_row *row = NULL;
    size_t saved_columns = reader->n_columns;
    reader->n_columns = 0; /* no ragged check for the header itself */
    vt_status status = csv_reader_next(reader, &row, err);
    reader->n_columns = saved_columns;
    if (status != VT_OK)
        return status;
    if (row == NULL)
        return vt_err_set(err, VT_EDATA, reader->path, 0, 0, "empty file: a header row is required");
    /* Interned in order, a new name's id is its index; an earlier id is a
     * duplicate.  A hash, not a scan of the names before: 100,000 columns
     * took 10 s here (issue 9). */
    reader->header = dict_new();
    if (reader->header == NULL)
        return vt_err_set(err, VT_ENOMEM, reader->path, 0, 0, "out of memory");
    for (size_t i = 0; i < row->n_fields; i++) {
        if (row->lengths[i] == 0)
            return vt_err_set(err, VT_EDATA, reader->path, row->line, (long)i + 1,
                              "empty column name in the header");
        long id = dict_intern(reader->header, row->fields[i], row->lengths[i]);
        char name[VT_QUOTE_SIZE];
        if (id < 0)
            return vt_err_set(err, VT_ENOMEM, reader->path, 0, 0, "out of memory");
        if ((size_t)id < i)
            return vt_err_set(err, VT_EDATA, reader->path, row->line, (long)i + 1,
                              "duplicate column name '%s' (also column %ld)",
                              vt_quote(name, sizeof name, row->fields[i], row->lengths[i]), id + 1);
        reader->n_columns = i + 1;
    }
    return VT_OK;
}

/* A reader with its parser set up and no source yet. */
static csv_reader *reader_new(const char *shown_path, char delimiter)
{
    csv_reader *reader = vt_calloc(1, sizeof *reader);
    if (reader == NULL)
        return NULL;
    reader->delimiter = delimiter;
    reader->path = vt_strdup(shown_path);
    reader->hash = UINT64_C(0xcbf29ce484222325);
    reader->line = 1;
    if (reader->path == NULL || csv_init(&reader->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        csv_reader_free(reader);
        return NULL;
    }
    reader->parser_ready = 1;
    parser_setup(reader);
    return reader;
}

vt_status csv_reader_open(const char *path, char delimiter, csv_reader **out, vt_err *err)
{
    return csv_reader_open_query(path, NULL, delimiter, out, err);
}

vt_status csv_reader_open_query(const char *path, const char *query, char delimiter, csv_reader **out, vt_err *err)
{
    *out = NULL;
    source *input = NULL;
    vt_status status = source_open(path, query, &input, err);
    if (status != VT_OK)
        return status;
    csv_reader *reader = reader_new(source_name(input), source_delimiter(query, delimiter));
    if (reader == NULL || (reader->chunk = vt_malloc(CSV_CHUNK_BYTES)) == NULL) {
        source_free(input);
        csv_reader_free(reader);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    reader->input = input;
    status = take_header(reader, err);
    if (status != VT_OK) {
        csv_reader_free(reader);
        return status;
    }
    *out = reader;
    return VT_OK;
}

vt_status csv_reader_open_memory(const char *bytes, size_t len, char delimiter, const char *path,
                                 long first_line, size_t n_columns, csv_reader **out, vt_err *err)
{
    *out = NULL;
    csv_reader *reader = reader_new(path, delimiter);
    if (reader == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    reader->bom_checked = 1; /* only a file's first bytes can hold one */
    csv_reader_rewind_memory(reader, bytes, len, first_line);
    if (n_columns == 0) {
        vt_status status = take_header(reader, err);
        if (status != VT_OK) {
            csv_reader_free(reader);
            return status;
        }
    } else if ((reader->row_fields = vt_calloc(n_columns, sizeof(char *))) == NULL) {
        csv_reader_free(reader);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    } else {
        reader->n_columns = n_columns;
    }
    *out = reader;
    return VT_OK;
}

void csv_reader_rewind_memory(csv_reader *reader, const char *bytes, size_t len, long first_line)
{
    csv_free(&reader->parser);
    csv_init(&reader->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL); /* reuses nothing: cannot fail */
    parser_setup(reader);
    reader->memory = bytes;
    reader->memory_len = len;
    reader->at_eof = 0;
    reader->line = first_line;
    reader->newlines_inside = 0;
    reader->last_was_cr = reader->chunk_ended_cr = 0;
    reader->nul_seen = 0;
    reader->pending = VT_OK;
    reader->batch.records_used = reader->batch.fields_used = reader->batch.chars_used = 0;
    reader->next_record = reader->open_record_first = 0;
}

void csv_reader_free(csv_reader *reader)
{
    if (reader == NULL)
        return;
    if (reader->parser_ready)
        csv_free(&reader->parser);
    source_free(reader->input);
    dict_free(reader->header);
    free(reader->row_fields);
    free(reader->batch.chars);
    free(reader->batch.field_start);
    free(reader->batch.field_len);
    free(reader->batch.record_first);
    free(reader->batch.record_count);
    free(reader->batch.record_line);
    free(reader->chunk);
    free(reader->path);
    free(reader);
}

vt_status csv_reader_next(csv_reader *reader, const csv_row **row, vt_err *err)
{
    *row = NULL;
    record_batch *batch = &reader->batch;
    if (reader->next_record >= batch->records_used && !reader->at_eof)
        fill_batch(reader);
    if (reader->next_record >= batch->records_used) {
        if (reader->pending != VT_OK && err != NULL)
            *err = reader->pending_err;
        return reader->pending;
    }
    size_t record = reader->next_record++;
    size_t first = batch->record_first[record];
    size_t count = batch->record_count[record];
    long line = batch->record_line[record];
    if (reader->n_columns > 0 && count != reader->n_columns)
        return vt_err_set(err, VT_EPARSE, reader->path, line,
                          (long)(count < reader->n_columns ? count + 1 : reader->n_columns + 1),
                          "row has %zu fields, the header has %zu", count, reader->n_columns);
    if (reader->row_fields == NULL) { /* the header: views allocated on demand */
        reader->row_fields = vt_calloc(count, sizeof(char *));
        if (reader->row_fields == NULL)
            return vt_err_set(err, VT_ENOMEM, reader->path, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < count; i++)
        reader->row_fields[i] = batch->chars + batch->field_start[first + i];
    reader->row.n_fields = count;
    reader->row.fields = reader->row_fields;
    reader->row.lengths = batch->field_len + first;
    reader->row.line = line;
    *row = &reader->row;
    return VT_OK;
}

size_t csv_reader_n_columns(const csv_reader *reader) { return reader->n_columns; }
const char *csv_reader_column(const csv_reader *reader, size_t index) { return dict_key(reader->header, (long)index); }
const char *csv_reader_path(const csv_reader *reader) { return reader->path; }
uint64_t csv_reader_bytes(const csv_reader *reader) { return reader->bytes; }
uint64_t csv_reader_hash(const csv_reader *reader) { return reader->hash; }

long csv_reader_find(const csv_reader *reader, const char *name)
{
    return reader->header ? dict_find(reader->header, name, strlen(name)) : -1;
}

char csv_parse_delimiter(const char *text)
{
    if (strcmp(text, "tab") == 0 || strcmp(text, "\\t") == 0 || strcmp(text, "\t") == 0)
        return '\t';
    if (strlen(text) == 1 && strchr(",;|", text[0]))
        return text[0];
    return 0;
}
