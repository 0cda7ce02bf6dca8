/* csv_split: cut a CSV stream into blocks of whole records, for threads.
 *
 * A record ends at a line end outside quotes; quote parity alone decides
 * (an escaped "" toggles twice), so a quoted field may hold newlines and
 * still never be cut.  Each block carries the physical line its first record
 * starts on, so a block parsed on its own reports the file's line numbers.
 * A UTF-8 byte-order mark at the start of the file is dropped.  Memory is
 * one block plus the partial record carried to the next; a single record
 * longer than a block makes that block grow to hold it, up to
 * CSV_MAX_RECORD_BYTES (a longer one is refused, naming its line).  A NUL
 * byte ends the input where it is read: the block parser then refuses the
 * binary data at its line and column.  So /dev/zero, or a file without line
 * ends, is not read until memory runs out. */
#ifndef CSV_SPLIT_H
#define CSV_SPLIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csv_reader.h"
#include "source.h"
#include "vt.h"

typedef struct {
    char *bytes;      /* owned by the block; grown as needed */
    size_t len, cap;
    long first_line;  /* physical line of the first record */
    uint64_t offset;  /* where its bytes start in the file */
} csv_block;

typedef struct csv_splitter csv_splitter;

/* path and query name the input as source.h reads them: a file, "-" for
 * standard input, or a postgresql:// URI with a query.  fingerprint: hash
 * the bytes as they are read (a byte-at-a-time cost only training wants). */
vt_status csv_splitter_open(const char *path, const char *query, size_t block_bytes, int fingerprint,
                            csv_splitter **out /* OUT */, vt_err *err);
void csv_splitter_free(csv_splitter *splitter);
const char *csv_splitter_path(const csv_splitter *splitter);
/* Its source's BOOLEAN columns (source_booleans). */
const unsigned char *csv_splitter_booleans(const csv_splitter *splitter, size_t *n_fields /* OUT */);

/* Fill block with the next whole records (only the first record, the
 * header, when first_record_only).  block->len 0 means the end. */
vt_status csv_splitter_next(csv_splitter *splitter, csv_block *block, int first_record_only, vt_err *err);

void csv_block_free(csv_block *block);

/* Bytes read so far and, if asked for at open, their 64-bit FNV-1a hash
 * (the whole file once the end is reached): a fingerprint of the data. */
uint64_t csv_splitter_bytes(const csv_splitter *splitter);
uint64_t csv_splitter_hash(const csv_splitter *splitter);

#endif
