#include "json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"

/* Deepest field the error paths and positions follow; model and scorecard
 * files nest about six deep.  Deeper fields are named by their key alone. */
#define JSON_PATH_DEPTH 32

/* Doubles are exact integers up to 2^53: the bound of json_get_integer. */
#define JSON_INTEGER_LIMIT 9007199254740992.0

static int chain_to(const cJSON *node, const cJSON *target, const cJSON **chain, int depth);
static long child_index(const cJSON *parent, const cJSON *child);
static const char *locate(const char *text, const cJSON *root, const cJSON *const *chain, int depth);
static void line_col(const char *text, const char *at, long *line, long *col);
static const char *skip_string(const char *p);
static const char *unterminated_string(const char *text);
static const char *escaped_nul(const char *text);

/* ------------------------------------------------------------ reading */

const char *json_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

vt_status json_read_text(const char *path, size_t max_bytes, char **text, size_t *len, vt_err *err)
{
    const char *name = json_display_name(path);
    *text = NULL;
    *len = 0;
    FILE *stream = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (stream == NULL)
        return vt_err_set(err, VT_EIO, name, 0, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, used = 0;
    char *buffer = vt_malloc(cap);
    /* Read one byte past the cap, so a file of exactly max_bytes passes. */
    while (buffer && used <= max_bytes) {
        used += fread(buffer + used, 1, cap - used - 1, stream);
        if (used < cap - 1)
            break;
        char *bigger = vt_realloc(buffer, cap * 2);
        if (bigger == NULL)
            free(buffer);
        buffer = bigger;
        cap *= 2;
    }
    int failed = ferror(stream);
    if (stream != stdin)
        fclose(stream);
    if (buffer == NULL)
        return vt_err_set(err, VT_ENOMEM, name, 0, 0, "out of memory");
    if (failed || used > max_bytes) {
        free(buffer);
        return failed ? vt_err_set(err, VT_EIO, name, 0, 0, "read error")
                      : vt_err_set(err, VT_EIO, name, 0, 0, "larger than %zu bytes, the most read as JSON here",
                                   max_bytes);
    }
    buffer[used] = '\0';
    *text = buffer;
    *len = used;
    return VT_OK;
}

vt_status json_parse(const char *name, const char *text, size_t len, cJSON **root, vt_err *err)
{
    long line = 0, col = 0;
    *root = NULL;
    const char *nul = memchr(text, '\0', len);
    if (nul != NULL) {
        line_col(text, nul, &line, &col);
        return vt_err_set(err, VT_EFORMAT, name, line, col, "a NUL byte inside the JSON (not a text file?)");
    }
    const char *start = text;
    while ((unsigned char)*start <= 32 && *start)
        start++;
    if (*start == '\0')
        return vt_err_set(err, VT_EFORMAT, name, 0, 0, "empty file: no JSON in it");
    /* cJSON decodes \u0000 into the string and so cuts it there without a
     * word: "smb\u0000x" would read as the level "smb". */
    const char *escaped = escaped_nul(text);
    if (escaped != NULL) {
        line_col(text, escaped, &line, &col);
        return vt_err_set(err, VT_EFORMAT, name, line, col, "a NUL character (\\u0000) in a string: not allowed");
    }
    /* JSON is UTF-8 (RFC 8259), and a model's levels and names must be
     * what train accepts: a Latin-1 byte would reach the SQL view. */
    long invalid = vt_utf8_invalid_at(text, len);
    if (invalid >= 0) {
        line_col(text, text + invalid, &line, &col);
        return vt_err_set(err, VT_EFORMAT, name, line, col, "a byte that is not UTF-8 (\\x%02X): JSON is UTF-8",
                          (unsigned char)text[invalid]);
    }
    const char *end = NULL;
    *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (*root != NULL)
        return VT_OK;
    /* cJSON stops at the end, or just inside a string the end cut short:
     * that string's opening quote is the place to show. */
    const char *cut = unterminated_string(text);
    if (cut != NULL && end != NULL && cut < end)
        end = cut;
    line_col(text, end, &line, &col);
    int at_end = end == NULL || end == cut || *end == '\0' || end[1] == '\0';
    return vt_err_set(err, VT_EFORMAT, name, line, col,
                      at_end ? "the JSON ends early (truncated file?)" : "malformed JSON");
}

vt_status json_doc_read(const char *path, size_t max_bytes, const char *kind, json_doc *doc, vt_err *err)
{
    size_t len = 0;
    *doc = (json_doc){json_display_name(path), kind, NULL, NULL};
    vt_status status = json_read_text(path, max_bytes, &doc->text, &len, err);
    if (status == VT_OK)
        status = json_parse(doc->file, doc->text, len, &doc->root, err);
    if (status != VT_OK)
        json_doc_free(doc);
    return status;
}

void json_doc_free(json_doc *doc)
{
    cJSON_Delete(doc->root);
    free(doc->text);
    doc->root = NULL;
    doc->text = NULL;
}

vt_status json_read_file(const char *path, size_t max_bytes, cJSON **root, vt_err *err)
{
    json_doc doc;
    vt_status status = json_doc_read(path, max_bytes, "JSON document", &doc, err);
    *root = doc.root;
    doc.root = NULL;
    json_doc_free(&doc);
    return status;
}

/* ------------------------------------------------------------ writing */

/* The shortest of %.15g, %.16g, %.17g that reads back as value (finite). */
static void exact_text(double value, char text[40])
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, 40, "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
}

cJSON *json_create_exact(double value)
{
    char text[40];
    if (!isfinite(value))
        return NULL;
    exact_text(value, text);
    return cJSON_CreateRaw(text);
}

int json_add_exact(cJSON *object, const char *key, double value)
{
    cJSON *item = json_create_exact(value);
    if (item == NULL) {
        cJSON_AddNullToObject(object, key);
        return -1;
    }
    if (!cJSON_AddItemToObject(object, key, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

double json_number(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (cJSON_IsRaw(item))
        return strtod(item->valuestring, NULL);
    return cJSON_IsNumber(item) ? item->valuedouble : NAN;
}

int json_attach(cJSON *object, const char *key, cJSON *item)
{
    if (item != NULL && object != NULL && cJSON_AddItemToObject(object, key, item))
        return 0;
    cJSON_Delete(item);
    return -1;
}

int json_append(cJSON *array, cJSON *item)
{
    if (item != NULL && array != NULL && cJSON_AddItemToArray(array, item))
        return 0;
    cJSON_Delete(item);
    return -1;
}

cJSON *json_append_object(cJSON *array)
{
    cJSON *item = cJSON_CreateObject();
    return json_append(array, item) == 0 ? item : NULL;
}

vt_status json_write_file(cJSON *root, const char *path, unsigned long failures_before, vt_err *err)
{
    char *text = root && vt_alloc_failures() == failures_before ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (text == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    vt_status status = outfile_write_text(path, text, err);
    cJSON_free(text);
    return status;
}

/* ----------------------------------------------------- paths, positions */

/* Fill chain[depth..] with the nodes from below node down to target; the
 * depth of target, or -1 if it is not in node's tree (or too deep). */
static int chain_to(const cJSON *node, const cJSON *target, const cJSON **chain, int depth)
{
    if (node == target)
        return depth;
    if (depth == JSON_PATH_DEPTH)
        return -1;
    for (const cJSON *child = node->child; child != NULL; child = child->next) {
        chain[depth] = child;
        int found = chain_to(child, target, chain, depth + 1);
        if (found >= 0)
            return found;
    }
    return -1;
}

static long child_index(const cJSON *parent, const cJSON *child)
{
    long index = 0;
    for (const cJSON *item = parent->child; item != NULL && item != child; item = item->next)
        index++;
    return index;
}

/* Keys that read well after a dot; others are written ["key"]. */
static int plain_key(const char *key)
{
    if (!((*key >= 'a' && *key <= 'z') || (*key >= 'A' && *key <= 'Z') || *key == '_'))
        return 0;
    for (; *key; key++)
        if (!((*key >= 'a' && *key <= 'z') || (*key >= 'A' && *key <= 'Z') || (*key >= '0' && *key <= '9') ||
              *key == '_'))
            return 0;
    return 1;
}

static void append_key(char *buf, size_t size, const char *key)
{
    size_t used = strlen(buf);
    if (plain_key(key))
        snprintf(buf + used, size - used, "%s%s", used ? "." : "", key);
    else
        snprintf(buf + used, size - used, "[\"%.60s\"]", key);
}

static void chain_path(const cJSON *root, const cJSON *const *chain, int depth, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int i = 0; i < depth; i++) {
        const cJSON *parent = i ? chain[i - 1] : root;
        size_t used = strlen(buf);
        if (cJSON_IsArray(parent))
            snprintf(buf + used, size - used, "[%ld]", child_index(parent, chain[i]));
        else
            append_key(buf, size, chain[i]->string ? chain[i]->string : "?");
    }
}

void json_field_path(const json_doc *doc, const cJSON *object, const char *key, char *buf, size_t size)
{
    const cJSON *chain[JSON_PATH_DEPTH];
    int depth = object && doc->root ? chain_to(doc->root, object, chain, 0) : -1;
    buf[0] = '\0';
    if (depth > 0)
        chain_path(doc->root, chain, depth, buf, size);
    if (key != NULL)
        append_key(buf, size, key);
}

static const char *skip_space(const char *p)
{
    while (*p && (unsigned char)*p <= 32) /* cJSON's whitespace */
        p++;
    return p;
}

static const char *skip_string(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p ? p + 1 : NULL;
}

/* The opening quote of a string the text ends inside, or NULL.  A raw
 * quote always opens or closes a JSON string, so counting them is exact. */
static const char *unterminated_string(const char *text)
{
    for (const char *p = text; *p; p++)
        if (*p == '"') {
            const char *after = skip_string(p);
            if (after == NULL)
                return p;
            p = after - 1;
        }
    return NULL;
}

/* The backslash of the first \u0000 escape inside a string, or NULL. */
static const char *escaped_nul(const char *text)
{
    int in_string = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '"') {
            in_string = !in_string;
        } else if (in_string && *p == '\\') {
            if (p[1] == 'u' && p[2] == '0' && p[3] == '0' && p[4] == '0' && p[5] == '0')
                return p;
            if (p[1])
                p++; /* the escaped character: \" does not end the string */
        }
    }
    return NULL;
}

/* Past the value at p; NULL if the text ends first. */
static const char *skip_value(const char *p)
{
    if (*p == '"')
        return skip_string(p);
    if (*p != '{' && *p != '[') {
        while (*p && *p != ',' && *p != '}' && *p != ']' && (unsigned char)*p > 32)
            p++;
        return p;
    }
    int depth = 0;
    do {
        if (*p == '"') {
            if ((p = skip_string(p)) == NULL)
                return NULL;
            continue;
        }
        if (*p == '\0')
            return NULL;
        depth += (*p == '{' || *p == '[') - (*p == '}' || *p == ']');
        p++;
    } while (depth > 0);
    return p;
}

/* The value of member (or element) index of the container at p; NULL if
 * the text does not have it. */
static const char *enter(const char *p, long index)
{
    char open = *p;
    if (open != '{' && open != '[')
        return NULL;
    p = skip_space(p + 1);
    for (long i = 0;; i++) {
        if (open == '{') {
            if (*p != '"' || (p = skip_string(p)) == NULL)
                return NULL;
            p = skip_space(p);
            if (*p != ':')
                return NULL;
            p = skip_space(p + 1);
        }
        if (i == index)
            return *p && *p != ']' && *p != '}' ? p : NULL;
        if ((p = skip_value(p)) == NULL)
            return NULL;
        p = skip_space(p);
        if (*p != ',')
            return NULL;
        p = skip_space(p + 1);
    }
}

/* Where the last node of chain starts in text, root being the document
 * parsed from it; NULL if unknown.  The text parsed, so it is valid JSON and
 * the nth child in the tree is the nth member in the text (cJSON keeps the
 * order, duplicate keys too): no key needs comparing. */
static const char *locate(const char *text, const cJSON *root, const cJSON *const *chain, int depth)
{
    const char *p = text;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) /* cJSON skips a UTF-8 byte order mark */
        p += 3;
    p = skip_space(p);
    for (int i = 0; p && i < depth; i++)
        p = enter(p, child_index(i ? chain[i - 1] : root, chain[i]));
    return p;
}

static void line_col(const char *text, const char *at, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = text; at && p < at && *p; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* ------------------------------------------------------------- fields */

vt_status json_fail(const json_doc *doc, const cJSON *object, const char *key, vt_err *err, const char *fmt, ...)
{
    char path[200], msg[300];
    const cJSON *chain[JSON_PATH_DEPTH];
    const cJSON *item = object && key ? cJSON_GetObjectItemCaseSensitive(object, key) : object;
    const cJSON *at = item ? item : object; /* a missing field: its object */
    int depth = at && doc->root ? chain_to(doc->root, at, chain, 0) : -1;
    json_field_path(doc, object, key, path, sizeof path);
    long line = 0, col = 0;
    const char *where = depth >= 0 && doc->text ? locate(doc->text, doc->root, chain, depth) : NULL;
    if (where != NULL)
        line_col(doc->text, where, &line, &col);
    va_list args;
    va_start(args, fmt);
    vsnprintf(msg, sizeof msg, fmt, args);
    va_end(args);
    vt_err_set(err, VT_EFORMAT, doc->file, line, col, "not a valid %s: %s: %s", doc->kind,
               path[0] ? path : "(top level)", msg);
    /* Keys and values from the file may hold newlines: the error is one line. */
    for (char *c = err ? err->msg : NULL; c && *c; c++)
        if ((unsigned char)*c < 32)
            *c = '?';
    return VT_EFORMAT;
}

/* What item is, for "expected X, found Y". */
static void describe(const cJSON *item, char *buf, size_t size)
{
    if (cJSON_IsNumber(item) && isfinite(item->valuedouble)) {
        char number[40];
        exact_text(item->valuedouble, number);
        snprintf(buf, size, "%s", number);
    } else if (cJSON_IsString(item)) {
        snprintf(buf, size, "\"%.40s%s\"", item->valuestring, strlen(item->valuestring) > 40 ? "..." : "");
    } else {
        snprintf(buf, size, "%s", cJSON_IsNumber(item)   ? "a number beyond a double's range"
                                  : cJSON_IsNull(item)   ? "null"
                                  : cJSON_IsTrue(item)   ? "true"
                                  : cJSON_IsFalse(item)  ? "false"
                                  : cJSON_IsArray(item)  ? "an array"
                                  : cJSON_IsObject(item) ? "an object"
                                                         : "something else");
    }
}

vt_status json_expected(const json_doc *doc, const cJSON *object, const char *key, vt_err *err, const char *what)
{
    char found[64];
    const cJSON *item = key ? (cJSON_IsObject(object) ? cJSON_GetObjectItemCaseSensitive(object, key) : NULL) : object;
    if (item == NULL)
        return json_fail(doc, object, key, err, "missing (expected %s)", what);
    describe(item, found, sizeof found);
    return json_fail(doc, object, key, err, "expected %s, found %s", what, found);
}

static const cJSON *field(const cJSON *object, const char *key)
{
    return cJSON_IsObject(object) ? cJSON_GetObjectItemCaseSensitive(object, key) : NULL;
}

static int absent(const cJSON *item)
{
    return item == NULL || cJSON_IsNull(item);
}

vt_status json_get_number(const json_doc *doc, const cJSON *object, const char *key, double *out, vt_err *err)
{
    const cJSON *item = field(object, key);
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
        return json_expected(doc, object, key, err, "a finite number");
    *out = item->valuedouble;
    return VT_OK;
}

vt_status json_opt_number(const json_doc *doc, const cJSON *object, const char *key, double fallback, double *out,
                          vt_err *err)
{
    if (absent(field(object, key))) {
        *out = fallback;
        return VT_OK;
    }
    return json_get_number(doc, object, key, out, err);
}

vt_status json_get_range(const json_doc *doc, const cJSON *object, const char *key, double low, double high,
                         double *out, vt_err *err)
{
    const cJSON *item = field(object, key);
    char what[96];
    snprintf(what, sizeof what, "a number from %g to %g", low, high);
    if (!cJSON_IsNumber(item) || !(item->valuedouble >= low && item->valuedouble <= high))
        return json_expected(doc, object, key, err, what);
    *out = item->valuedouble;
    return VT_OK;
}

vt_status json_get_integer(const json_doc *doc, const cJSON *object, const char *key, long long low,
                           long long high, long long *out, vt_err *err)
{
    const cJSON *item = field(object, key);
    char what[96];
    snprintf(what, sizeof what, "a whole number from %lld to %lld", low, high);
    double value = cJSON_IsNumber(item) ? item->valuedouble : NAN;
    if (!(value >= (double)low && value <= (double)high && fabs(value) <= JSON_INTEGER_LIMIT &&
          value == floor(value)))
        return json_expected(doc, object, key, err, what);
    *out = (long long)value;
    return VT_OK;
}

vt_status json_get_string(const json_doc *doc, const cJSON *object, const char *key, const char **out, vt_err *err)
{
    const cJSON *item = field(object, key);
    if (!cJSON_IsString(item))
        return json_expected(doc, object, key, err, "a string");
    *out = item->valuestring;
    return VT_OK;
}

vt_status json_opt_string(const json_doc *doc, const cJSON *object, const char *key, const char **out, vt_err *err)
{
    *out = NULL;
    if (absent(field(object, key)))
        return VT_OK;
    return json_get_string(doc, object, key, out, err);
}

vt_status json_copy_string(const json_doc *doc, const cJSON *object, const char *key, char **out, vt_err *err)
{
    const char *text = NULL;
    *out = NULL;
    vt_status status = json_get_string(doc, object, key, &text, err);
    if (status != VT_OK)
        return status;
    if ((*out = vt_strdup(text)) == NULL)
        return vt_err_set(err, VT_ENOMEM, doc->file, 0, 0, "out of memory");
    return VT_OK;
}

vt_status json_get_bool(const json_doc *doc, const cJSON *object, const char *key, int *out, vt_err *err)
{
    const cJSON *item = field(object, key);
    if (!cJSON_IsBool(item))
        return json_expected(doc, object, key, err, "true or false");
    *out = cJSON_IsTrue(item);
    return VT_OK;
}

vt_status json_opt_bool(const json_doc *doc, const cJSON *object, const char *key, int fallback, int *out,
                        vt_err *err)
{
    if (absent(field(object, key))) {
        *out = fallback;
        return VT_OK;
    }
    return json_get_bool(doc, object, key, out, err);
}

vt_status json_get_object(const json_doc *doc, const cJSON *object, const char *key, const cJSON **out, vt_err *err)
{
    const cJSON *item = field(object, key);
    if (!cJSON_IsObject(item))
        return json_expected(doc, object, key, err, "an object");
    *out = item;
    return VT_OK;
}

vt_status json_opt_object(const json_doc *doc, const cJSON *object, const char *key, const cJSON **out, vt_err *err)
{
    *out = NULL;
    if (absent(field(object, key)))
        return VT_OK;
    return json_get_object(doc, object, key, out, err);
}

vt_status json_get_array(const json_doc *doc, const cJSON *object, const char *key, size_t min, size_t max,
                         const cJSON **out, vt_err *err)
{
    const cJSON *item = field(object, key);
    if (!cJSON_IsArray(item))
        return json_expected(doc, object, key, err, "an array");
    size_t n = (size_t)cJSON_GetArraySize(item);
    if (n < min || n > max) {
        const char *bound = min == max ? "" : n < min ? "at least " : "at most ";
        size_t want = n < min ? min : max;
        return json_fail(doc, object, key, err, "expected %s%zu element%s, found %zu", bound, want, want == 1 ? "" : "s",
                         n);
    }
    *out = item;
    return VT_OK;
}

vt_status json_get_numbers(const json_doc *doc, const cJSON *object, const char *key, size_t n, double *out,
                           vt_err *err)
{
    const cJSON *array = NULL, *item;
    vt_status status = json_get_array(doc, object, key, n, n, &array, err);
    if (status != VT_OK)
        return status;
    size_t i = 0;
    cJSON_ArrayForEach(item, array) {
        if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
            return json_expected(doc, item, NULL, err, "a finite number");
        out[i++] = item->valuedouble;
    }
    return VT_OK;
}
