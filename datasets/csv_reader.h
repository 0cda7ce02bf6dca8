/* csv: a pull reader of RFC 4180 files on top of libcsv.
 *
 * Handles quoted fields with embedded delimiters, quotes and newlines, CRLF
 * or LF line ends, a UTF-8 byte-order mark, blank lines, and a chosen
 * delimiter.  The first record is the header: it is required, and empty or
 * duplicate names are errors.  Every later record must have as many fields as
 * the header.  Each record carries the physical line it starts on, so errors
 * can say FILE:LINE:COL (COL is the 1-based field number).
 *
 * The reader owns the memory of the rows it returns; a row stays valid until
 * the next csv_reader_next call.  Fields are NUL-terminated.  One reader is
 * used by one thread. */
#ifndef CSV_READER_H
#define CSV_READER_H

#include <stdint.h>
#include <stdio.h>

#include "vt.h"

/* The longest record a reader takes (the splitter too, csv_split.h): a
 * longer one, like input without line ends, is refused as it is read. */
#define CSV_MAX_RECORD_BYTES ((size_t)64 << 20) /* 64 MiB */

typedef struct {
    size_t n_fields;
    const char *const *fields; /* NUL-terminated */
    const size_t *lengths;
    long line;                 /* physical line the record starts on */
} csv_row;

typedef struct csv_reader csv_reader;

/* Opens path ("-" is standard input) and reads the header. */
vt_status csv_reader_open(const char *path, char delimiter,
                          csv_reader **out /* OUT */, vt_err *err);
/* The same for any input source.h reads: with a query, path is a
 * postgresql:// URI and the rows are comma-delimited whatever delimiter. */
vt_status csv_reader_open_query(const char *path, const char *query, char delimiter, csv_reader **out /* OUT */,
                                vt_err *err);
void csv_reader_free(csv_reader *reader);

/* A reader over bytes in memory (not copied; they must outlive the reader).
 * n_columns 0: the first record is the header, as for a file.  Otherwise
 * the bytes are whole data records of a file with that many columns, the
 * first starting on first_line (blocks cut by csv_split). */
vt_status csv_reader_open_memory(const char *bytes, size_t len, char delimiter, const char *path,
                                 long first_line, size_t n_columns, csv_reader **out /* OUT */, vt_err *err);
/* Point a memory reader at the next block, keeping its buffers. */
void csv_reader_rewind_memory(csv_reader *reader, const char *bytes, size_t len, long first_line);

size_t csv_reader_n_columns(const csv_reader *reader);
const char *csv_reader_column(const csv_reader *reader, size_t index);
/* Index of the header name, or -1. */
long csv_reader_find(const csv_reader *reader, const char *name);
const char *csv_reader_path(const csv_reader *reader);

/* Next data record: returns VT_OK and sets *row, or VT_OK with *row = NULL at
 * the end of the file, or an error (malformed CSV, ragged record, I/O).  The
 * records before a malformed one are returned first, so the caller meets
 * errors in file order whatever the chunk or block size (a NUL byte is
 * refused at once: the input is binary). */
vt_status csv_reader_next(csv_reader *reader, const csv_row **row /* OUT */,
                          vt_err *err);

/* Bytes read so far and their 64-bit FNV-1a hash (the whole file once the
 * end is reached): the training data's fingerprint. */
uint64_t csv_reader_bytes(const csv_reader *reader);
uint64_t csv_reader_hash(const csv_reader *reader);

/* Parse a delimiter option: ",", ";", "tab" or "\t", "|". Returns 0 if bad. */
char csv_parse_delimiter(const char *text);

#endif
