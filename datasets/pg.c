#include "pg.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"

/* What the reader wraps the query in: a newline before the closing
 * parenthesis, so a query ending in a -- comment does not eat it. */
#define COPY_OUT_PREFIX "COPY (\n"
#define COPY_OUT_SUFFIX "\n) TO STDOUT (FORMAT csv, HEADER)"
#define CONNECT_TIMEOUT "10"
#define LOAD_TABLE "pg_temp.vitals_load" /* the replace path's table, in our own temporary schema */

/* A connection, the name messages give it, and what they must not show. */
#define PG_MAX_SECRETS 8
typedef struct {
    PGconn *conn;
    char *name;                    /* the redacted URI */
    char *secret[PG_MAX_SECRETS];  /* passwords as the URI writes them and as libpq decoded them */
    size_t n_secrets;
} pg_link;

struct pg_reader {
    pg_link link;
    char *row;        /* the current COPY row (libpq's), row_pos bytes of it handed out */
    int row_len, row_pos;
    long lines;       /* physical lines received, the header's included */
    int at_end;
    unsigned char *boolean; /* n_fields: the column is typed BOOLEAN; NULL if unknown */
    size_t n_fields;
};

struct pg_writer {
    pg_link link;
    char *target;     /* quoted identifier */
    char *column_list; /* ("a", "b", ...) */
    char *definition; /* ("a" text, "b" integer, ...) */
    int swap;         /* replace an existing table at commit from LOAD_TABLE */
    pg_table_mode mode;
    /* what a table being replaced must hold, for the message refusing it */
    char *given;      /* the table's name as given */
    const char *remedy;
    char **columns;
    pg_type *types;
    size_t n;
};

int pg_is_uri(const char *text)
{
    return strncmp(text, "postgresql://", 13) == 0 || strncmp(text, "postgres://", 11) == 0;
}

/* ---- The URI's secrets: where they are written, and the URI without them. */

/* Where the URI writes secrets, read as libpq reads it: the userinfo ends
 * at the first '@' before any '/', its password after its first ':'
 * ([*pw_start, *pw_end), the ':' included; empty if none); the query
 * string starts at the first '?' after the userinfo. */
static void split_uri(const char *uri, size_t *pw_start, size_t *pw_end, const char **query)
{
    const char *rest = strstr(uri, "://") + 3;
    size_t head = strcspn(rest, "@/");
    const char *after = rest;
    *pw_start = *pw_end = 0;
    if (rest[head] == '@') {
        const char *colon = memchr(rest, ':', head);
        if (colon != NULL) {
            *pw_start = (size_t)(colon - uri);
            *pw_end = (size_t)(rest + head - uri);
        }
        after = rest + head + 1;
    }
    *query = strchr(after, '?');
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Is the query parameter p[0..len) password=... or sslpassword=... (its key
 * percent-decoded, as libpq decodes it)?  Then *value is where its value starts. */
static int is_secret_parameter(const char *p, size_t len, size_t *value)
{
    char key[16];
    size_t n = 0, i = 0;
    for (; i < len && p[i] != '=' && n + 1 < sizeof key; n++) {
        if (p[i] == '%' && i + 2 < len && hex_digit(p[i + 1]) >= 0 && hex_digit(p[i + 2]) >= 0) {
            key[n] = (char)(hex_digit(p[i + 1]) * 16 + hex_digit(p[i + 2]));
            i += 3;
        } else {
            key[n] = p[i++];
        }
    }
    key[n] = '\0';
    *value = i < len && p[i] == '=' ? i + 1 : len;
    return strcmp(key, "password") == 0 || strcmp(key, "sslpassword") == 0;
}

char *pg_redact(const char *uri)
{
    text out = {0};
    size_t pw_start, pw_end, value;
    const char *query;
    split_uri(uri, &pw_start, &pw_end, &query);
    size_t before_query = query ? (size_t)(query - uri) : strlen(uri);
    text_put(&out, uri, pw_start);
    text_put(&out, uri + pw_end, before_query - pw_end);
    char separator = '?';
    for (const char *p = query ? query + 1 : NULL; p != NULL && *p != '\0';) {
        size_t len = strcspn(p, "&");
        if (!is_secret_parameter(p, len, &value)) {
            text_put(&out, &separator, 1);
            text_put(&out, p, len);
            separator = '&';
        }
        p += len + (p[len] == '&');
    }
    return text_finish(&out);
}

static int add_secret(pg_link *link, const char *value, size_t len)
{
    if (len == 0 || link->n_secrets == PG_MAX_SECRETS)
        return 1;
    char *copy = vt_strndup(value, len);
    if (copy == NULL)
        return 0;
    link->secret[link->n_secrets++] = copy;
    return 1;
}

/* The secrets as the URI writes them (libpq's decoded ones are added at
 * connect).  0 if out of memory. */
static int find_secrets(pg_link *link, const char *uri)
{
    size_t pw_start, pw_end, value;
    const char *query;
    split_uri(uri, &pw_start, &pw_end, &query);
    if (pw_start < pw_end && !add_secret(link, uri + pw_start + 1, pw_end - pw_start - 1))
        return 0;
    for (const char *p = query ? query + 1 : NULL; p != NULL && *p != '\0';) {
        size_t len = strcspn(p, "&");
        if (is_secret_parameter(p, len, &value) && !add_secret(link, p + value, len - value))
            return 0;
        p += len + (p[len] == '&');
    }
    return 1;
}

/* ---- Messages: one line, no secret. */

/* message[0..len) with every secret replaced by "***"; NULL if out of memory. */
static char *scrubbed(const pg_link *link, const char *message, size_t len)
{
    text out = {0};
    for (size_t i = 0; i < len;) {
        size_t hit = 0;
        for (size_t s = 0; s < link->n_secrets && hit == 0; s++)
            if (strncmp(message + i, link->secret[s], strlen(link->secret[s])) == 0)
                hit = strlen(link->secret[s]);
        if (hit) {
            text_puts(&out, "***");
            i += hit;
        } else {
            text_put(&out, message + i++, 1);
        }
    }
    return text_finish(&out);
}

/* The name scrubbed too: a URI libpq reads otherwise than pg_redact does
 * still shows no secret.  0 if out of memory. */
static int scrub_name(pg_link *link)
{
    char *name = scrubbed(link, link->name, strlen(link->name));
    if (name == NULL)
        return 0;
    free(link->name);
    link->name = name;
    return 1;
}

/* text, trimmed and scrubbed, into out on one line: a server message can
 * hold a newline (a bad value's text, libpq's second line of a failed
 * connection), escaped as \n like other control bytes rather than cut. */
static void clean_message(const pg_link *link, const char *text, char *out, size_t size)
{
    size_t len = text ? strlen(text) : 0;
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\r' || text[len - 1] == '\t' || text[len - 1] == '\n'))
        len--;
    char *clean = scrubbed(link, text, len);
    const char *from = clean ? clean : "(out of memory)";
    size_t at = 0;
    for (const unsigned char *c = (const unsigned char *)from; *c && at + 5 < size; c++) {
        if (*c == '\n')
            at += (size_t)snprintf(out + at, size - at, "\\n");
        else if (*c == '\t')
            at += (size_t)snprintf(out + at, size - at, "\\t");
        else if (*c < 0x20 || *c == 0x7f)
            at += (size_t)snprintf(out + at, size - at, "\\x%02X", *c);
        else
            out[at++] = (char)*c;
    }
    out[at < size ? at : size - 1] = '\0';
    free(clean);
}

static vt_status link_error(const pg_link *link, long line, const char *what, const char *text, vt_err *err)
{
    char message[400];
    clean_message(link, text && *text ? text : "the connection was lost", message, sizeof message);
    return vt_err_set(err, VT_EIO, link->name, line, 0, "%s%s", what, message);
}

/* A failed result: the server's primary message, then where it happened
 * (the character of the query, or the COPY line of a bad value). */
static vt_status result_error(const pg_link *link, PGresult *result, long line, size_t query_prefix, vt_err *err)
{
    const char *primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (primary == NULL)
        primary = result && *PQresultErrorMessage(result) ? PQresultErrorMessage(result) : PQerrorMessage(link->conn);
    char message[400], context[200] = "";
    clean_message(link, primary, message, sizeof message);
    const char *position = result ? PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION) : NULL;
    const char *where = result ? PQresultErrorField(result, PG_DIAG_CONTEXT) : NULL;
    if (position != NULL && query_prefix > 0 && atol(position) > (long)query_prefix)
        snprintf(context, sizeof context, " (at character %ld of the query)", atol(position) - (long)query_prefix);
    else if (where != NULL && strncmp(where, "COPY ", 5) == 0) {
        char copy_context[160];
        clean_message(link, where, copy_context, sizeof copy_context);
        snprintf(context, sizeof context, " (%s)", copy_context);
    }
    PQclear(result);
    return vt_err_set(err, VT_EIO, link->name, line, 0, "%s%s", message, context);
}

/* ---- Connections */

static void ignore_notice(void *user, const char *message)
{
    (void)user;
    (void)message; /* the library never prints; a NOTICE is not an error */
}

static void link_close(pg_link *link)
{
    if (link->conn)
        PQfinish(link->conn);
    link->conn = NULL;
    free(link->name);
    for (size_t s = 0; s < link->n_secrets; s++)
        free(link->secret[s]);
}

/* A second '@' after the userinfo, before the host ends: libpq ends the
 * userinfo at the first '@', so postgresql://u:pa@ss@host/db would connect
 * as password "pa" to host "ss@host", and every message would show "ss". */
static int has_second_at(const char *uri)
{
    const char *rest = strstr(uri, "://");
    if (rest == NULL)
        return 0;
    rest += 3;
    size_t head = strcspn(rest, "@/");
    if (rest[head] != '@')
        return 0;
    const char *host = rest + head + 1;
    return memchr(host, '@', strcspn(host, "/?")) != NULL;
}

static vt_status link_open(pg_link *link, const char *uri, const char *application, vt_err *err)
{
    memset(link, 0, sizeof *link);
    /* Nothing of the URI is shown: which '@' ends the userinfo is unknown. */
    if (has_second_at(uri))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "a PostgreSQL URI with more than one '@' before its host: write an '@' of the user "
                          "name or password as %%40 (postgresql://user:p%%40ss@host/db)");
    if ((link->name = pg_redact(uri)) == NULL || !find_secrets(link, uri) || !scrub_name(link))
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    char *parse_error = NULL;
    PQconninfoOption *options = PQconninfoParse(uri, &parse_error);
    if (options == NULL) {
        vt_status status = parse_error ? link_error(link, 0, "not a valid PostgreSQL URI: ", parse_error, err)
                                       : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        PQfreemem(parse_error);
        return status;
    }
    int ok = 1;
    for (PQconninfoOption *o = options; o->keyword != NULL; o++)
        if ((strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "sslpassword") == 0) && o->val != NULL)
            ok &= add_secret(link, o->val, strlen(o->val));
    PQconninfoFree(options);
    if (!ok || !scrub_name(link))
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    /* Later keywords override earlier ones: the URI may set its own
     * timeout and name, but the encoding is ours. */
    const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding", NULL};
    const char *values[] = {CONNECT_TIMEOUT, application, uri, "UTF8", NULL};
    link->conn = PQconnectdbParams(keys, values, 1);
    if (link->conn == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (PQstatus(link->conn) != CONNECTION_OK)
        return link_error(link, 0, "cannot connect: ", PQerrorMessage(link->conn), err);
    PQsetNoticeProcessor(link->conn, ignore_notice, NULL);
    return VT_OK;
}

/* Run statements of our own (no user text) that return no rows. */
static vt_status link_exec(pg_link *link, const char *sql, vt_err *err)
{
    PGresult *result = PQexec(link->conn, sql);
    if (PQresultStatus(result) != PGRES_COMMAND_OK)
        return result_error(link, result, 0, 0, err);
    PQclear(result);
    return VT_OK;
}

/* ---- Identifiers */

static void put_identifier(text *out, const char *name, size_t len)
{
    text_puts(out, "\"");
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '"')
            text_puts(out, "\"");
        text_put(out, name + i, 1);
    }
    text_puts(out, "\"");
}

/* NAME as "schema"."table" (split at the first dot) or "table". */
static void put_table_name(text *out, const char *name)
{
    const char *dot = strchr(name, '.');
    if (dot != NULL && dot != name && dot[1] != '\0') {
        put_identifier(out, name, (size_t)(dot - name));
        text_puts(out, ".");
        name = dot + 1;
    }
    put_identifier(out, name, strlen(name));
}

char *pg_table_query(const char *name)
{
    text out = {0};
    text_puts(&out, "SELECT * FROM ");
    put_table_name(&out, name);
    return text_finish(&out);
}

/* ---- Source */

#define BOOLOID 16 /* pg_type.oid of boolean: a stable OID, as catalog/pg_type_d.h has it */

/* Which of the query's columns are BOOLEAN, from its description (the
 * COPY's CSV holds only text, 't' and 'f' for these).  Asked inside the
 * transaction, whose locks keep the types until the COPY has run; a query
 * the server cannot describe is rolled back to the savepoint taken before
 * and left for the COPY to report as it does any other. */
static vt_status describe_columns(pg_reader *reader, const char *query, vt_err *err)
{
    PGresult *result = PQprepare(reader->link.conn, "", query, 0, NULL);
    int ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok)
        return link_exec(&reader->link, "ROLLBACK TO SAVEPOINT vitals_describe", err);
    result = PQdescribePrepared(reader->link.conn, "");
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        PQclear(result);
        return VT_OK;
    }
    int n = PQnfields(result);
    vt_status status = VT_OK;
    if (n > 0 && (reader->boolean = vt_calloc((size_t)n, 1)) == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (int i = 0; status == VT_OK && i < n; i++)
        reader->boolean[i] = PQftype(result, i) == BOOLOID;
    reader->n_fields = reader->boolean ? (size_t)n : 0;
    PQclear(result);
    return status;
}

vt_status pg_reader_open(const char *uri, const char *query, pg_reader **out, vt_err *err)
{
    *out = NULL;
    pg_reader *reader = vt_calloc(1, sizeof *reader);
    if (reader == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t query_len = strlen(query);
    while (query_len > 0 && strchr(" \t\r\n;", query[query_len - 1]) != NULL)
        query_len--;
    text statement = {0};
    text_puts(&statement, COPY_OUT_PREFIX);
    text_put(&statement, query, query_len);
    text_puts(&statement, COPY_OUT_SUFFIX);
    char *sql = text_finish(&statement);
    char *bare = vt_strndup(query, query_len);
    vt_status status = sql && bare ? link_open(&reader->link, uri, "vitals reader", err)
                                   : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        status = link_exec(&reader->link,
                           "BEGIN TRANSACTION READ ONLY; SET LOCAL extra_float_digits = 3; "
                           "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL synchronize_seqscans = off; "
                           "SAVEPOINT vitals_describe",
                           err);
    if (status == VT_OK)
        status = describe_columns(reader, bare, err);
    free(bare);
    if (status == VT_OK) {
        /* PQexecParams: the extended protocol runs exactly one statement. */
        PGresult *result = PQexecParams(reader->link.conn, sql, 0, NULL, NULL, NULL, NULL, 0);
        if (PQresultStatus(result) != PGRES_COPY_OUT)
            status = result_error(&reader->link, result, 0, strlen(COPY_OUT_PREFIX), err);
        else
            PQclear(result);
    }
    free(sql);
    if (status != VT_OK) {
        pg_reader_free(reader);
        return status;
    }
    *out = reader;
    return VT_OK;
}

const char *pg_reader_name(const pg_reader *reader) { return reader->link.name; }

const unsigned char *pg_reader_booleans(const pg_reader *reader, size_t *n_fields)
{
    *n_fields = reader->n_fields;
    return reader->boolean;
}

/* The COPY has sent its last row: its result says whether the query ended well. */
static vt_status finish_copy_out(pg_reader *reader, vt_err *err)
{
    reader->at_end = 1;
    vt_status status = VT_OK;
    PGresult *result;
    while ((result = PQgetResult(reader->link.conn)) != NULL) {
        if (status == VT_OK && PQresultStatus(result) != PGRES_COMMAND_OK)
            status = result_error(&reader->link, result, reader->lines + 1, 0, err);
        else
            PQclear(result);
    }
    return status;
}

vt_status pg_reader_read(pg_reader *reader, char *bytes, size_t want, size_t *got, vt_err *err)
{
    size_t done = 0;
    while (done < want && !reader->at_end) {
        if (reader->row_pos == reader->row_len) {
            PQfreemem(reader->row);
            reader->row = NULL;
            reader->row_len = reader->row_pos = 0;
            int len = PQgetCopyData(reader->link.conn, &reader->row, 0);
            if (len == -1) {
                vt_status status = finish_copy_out(reader, err);
                if (status != VT_OK)
                    return status;
                break;
            }
            if (len < 0)
                return link_error(&reader->link, reader->lines + 1, "", PQerrorMessage(reader->link.conn), err);
            reader->row_len = len;
            for (int i = 0; i < len; i++)
                reader->lines += reader->row[i] == '\n';
        }
        size_t take = (size_t)(reader->row_len - reader->row_pos);
        if (take > want - done)
            take = want - done;
        memcpy(bytes + done, reader->row + reader->row_pos, take);
        reader->row_pos += (int)take;
        done += take;
    }
    *got = done;
    return VT_OK;
}

void pg_reader_free(pg_reader *reader)
{
    if (reader == NULL)
        return;
    PQfreemem(reader->row);
    link_close(&reader->link); /* an unfinished COPY ends with the connection */
    free(reader->boolean);
    free(reader);
}

/* ---- Sink */

static const char *sql_type(pg_type type)
{
    return type == PG_DOUBLE ? "double precision" : type == PG_INTEGER ? "integer" : "text";
}

/* Does the relation exist, and is it a table?  *kind: 0 none, 'r'/'p' a
 * table, another relkind otherwise.  An existing one's target becomes its
 * schema-qualified name, so no temporary table can stand in for it. */
static vt_status relation_kind(pg_writer *writer, char *kind, vt_err *err)
{
    const char *params[1] = {writer->target};
    PGresult *result = PQexecParams(writer->link.conn,
                                    "SELECT c.relkind, pg_catalog.quote_ident(n.nspname) || '.' || "
                                    "pg_catalog.quote_ident(c.relname) "
                                    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                    "WHERE c.oid = pg_catalog.to_regclass($1)",
                                    1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(result) != PGRES_TUPLES_OK)
        return result_error(&writer->link, result, 0, 0, err);
    *kind = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0)[0] : 0;
    char *qualified = *kind ? vt_strdup(PQgetvalue(result, 0, 1)) : NULL;
    PQclear(result);
    if (*kind && qualified == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (qualified) {
        free(writer->target);
        writer->target = qualified;
    }
    return VT_OK;
}

/* ("a", "b"), or with types ("a" text, "b" integer). */
static void put_columns(text *out, const char *const *columns, const pg_type *types, size_t n)
{
    text_puts(out, "(");
    for (size_t i = 0; i < n; i++) {
        if (i)
            text_puts(out, ", ");
        put_identifier(out, columns[i], strlen(columns[i]));
        if (types) {
            text_puts(out, " ");
            text_puts(out, sql_type(types[i]));
        }
    }
    text_puts(out, ")");
}

/* The existing table's columns, in order, against those written: the
 * first difference refuses it, naming the column and both types.  With
 * another column type the COPY or the INSERT would cast every score
 * (double precision to integer: 0 or 1), and commit. */
static vt_status check_columns(pg_writer *writer, vt_err *err)
{
    const char *params[1] = {writer->target};
    PGresult *result = PQexecParams(writer->link.conn,
                                    "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
                                    "FROM pg_catalog.pg_attribute a "
                                    "WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 "
                                    "AND NOT a.attisdropped ORDER BY a.attnum",
                                    1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(result) != PGRES_TUPLES_OK)
        return result_error(&writer->link, result, 0, 0, err);
    size_t n_have = (size_t)PQntuples(result);
    char table[VT_QUOTE_SIZE], have[VT_QUOTE_SIZE], have_type[VT_QUOTE_SIZE], want[VT_QUOTE_SIZE];
    vt_quote(table, sizeof table, writer->given, strlen(writer->given));
    vt_status status = VT_OK;
    for (size_t i = 0; status == VT_OK && (i < n_have || i < writer->n); i++) {
        const char *want_type = i < writer->n ? sql_type(writer->types[i]) : NULL;
        if (i < writer->n)
            vt_quote(want, sizeof want, writer->columns[i], strlen(writer->columns[i]));
        if (i < n_have) {
            const char *name = PQgetvalue(result, (int)i, 0), *type = PQgetvalue(result, (int)i, 1);
            vt_quote(have, sizeof have, name, strlen(name));
            vt_quote(have_type, sizeof have_type, type, strlen(type));
            if (i >= writer->n)
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                                    "--to-table %s: column %s (%s) is not one vitals writes (it writes %zu); %s",
                                    table, have, have_type, writer->n, writer->remedy);
            else if (strcmp(name, writer->columns[i]) != 0)
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                                    "--to-table %s: column %zu is %s, vitals writes %s there; %s", table, i + 1,
                                    have, want, writer->remedy);
            else if (strcmp(type, want_type) != 0)
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--to-table %s: column %s is %s, vitals writes %s; %s",
                                    table, have, have_type, want_type, writer->remedy);
        } else {
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--to-table %s: no column %s (%s), which vitals writes; %s",
                                table, want, want_type, writer->remedy);
        }
    }
    PQclear(result);
    return status;
}

static vt_status writer_prepare(pg_writer *writer, const char *table, vt_err *err)
{
    pg_table_mode mode = writer->mode;
    text name = {0}, list = {0}, definition = {0};
    put_table_name(&name, table);
    put_columns(&list, (const char *const *)writer->columns, NULL, writer->n);
    put_columns(&definition, (const char *const *)writer->columns, writer->types, writer->n);
    writer->target = text_finish(&name);
    writer->column_list = text_finish(&list);
    writer->definition = text_finish(&definition);
    if (writer->target == NULL || writer->column_list == NULL || writer->definition == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    vt_status status = link_exec(&writer->link, "BEGIN", err);
    char kind = 0;
    if (status == VT_OK)
        status = relation_kind(writer, &kind, err);
    if (status != VT_OK)
        return status;
    if (kind != 0 && kind != 'r' && kind != 'p')
        return vt_err_set(err, VT_EUSAGE, writer->link.name, 0, 0, "%s is not a table (a view or another relation); "
                          "it was left as it was", writer->target);
    if (kind != 0 && mode == PG_CREATE)
        return vt_err_set(err, VT_EUSAGE, writer->link.name, 0, 0,
                          "table %s exists; --replace empties and refills it (left as it was)", writer->target);
    /* Before any row is read: a table the scores would be cast into is refused now. */
    if (kind != 0 && mode == PG_REPLACE && (status = check_columns(writer, err)) != VT_OK)
        return status;
    writer->swap = kind != 0;
    text create = {0}, copy = {0};
    text_puts(&create, writer->swap ? "CREATE TEMPORARY TABLE " LOAD_TABLE " " : "CREATE TABLE ");
    if (!writer->swap) {
        text_puts(&create, writer->target);
        text_puts(&create, " ");
    }
    text_puts(&create, writer->definition);
    text_puts(&create, writer->swap ? " ON COMMIT DROP" : "");
    char *create_sql = text_finish(&create);
    text_puts(&copy, "COPY ");
    text_puts(&copy, writer->swap ? LOAD_TABLE : writer->target);
    text_puts(&copy, " ");
    text_puts(&copy, writer->column_list);
    text_puts(&copy, " FROM STDIN (FORMAT csv, HEADER)");
    char *copy_sql = text_finish(&copy);
    if (create_sql == NULL || copy_sql == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        status = link_exec(&writer->link, create_sql, err);
    if (status == VT_OK) {
        PGresult *result = PQexec(writer->link.conn, copy_sql);
        if (PQresultStatus(result) != PGRES_COPY_IN)
            status = result_error(&writer->link, result, 0, 0, err);
        else
            PQclear(result);
    }
    free(create_sql);
    free(copy_sql);
    return status;
}

/* The table as it should be, and the columns a replaced one must hold. */
static int writer_keep(pg_writer *writer, const char *table, const char *const *columns, const pg_type *types,
                       size_t n)
{
    if ((writer->given = vt_strdup(table)) == NULL || (writer->columns = vt_calloc(n ? n : 1, sizeof(char *))) == NULL ||
        (writer->types = vt_calloc(n ? n : 1, sizeof(pg_type))) == NULL)
        return 0;
    for (; writer->n < n; writer->n++) {
        if ((writer->columns[writer->n] = vt_strdup(columns[writer->n])) == NULL)
            return 0;
        writer->types[writer->n] = types[writer->n];
    }
    return 1;
}

vt_status pg_writer_open(const char *uri, const char *table, pg_table_mode mode, const char *remedy,
                         const char *const *columns, const pg_type *types, size_t n, pg_writer **out, vt_err *err)
{
    *out = NULL;
    pg_writer *writer = vt_calloc(1, sizeof *writer);
    if (writer == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    writer->mode = mode;
    writer->remedy = remedy ? remedy : "drop the table";
    vt_status status = writer_keep(writer, table, columns, types, n)
                           ? link_open(&writer->link, uri, "vitals writer", err)
                           : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        status = writer_prepare(writer, table, err);
    if (status != VT_OK) {
        pg_writer_abort(writer);
        return status;
    }
    *out = writer;
    return VT_OK;
}

vt_status pg_writer_write(pg_writer *writer, const char *bytes, size_t len, vt_err *err)
{
    while (len > 0) {
        int part = len > INT_MAX ? INT_MAX : (int)len;
        if (PQputCopyData(writer->link.conn, bytes, part) != 1)
            return link_error(&writer->link, 0, "", PQerrorMessage(writer->link.conn), err);
        bytes += part;
        len -= (size_t)part;
    }
    return VT_OK;
}

static vt_status finish_copy_in(pg_writer *writer, vt_err *err)
{
    if (PQputCopyEnd(writer->link.conn, NULL) != 1)
        return link_error(&writer->link, 0, "", PQerrorMessage(writer->link.conn), err);
    vt_status status = VT_OK;
    PGresult *result;
    while ((result = PQgetResult(writer->link.conn)) != NULL) {
        if (status == VT_OK && PQresultStatus(result) != PGRES_COMMAND_OK)
            status = result_error(&writer->link, result, 0, 0, err);
        else
            PQclear(result);
    }
    return status;
}

/* The scores, in LOAD_TABLE, into the existing table at commit: under its
 * lock (bounded: a session holding the table, an open transaction that read
 * it, fails the run after a minute instead of stalling it), replace checks
 * its columns again (one altered since the open is still refused) and
 * empties it; recreate drops it and creates it with the written columns. */
static vt_status swap_in(pg_writer *writer, vt_err *err)
{
    text lock = {0}, sql = {0};
    text_puts(&lock, "SET LOCAL lock_timeout = '60s'; LOCK TABLE ");
    text_puts(&lock, writer->target);
    text_puts(&lock, " IN ACCESS EXCLUSIVE MODE");
    if (writer->mode == PG_RECREATE) {
        text_puts(&sql, "DROP TABLE ");
        text_puts(&sql, writer->target);
        text_puts(&sql, "; CREATE TABLE ");
        text_puts(&sql, writer->target);
        text_puts(&sql, " ");
        text_puts(&sql, writer->definition);
    } else {
        text_puts(&sql, "TRUNCATE ");
        text_puts(&sql, writer->target);
    }
    text_puts(&sql, "; INSERT INTO ");
    text_puts(&sql, writer->target);
    text_puts(&sql, " ");
    text_puts(&sql, writer->column_list);
    text_puts(&sql, " SELECT ");
    text_put(&sql, writer->column_list + 1, strlen(writer->column_list) - 2); /* without the parentheses */
    text_puts(&sql, " FROM " LOAD_TABLE);
    char *lock_sql = text_finish(&lock), *swap_sql = text_finish(&sql);
    vt_status status = lock_sql && swap_sql ? link_exec(&writer->link, lock_sql, err)
                                            : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK && writer->mode == PG_REPLACE)
        status = check_columns(writer, err);
    if (status == VT_OK)
        status = link_exec(&writer->link, swap_sql, err);
    free(lock_sql);
    free(swap_sql);
    return status;
}

vt_status pg_writer_commit(pg_writer *writer, vt_err *err)
{
    vt_status status = finish_copy_in(writer, err);
    if (status == VT_OK && writer->swap)
        status = swap_in(writer, err);
    if (status == VT_OK)
        status = link_exec(&writer->link, "COMMIT", err);
    pg_writer_abort(writer); /* after COMMIT there is nothing left to roll back */
    return status;
}

void pg_writer_abort(pg_writer *writer)
{
    if (writer == NULL)
        return;
    /* Closing the connection rolls the open transaction back, COPY and all. */
    link_close(&writer->link);
    free(writer->target);
    free(writer->column_list);
    free(writer->definition);
    free(writer->given);
    for (size_t i = 0; writer->columns && i < writer->n; i++)
        free(writer->columns[i]);
    free(writer->columns);
    free(writer->types);
    free(writer);
}
