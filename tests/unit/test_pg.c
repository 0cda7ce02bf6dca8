/* pg and source: what needs no server.  The URI a message may show (no password in
 * either place libpq takes one), the query --table makes, and the errors
 * of a source that cannot connect.  Reading and writing through a real
 * PostgreSQL are the db cases (tests/db/cases/pg_*.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pg.h"
#include "source.h"

static void check_redact(const char *uri, const char *want)
{
    char *got = pg_redact(uri);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_redact(void **state)
{
    (void)state;
    check_redact("postgresql://u:secret@host:5432/db", "postgresql://u@host:5432/db");
    check_redact("postgres://u@host/db", "postgres://u@host/db");
    check_redact("postgresql://host/db?password=secret", "postgresql://host/db");
    check_redact("postgresql:///db?host=/tmp/x&password=secret&port=5",
                 "postgresql:///db?host=/tmp/x&port=5");
    check_redact("postgresql://u:a:b@h/db?sslmode=require&password=x", "postgresql://u@h/db?sslmode=require");
    check_redact("postgresql://", "postgresql://");
    /* as libpq reads it: the userinfo ends at the first '@' before any '/' */
    check_redact("postgresql://u:se?cret@host/db", "postgresql://u@host/db");
    check_redact("postgresql://u:p@ss@h/db", "postgresql://u@ss@h/db");
    check_redact("postgresql://h/db?sslpassword=key&sslmode=verify-full", "postgresql://h/db?sslmode=verify-full");
    check_redact("postgresql://h/db?pass%77ord=x&port=5", "postgresql://h/db?port=5");
    check_redact("postgresql://h/db?password", "postgresql://h/db");
    /* an @ after the authority (in the query) is not userinfo */
    check_redact("postgresql://h/db?options=a:b@c", "postgresql://h/db?options=a:b@c");
}

static void check_query(const char *name, const char *want)
{
    char *got = pg_table_query(name);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_table_query(void **state)
{
    (void)state;
    check_query("accounts", "SELECT * FROM \"accounts\"");
    check_query("crm.Accounts", "SELECT * FROM \"crm\".\"Accounts\"");
    check_query("a.b.c", "SELECT * FROM \"a\".\"b.c\"");
    check_query("odd \"name\"", "SELECT * FROM \"odd \"\"name\"\"\"");
    check_query(".x", "SELECT * FROM \".x\"");
}

static void test_uri(void **state)
{
    (void)state;
    assert_true(pg_is_uri("postgresql://h/db"));
    assert_true(pg_is_uri("postgres://h/db"));
    assert_false(pg_is_uri("postgresql:/h/db"));
    assert_false(pg_is_uri("accounts.csv"));
}

/* A refused connection: one line naming the redacted URI, no password. */
static void test_refused(void **state)
{
    (void)state;
    source *input = NULL;
    vt_err err = {0};
    assert_int_equal(source_open("postgresql://me:hunter2@/db?host=/nonexistent-vitals", "SELECT 1", &input, &err),
                     VT_EIO);
    assert_null(input);
    assert_string_equal(err.path, "postgresql://me@/db?host=/nonexistent-vitals");
    assert_non_null(strstr(err.msg, "cannot connect: "));
    assert_null(strstr(err.msg, "hunter2"));
    assert_null(strchr(err.msg, '\n'));
    /* a password with a '?' libpq takes whole, and a key's passphrase */
    assert_int_equal(source_open("postgresql://me:hun?ter2@/db?host=/nonexistent-vitals&sslpassword=opensesame",
                                 "SELECT 1", &input, &err),
                     VT_EIO);
    assert_null(strstr(err.path, "ter2"));
    assert_null(strstr(err.path, "opensesame"));
    assert_null(strstr(err.msg, "ter2"));
    /* another scheme is taken for a file, and still named without its password */
    assert_int_equal(source_open("postgressql://me:hunter2@h/db", NULL, &input, &err), VT_EIO);
    assert_string_equal(err.path, "postgressql://me@h/db");
    assert_int_equal(source_open("postgresql:///db", NULL, &input, &err), VT_EUSAGE);
    assert_int_equal(source_open("file.csv", "SELECT 1", &input, &err), VT_EUSAGE);
}

/* A file truncated while it is read, or rewritten to the same size, is
 * not reported whole: the end of the input is an error naming the file
 * (predict on a file cut to 60% mid-run exited 0 with 60% of the rows). */
static void test_file_changed_while_read(void **state)
{
    (void)state;
    char path[] = "/tmp/vitals-source-XXXXXX", bytes[4096];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(write(fd, "0123456789abcdef", 16), 16);
    source *input = NULL;
    vt_err err = {0};
    size_t got = 0;
    assert_int_equal(source_open(path, NULL, &input, &err), VT_OK);
    assert_int_equal(source_read(input, bytes, sizeof bytes, &got, &err), VT_OK);
    assert_int_equal(got, sizeof bytes);
    assert_int_equal(ftruncate(fd, 9600), 0); /* 60% */
    vt_status status = VT_OK;
    while (status == VT_OK && got == sizeof bytes)
        status = source_read(input, bytes, sizeof bytes, &got, &err);
    assert_int_equal(status, VT_EIO);
    assert_non_null(strstr(err.msg, "changed while it was read"));
    source_free(input);
    /* unchanged: read to its end without a word */
    assert_int_equal(source_open(path, NULL, &input, &err), VT_OK);
    do
        assert_int_equal(source_read(input, bytes, sizeof bytes, &got, &err), VT_OK);
    while (got == sizeof bytes);
    source_free(input);
    close(fd);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_table_query),
        cmocka_unit_test(test_uri),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_file_changed_while_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
