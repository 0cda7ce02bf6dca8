#include "csv_split.h"

#include <stdlib.h>
#include <string.h>

struct csv_splitter {
    source *input;
    int at_eof, bom_checked, fingerprint;
    size_t block_bytes;
    char *carry;          /* bytes read past the last cut */
    size_t carry_len, carry_cap;
    long next_line;       /* physical line of the first carried byte */
    uint64_t next_offset; /* file offset of the first carried byte */
    uint64_t bytes, hash;
};

vt_status csv_splitter_open(const char *path, const char *query, size_t block_bytes, int fingerprint,
                            csv_splitter **out, vt_err *err)
{
    *out = NULL;
    csv_splitter *splitter = vt_calloc(1, sizeof *splitter);
    if (splitter == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    splitter->block_bytes = block_bytes;
    splitter->fingerprint = fingerprint;
    splitter->next_line = 1;
    splitter->hash = UINT64_C(0xcbf29ce484222325);
    vt_status status = source_open(path, query, &splitter->input, err);
    if (status != VT_OK) {
        free(splitter);
        return status;
    }
    *out = splitter;
    return VT_OK;
}

void csv_splitter_free(csv_splitter *splitter)
{
    if (splitter == NULL)
        return;
    source_free(splitter->input);
    free(splitter->carry);
    free(splitter);
}

const char *csv_splitter_path(const csv_splitter *splitter)
{
    return source_name(splitter->input);
}

const unsigned char *csv_splitter_booleans(const csv_splitter *splitter, size_t *n_fields)
{
    return source_booleans(splitter->input, n_fields);
}

void csv_block_free(csv_block *block)
{
    free(block->bytes);
    block->bytes = NULL;
    block->len = block->cap = 0;
}

static int reserve(char **bytes, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t next = *cap ? *cap : 4096;
    while (next < need)
        next *= 2;
    char *grown = vt_realloc(*bytes, next);
    if (grown == NULL)
        return -1;
    *bytes = grown;
    *cap = next;
    return 0;
}

/* Where the last whole record in bytes[0..len) ends (0 if none), and how
 * many physical lines lie before that point.  A CR as the very last byte
 * is undecided (CR LF or a lone CR) unless the input has ended.  The first
 * record (the header) ends at the first line end after something other
 * than spaces and tabs: the reader skips blank lines before it, so they
 * belong to its block. */
static size_t find_cut(const char *bytes, size_t len, int at_eof, int first_record_only, long *lines_before_cut)
{
    /* Most blocks hold no quote and no CR: memchr finds the line ends. */
    if (!first_record_only && memchr(bytes, '"', len) == NULL && memchr(bytes, '\r', len) == NULL) {
        size_t cut = 0;
        long lines = 0;
        for (const char *p = bytes, *end = bytes + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
            lines++;
            cut = (size_t)(p - bytes) + 1;
        }
        *lines_before_cut = lines;
        return cut;
    }
    size_t cut = 0;
    long lines = 0;
    int quoted = 0, begun = !first_record_only;
    for (size_t i = 0; i < len; i++) {
        char c = bytes[i];
        if (c == '"') {
            quoted = !quoted;
            begun = 1;
            continue;
        }
        int line_end = c == '\n';
        if (c == '\r') {
            if (i + 1 == len && !at_eof)
                break;
            line_end = i + 1 == len || bytes[i + 1] != '\n';
        }
        if (!line_end) {
            begun |= c != ' ' && c != '\t' && c != '\r';
            continue;
        }
        lines++;
        if (!quoted && begun) {
            cut = i + 1;
            *lines_before_cut = lines;
            if (first_record_only)
                break;
        }
    }
    return cut;
}

static vt_status read_more(csv_splitter *splitter, csv_block *block, size_t want, vt_err *err)
{
    if (reserve(&block->bytes, &block->cap, block->len + want + 1))
        return vt_err_set(err, VT_ENOMEM, csv_splitter_path(splitter), 0, 0, "out of memory");
    size_t got = 0;
    vt_status status = source_read(splitter->input, block->bytes + block->len, want, &got, err);
    if (status != VT_OK)
        return status;
    if (got < want)
        splitter->at_eof = 1;
    uint64_t hash = splitter->hash;
    for (size_t i = 0; splitter->fingerprint && i < got; i++) {
        hash ^= (unsigned char)block->bytes[block->len + i];
        hash *= UINT64_C(0x100000001b3);
    }
    splitter->hash = hash;
    splitter->bytes += got;
    /* Binary input: read no further than the line of its first NUL, which
     * ends the input; the parser of this last block names its line and
     * column (/dev/zero would otherwise be read until memory ran out). */
    const char *fresh = block->bytes + block->len, *nul = memchr(fresh, '\0', got);
    if (nul != NULL) { /* to the end of its line, so that its field ends */
        const char *line_end = memchr(nul, '\n', got - (size_t)(nul - fresh));
        got = (size_t)((line_end ? line_end : nul) - fresh) + 1;
        splitter->at_eof = 1;
    }
    if (!splitter->bom_checked && block->len + got >= 3) {
        splitter->bom_checked = 1;
        if (memcmp(block->bytes, "\xEF\xBB\xBF", 3) == 0) {
            memmove(block->bytes, block->bytes + 3, block->len + got - 3);
            got -= 3;
            splitter->next_offset = 3; /* found before any byte was handed out */
        }
    }
    block->len += got;
    return VT_OK;
}

vt_status csv_splitter_next(csv_splitter *splitter, csv_block *block, int first_record_only, vt_err *err)
{
    block->len = 0;
    block->first_line = splitter->next_line;
    if (reserve(&block->bytes, &block->cap, splitter->carry_len + 1))
        return vt_err_set(err, VT_ENOMEM, csv_splitter_path(splitter), 0, 0, "out of memory");
    if (splitter->carry_len > 0)
        memcpy(block->bytes, splitter->carry, splitter->carry_len);
    block->len = splitter->carry_len;
    splitter->carry_len = 0;
    size_t cut = 0;
    long lines = 0;
    for (;;) {
        if (!splitter->at_eof && (block->len < splitter->block_bytes || cut == 0)) {
            size_t want = block->len < splitter->block_bytes ? splitter->block_bytes - block->len : block->len;
            vt_status status = read_more(splitter, block, want, err);
            if (status != VT_OK)
                return status;
        }
        cut = find_cut(block->bytes, block->len, splitter->at_eof, first_record_only, &lines);
        if (cut == 0 && block->len > CSV_MAX_RECORD_BYTES)
            return vt_err_set(err, VT_EDATA, csv_splitter_path(splitter), block->first_line, 0,
                              "a record longer than %zu MiB (no line end, or an unclosed quote): not a CSV file?",
                              CSV_MAX_RECORD_BYTES >> 20);
        if (splitter->at_eof && (cut == 0 || !first_record_only)) {
            cut = block->len; /* the last record may lack a line end */
            break;
        }
        if (cut > 0 && (block->len >= splitter->block_bytes || first_record_only))
            break;
    }
    /* A BOM can only open the file: once bytes are handed out, stop looking
     * (with blocks under 3 bytes the first read may not have held 3). */
    if (cut > 0)
        splitter->bom_checked = 1;
    size_t rest = block->len - cut;
    if (reserve(&splitter->carry, &splitter->carry_cap, rest + 1))
        return vt_err_set(err, VT_ENOMEM, csv_splitter_path(splitter), 0, 0, "out of memory");
    memcpy(splitter->carry, block->bytes + cut, rest);
    splitter->carry_len = rest;
    block->len = cut;
    block->offset = splitter->next_offset;
    splitter->next_offset += cut;
    splitter->next_line += lines;
    return VT_OK;
}

uint64_t csv_splitter_bytes(const csv_splitter *splitter) { return splitter->bytes; }
uint64_t csv_splitter_hash(const csv_splitter *splitter) { return splitter->hash; }
