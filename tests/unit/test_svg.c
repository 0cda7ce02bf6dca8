/* svg: data text is escaped to well-formed XML, ticks are round numbers
 * that cover the data, thinned labels never overlap, spread labels keep
 * their gap, and every mark carries its <title>. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

#define assert_double_equal(a, b, tolerance) assert_true(fabs((double)(a) - (double)(b)) <= (tolerance))

static const char *escaped(markup *m, const char *text, size_t max_chars)
{
    text_free(m);
    markup_escape(m, text, max_chars);
    assert_false(m->failed);
    return m->data ? m->data : "";
}

static void escape_should_make_hostile_text_inert(void **state)
{
    (void)state;
    markup m = {0};
    assert_string_equal(escaped(&m, "<script>alert(1)</script>", 0), "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_string_equal(escaped(&m, "a&b \"c\" 'd'", 0), "a&amp;b &quot;c&quot; &#39;d&#39;");
    /* Control bytes and invalid UTF-8 (a lone continuation byte, an overlong
     * '<', a surrogate) become U+FFFD: XML 1.0 forbids them. */
    assert_string_equal(escaped(&m, "x\x01y\x80z", 0), "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
    assert_string_equal(escaped(&m, "\xC0\xBC", 0), "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(escaped(&m, "\xED\xA0\x80", 0), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(escaped(&m, "caf\xC3\xA9\ttab", 0), "caf\xC3\xA9\ttab");
    /* Cutting counts characters, never splits one, and ends in an ellipsis. */
    assert_string_equal(escaped(&m, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3), "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
    assert_string_equal(escaped(&m, "abc", 3), "abc");
    assert_int_equal(svg_text_chars("\xC3\xA9t\xC3\xA9"), 3);
    text_free(&m);
}

static void nice_ticks_should_be_round_and_cover_the_data(void **state)
{
    (void)state;
    double ticks[SVG_MAX_TICKS];
    double lo = 0.013, hi = 0.87;
    size_t n = svg_nice_ticks(&lo, &hi, 5, ticks);
    assert_true(lo <= 0.013 && hi >= 0.87);
    assert_double_equal(lo, 0, 0);
    assert_double_equal(hi, 1, 1e-12);
    assert_int_equal(n, 6); /* 0, 0.2, ..., 1 */
    assert_double_equal(ticks[1], 0.2, 1e-12);
    lo = -37, hi = 1234;
    n = svg_nice_ticks(&lo, &hi, 6, ticks);
    assert_true(lo <= -37 && hi >= 1234 && n >= 4 && n <= 10);
    for (size_t i = 0; i < n; i++) {
        double step = ticks[1] - ticks[0], k = ticks[i] / step;
        assert_double_equal(k, round(k), 1e-9); /* multiples of the step */
    }
    assert_true(ticks[1] - ticks[0] == 200 || ticks[1] - ticks[0] == 500);
    lo = hi = 3; /* one value */
    n = svg_nice_ticks(&lo, &hi, 5, ticks);
    assert_true(lo < 3 && hi > 3 && n >= 2);
}

static void log_ticks_should_be_one_two_five(void **state)
{
    (void)state;
    double ticks[SVG_MAX_TICKS];
    double lo = 0.31, hi = 4.2;
    size_t n = svg_log_ticks(&lo, &hi, 12, ticks);
    assert_double_equal(lo, 0.2, 1e-12);
    assert_double_equal(hi, 5, 1e-12);
    double want[] = {0.2, 0.5, 1, 2, 5};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_double_equal(ticks[i], want[i], 1e-12);
    lo = 1e-4, hi = 1e4; /* too many 1-2-5 ticks: powers of ten */
    n = svg_log_ticks(&lo, &hi, 10, ticks);
    assert_true(n >= 2 && n <= 10);
    for (size_t i = 0; i < n; i++)
        assert_double_equal(log10(ticks[i]), round(log10(ticks[i])), 1e-9);
}

static void spread_should_keep_the_gap_and_the_order(void **state)
{
    (void)state;
    double at[] = {50, 49, 51, 200, 10};
    svg_spread(at, 5, 12, 0, 100);
    double sorted[] = {at[4], at[1], at[0], at[2], at[3]}; /* the input order by position */
    for (int i = 1; i < 5; i++)
        assert_true(sorted[i] - sorted[i - 1] >= 12 - 1e-9);
    assert_true(at[3] <= 100 && at[4] >= 0);
}

/* Count occurrences of needle in hay. */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *at = hay; (at = strstr(at, needle)) != NULL; at++)
        n++;
    return n;
}

static void marks_should_carry_titles_and_labels_should_not_overlap(void **state)
{
    (void)state;
    markup m = {0};
    svg_plot p;
    svg_begin(&p, &m, "c1", "a <chart>", 200, 200, 40, 10, 10, 40);
    p.x = (svg_scale){0, 1000000, 0, SVG_NUMBER};
    p.y = (svg_scale){0, 1, 0, SVG_PERCENT};
    svg_axis_x(&p, "x & y", 20); /* 20 ticks' labels cannot fit in 150 px */
    svg_axis_y(&p, "share", 20);
    double x[] = {0, 500000, 1000000}, y[] = {0, 0.5, 1};
    svg_path(&p, x, y, 3, SVG_BLUE, 2, NULL, "model <b>");
    svg_dot(&p, 1, 0.5, 3, SVG_ORANGE, "dot");
    svg_end(&p);
    assert_false(m.failed);
    const char *text = m.data;
    assert_non_null(strstr(text, "<title id=\"c1-title\">a &lt;chart&gt;</title>"));
    assert_non_null(strstr(text, "<title>model &lt;b&gt;</title></path>"));
    assert_non_null(strstr(text, "<title>dot</title></circle>"));
    assert_non_null(strstr(text, ">x &amp; y</text>"));
    assert_non_null(strstr(text, ">100%</text>"));
    /* x labels: kept ones are at least their half-widths apart. */
    double last = -1e9, last_half = 0;
    size_t labels = 0;
    for (const char *at = text; (at = strstr(at, "text-anchor=\"middle\">")) != NULL; at++) {
        const char *x_at = at;
        while (x_at > text && strncmp(x_at, "x=\"", 3) != 0)
            x_at--;
        double xv = atof(x_at + 3);
        const char *end = strchr(at, '<');
        size_t len = (size_t)(end - at) - strlen("text-anchor=\"middle\">");
        if (strncmp(x_at - strlen("class=\"label\" "), "class=\"label\"", 13) == 0)
            continue; /* the axis label */
        double half = SVG_CHAR_WIDTH * (double)len / 2;
        assert_true(xv - last >= last_half + half);
        last = xv;
        last_half = half;
        labels++;
    }
    assert_true(labels >= 2 && labels < count(text, "class=\"grid\""));
    text_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_should_make_hostile_text_inert),
        cmocka_unit_test(nice_ticks_should_be_round_and_cover_the_data),
        cmocka_unit_test(log_ticks_should_be_one_two_five),
        cmocka_unit_test(spread_should_keep_the_gap_and_the_order),
        cmocka_unit_test(marks_should_carry_titles_and_labels_should_not_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
