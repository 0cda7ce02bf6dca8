/* vt_quote: data echoed in errors stays on one line and cannot drive the
 * terminal (issue 9). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "vt.h"

static void expect_quoted(const char *text, size_t len, const char *expected)
{
    char buf[VT_QUOTE_SIZE];
    const char *shown = vt_quote(buf, sizeof buf, text, len);
    assert_ptr_equal(shown, buf);
    if (strcmp(shown, expected) != 0)
        fail_msg("quoted as '%s', expected '%s'", shown, expected);
}

static void quote_should_escape_control_bytes(void **state)
{
    (void)state;
    expect_quoted("1\n2", 3, "1\\n2");
    expect_quoted("a\r\nb\tc", 6, "a\\r\\nb\\tc");
    expect_quoted("\033[31mred", 8, "\\x1B[31mred");
    expect_quoted("nul\0x", 5, "nul\\x00x");
    expect_quoted("del\x7f", 4, "del\\x7F");
    expect_quoted("csi\xc2\x9b" "31m", 8, "csi\\xC2\\x9B31m"); /* U+009B, the one-byte CSI */
    expect_quoted("back\\slash", 10, "back\\slash");
    expect_quoted("", 0, "");
}

static void quote_should_keep_utf8_and_escape_invalid_bytes(void **state)
{
    (void)state;
    expect_quoted("Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80", 16, "Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80");
    expect_quoted("caf\xe9", 4, "caf\\xE9");                   /* Latin-1 */
    expect_quoted("\xc0\xaf", 2, "\\xC0\\xAF");                /* overlong '/' */
    expect_quoted("\xed\xa0\x80", 3, "\\xED\\xA0\\x80");       /* a surrogate */
    expect_quoted("\xe2\x82", 2, "\\xE2\\x82");                /* cut short */
    expect_quoted("\xf4\x90\x80\x80", 4, "\\xF4\\x90\\x80\\x80"); /* past U+10FFFF */
    expect_quoted("\xff" "a", 2, "\\xFFa");
}

static void quote_should_cut_long_text_at_a_character(void **state)
{
    (void)state;
    char text[200], expected[200];
    memset(text, 'x', sizeof text);
    memset(expected, 'x', VT_QUOTE_BYTES);
    strcpy(expected + VT_QUOTE_BYTES, "...");
    expect_quoted(text, sizeof text, expected);
    char exact[VT_QUOTE_BYTES + 1];
    memcpy(exact, expected, VT_QUOTE_BYTES);
    exact[VT_QUOTE_BYTES] = '\0';
    expect_quoted(text, VT_QUOTE_BYTES, exact); /* exactly the limit: nothing cut */
    /* a two-byte character straddling the cut is kept whole */
    memcpy(text + VT_QUOTE_BYTES - 1, "\xc3\xa9", 2);
    memcpy(expected + VT_QUOTE_BYTES - 1, "\xc3\xa9...", 6);
    expect_quoted(text, sizeof text, expected);
    /* the worst case, every byte escaped, fits VT_QUOTE_SIZE */
    memset(text, 0x01, sizeof text);
    char buf[VT_QUOTE_SIZE];
    vt_quote(buf, sizeof buf, text, sizeof text);
    assert_int_equal(strlen(buf), 4 * VT_QUOTE_BYTES + 3);
    /* a small buffer: cut at a whole escape, still terminated */
    char small[10];
    vt_quote(small, sizeof small, "\033\033\033\033", 4);
    assert_string_equal(small, "\\x1B...");
    vt_quote(small, sizeof small, "abcdefghijkl", 12);
    assert_string_equal(small, "abcdef...");
    vt_quote(small, sizeof small, "abcdef", 6);
    assert_string_equal(small, "abcdef");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quote_should_escape_control_bytes),
        cmocka_unit_test(quote_should_keep_utf8_and_escape_invalid_bytes),
        cmocka_unit_test(quote_should_cut_long_text_at_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
