/* json: the JSON plumbing every module shares (cJSON underneath).
 *
 * Reading: json_read_text takes a whole file ("-" is standard input) up to a
 * size cap; json_parse turns text into a cJSON tree and a parse failure into
 * FILE:LINE:COL from cJSON_ParseWithLengthOpts's end pointer (never the
 * global, thread-unsafe cJSON_GetErrorPtr); json_read_file does both.
 *
 * Writing: json_add_exact writes a double so that it reads back as the same
 * double; json_write_file prints a tree and writes it atomically.
 *
 * Fields: the json_get_* / json_opt_* getters read one field of an object,
 * check its type and range, and on failure fill vt_err with the file, the
 * field's path from the root ("targets[0].terms[3].estimate") and, when the
 * document keeps its text, the LINE:COL of the field's value (of the object,
 * for a missing field).  cJSON keeps no positions, so the path and position
 * are found again from the tree and the text, only when an error is
 * reported.
 *
 * Thread rules: none of this keeps state; distinct trees may be read and
 * written from distinct threads. */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>

#include "vt.h"

struct cJSON;

/* ------------------------------------------------------------ reading */

/* The name errors show for path: "<stdin>" for "-". */
const char *json_display_name(const char *path);

/* Read all of path ("-": standard input) into *text (OUT, NUL-terminated,
 * caller frees with free) and *len (OUT, without the NUL).  A file larger
 * than max_bytes is refused (VT_EIO, saying so), as is a read error. */
vt_status json_read_text(const char *path, size_t max_bytes, char **text /* OUT */, size_t *len /* OUT */,
                         vt_err *err);

/* Parse text[0..len) (text[len] must be NUL) into *root (OUT, caller frees
 * with cJSON_Delete).  name is the file errors name.  Errors (VT_EFORMAT):
 * an empty document; a NUL byte inside it; malformed JSON, at the LINE:COL
 * where cJSON stopped ("ends early" when it stopped at the end). */
vt_status json_parse(const char *name, const char *text, size_t len, struct cJSON **root /* OUT */,
                     vt_err *err);

/* json_read_text then json_parse: the tree of the file at path. */
vt_status json_read_file(const char *path, size_t max_bytes, struct cJSON **root /* OUT */, vt_err *err);

/* ------------------------------------------------------------ writing */

/* A number item that reads back as exactly value: the shortest of %.15g,
 * %.16g and %.17g that round-trips (17 significant digits always do; cJSON's
 * own printer accepts 15 digits that come back within an epsilon, losing the
 * last bit).  NULL if value is not finite (JSON has no NaN or infinity) or
 * memory ran out.  The item is cJSON raw text: json_number reads it back
 * before printing too. */
struct cJSON *json_create_exact(double value);

/* Add json_create_exact(value) to object under key.  A non-finite value is
 * refused: null is written in its place (the field stays present) and -1
 * returned, so callers that must not lose a value can fail; 0 otherwise. */
int json_add_exact(struct cJSON *object, const char *key, double value);

/* The number at key in object, whether json_add_exact wrote it (raw text)
 * or a file was parsed; NaN if absent or not a number.  For reading back
 * what this program just built; files are read with the getters below. */
double json_number(const struct cJSON *object, const char *key);

/* Put item under key in object, or at the end of array.  cJSON's own
 * functions leave the item to leak when the parent cannot take it (an
 * allocation failed); these free it then.  0, or -1 (item freed).  NULL
 * item or parent ok. */
int json_attach(struct cJSON *object, const char *key, struct cJSON *item);
int json_append(struct cJSON *array, struct cJSON *item);
/* A new empty object at the end of array (owned by it), or NULL.  Filling
 * a NULL object with cJSON's Add* functions is a harmless no-op. */
struct cJSON *json_append_object(struct cJSON *array);

/* Print root and write it atomically to path ("-": standard output);
 * takes ownership of root (freed in every case).  failures_before is
 * vt_alloc_failures() from before root was built: cJSON drops an item
 * whose allocation failed without a word, so a tree built while one failed
 * is refused (VT_ENOMEM) rather than written with fields missing. */
vt_status json_write_file(struct cJSON *root, const char *path, unsigned long failures_before, vt_err *err);

/* ------------------------------------------------------------- fields */

/* A parsed document, as the field getters see it.  Filled by json_doc_read
 * it owns root and text (json_doc_free releases them); filled by hand it
 * may borrow them (then do not call json_doc_free). */
typedef struct {
    const char *file;          /* the file errors name */
    const char *kind;          /* "vitals model": errors say "not a valid vitals model: ..." */
    struct cJSON *root;        /* the tree the getters' objects belong to */
    char *text;                /* the text root was parsed from, for LINE:COL; NULL for none */
} json_doc;

/* json_read_text then json_parse into doc (OUT), keeping the text for the
 * errors' positions; kind as in json_doc.  On failure doc holds nothing. */
vt_status json_doc_read(const char *path, size_t max_bytes, const char *kind, json_doc *doc /* OUT */,
                        vt_err *err);
void json_doc_free(json_doc *doc); /* root and text; the doc may be read again */

/* Record an error about field key of object (key NULL: object itself):
 * "not a valid KIND: PATH: " then the printf-style message, at the value's
 * LINE:COL where the text allows.  Returns VT_EFORMAT. */
vt_status json_fail(const json_doc *doc, const struct cJSON *object, const char *key, vt_err *err,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* json_fail for a field that is missing ("missing (expected WHAT)") or
 * something else ("expected WHAT, found 2.5" -- the value or its kind). */
vt_status json_expected(const json_doc *doc, const struct cJSON *object, const char *key, vt_err *err,
                        const char *what);

/* The field path of object.key (key NULL: object) into buf, e.g.
 * "targets[0].terms[3].estimate"; "" for the root itself. */
void json_field_path(const json_doc *doc, const struct cJSON *object, const char *key, char *buf, size_t size);

/* Required: present with the type; otherwise an error naming the field.
 * Optional (json_opt_*): absent or null gives the fallback, anything else
 * must have the type.  Strings are borrowed from the tree. */
vt_status json_get_number(const json_doc *doc, const struct cJSON *object, const char *key,
                          double *out /* OUT */, vt_err *err); /* finite */
vt_status json_opt_number(const json_doc *doc, const struct cJSON *object, const char *key, double fallback,
                          double *out /* OUT */, vt_err *err);
/* A whole number in [low, high] (both at most 2^53 in size). */
vt_status json_get_integer(const json_doc *doc, const struct cJSON *object, const char *key, long long low,
                           long long high, long long *out /* OUT */, vt_err *err);
/* A finite number in [low, high]. */
vt_status json_get_range(const json_doc *doc, const struct cJSON *object, const char *key, double low, double high,
                         double *out /* OUT */, vt_err *err);
vt_status json_get_string(const json_doc *doc, const struct cJSON *object, const char *key,
                          const char **out /* OUT */, vt_err *err);
vt_status json_opt_string(const json_doc *doc, const struct cJSON *object, const char *key,
                          const char **out /* OUT: NULL if absent or null */, vt_err *err);
/* json_get_string, copied: *out is the caller's to free (VT_ENOMEM possible). */
vt_status json_copy_string(const json_doc *doc, const struct cJSON *object, const char *key, char **out /* OUT */,
                           vt_err *err);
vt_status json_get_bool(const json_doc *doc, const struct cJSON *object, const char *key, int *out /* OUT */,
                        vt_err *err);
vt_status json_opt_bool(const json_doc *doc, const struct cJSON *object, const char *key, int fallback,
                        int *out /* OUT */, vt_err *err);
/* An object (json_opt_object: or absent/null, *out NULL). */
vt_status json_get_object(const json_doc *doc, const struct cJSON *object, const char *key,
                          const struct cJSON **out /* OUT */, vt_err *err);
vt_status json_opt_object(const json_doc *doc, const struct cJSON *object, const char *key,
                          const struct cJSON **out /* OUT */, vt_err *err);
/* An array of min..max elements (any types; the caller checks them). */
vt_status json_get_array(const json_doc *doc, const struct cJSON *object, const char *key, size_t min, size_t max,
                         const struct cJSON **out /* OUT */, vt_err *err);
/* An array of exactly n finite numbers into out[0..n). */
vt_status json_get_numbers(const json_doc *doc, const struct cJSON *object, const char *key, size_t n,
                           double *out /* OUT */, vt_err *err);

#endif
