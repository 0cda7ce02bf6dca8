#include "svg.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt.h"

const char *const svg_bucket_colours[3] = {SVG_VERMILION, SVG_ORANGE, SVG_GREEN};

static size_t utf8_length(const unsigned char *s);
static void tick_label(const svg_scale *scale, double value, double step, char *text, size_t size);
static size_t scale_ticks(svg_scale *scale, size_t target, double *ticks, double *step);

/* ------------------------------------------------------------ markup */



/* Bytes of the valid UTF-8 character at s (RFC 3629: no overlongs, no
 * surrogates, at most U+10FFFF), or 0 if s does not start one. */
static size_t utf8_length(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((n == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (n == 3 && s[0] == 0xED && s[1] >= 0xA0) ||
        (n == 4 && s[0] == 0xF0 && s[1] < 0x90) || (n == 4 && s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

size_t svg_text_chars(const char *text)
{
    size_t chars = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; chars++) {
        size_t n = utf8_length(s);
        s += n ? n : 1;
    }
    return chars;
}

void markup_escape(markup *m, const char *text, size_t max_chars)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    size_t chars = 0, total = max_chars ? svg_text_chars(text) : 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; chars++) {
        if (max_chars && total > max_chars && chars + 1 == max_chars) {
            text_put(m, "\xE2\x80\xA6", 3); /* the ellipsis ends a cut text */
            return;
        }
        size_t n = utf8_length(s);
        switch (n ? *s : 0) {
        case '&': text_put(m, "&amp;", 5); break;
        case '<': text_put(m, "&lt;", 4); break;
        case '>': text_put(m, "&gt;", 4); break;
        case '"': text_put(m, "&quot;", 6); break;
        case '\'': text_put(m, "&#39;", 5); break;
        default:
            /* XML 1.0 allows no control characters but tab and newlines. */
            if (n == 0 || (*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r') || *s == 0x7F)
                text_put(m, replacement, 3);
            else
                text_put(m, (const char *)s, n);
        }
        s += n ? n : 1;
    }
}


/* ------------------------------------------------------------ ticks */

/* The nice number (1, 2, 5 x 10^k) near x: rounded, or the one at or above. */
static double nice_number(double x, int round)
{
    double power = pow(10, floor(log10(x))), fraction = x / power, nice;
    if (round)
        nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    else
        nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * power;
}

size_t svg_nice_ticks(double *lo, double *hi, size_t target, double *ticks)
{
    if (!(*hi > *lo)) { /* one value (or none): a unit around it */
        double pad = *lo != 0 && isfinite(*lo) ? fabs(*lo) / 2 : 1;
        *lo = isfinite(*lo) ? *lo - pad : 0;
        *hi = *lo + 2 * pad;
    }
    if (target < 2)
        target = 2;
    double step = nice_number(nice_number(*hi - *lo, 0) / (double)(target - 1), 1);
    double first = floor(*lo / step) * step, last = ceil(*hi / step) * step;
    size_t n = 0;
    for (double v = first; v <= last + step / 2 && n < SVG_MAX_TICKS; v += step)
        ticks[n++] = fabs(v) < step * 1e-9 ? 0 : v; /* no "-0" */
    *lo = first;
    *hi = ticks[n - 1];
    return n;
}

size_t svg_log_ticks(double *lo, double *hi, size_t max_ticks, double *ticks)
{
    static const double mantissas[] = {1, 2, 5};
    if (!(*lo > 0) || !(*hi > *lo)) {
        *lo = *lo > 0 ? *lo / 2 : 0.5;
        *hi = *lo * 4;
    }
    double low_power = floor(log10(*lo)), high_power = ceil(log10(*hi));
    /* Widen to the 1-2-5 values just outside. */
    double new_lo = pow(10, low_power), new_hi = pow(10, high_power);
    for (int i = 2; i >= 0; i--)
        if (mantissas[i] * pow(10, low_power) <= *lo * (1 + 1e-12)) {
            new_lo = mantissas[i] * pow(10, low_power);
            break;
        }
    for (int i = 0; i < 3; i++)
        if (mantissas[i] * pow(10, high_power - 1) >= *hi * (1 - 1e-12)) {
            new_hi = mantissas[i] * pow(10, high_power - 1);
            break;
        }
    *lo = new_lo;
    *hi = new_hi;
    if (max_ticks > SVG_MAX_TICKS)
        max_ticks = SVG_MAX_TICKS;
    for (int every = 0; every < 64; every++) { /* 0: 1-2-5; then powers of ten, every `every`th */
        size_t n = 0;
        for (double power = low_power; power <= high_power && n <= max_ticks; power++)
            for (int i = 0; i < (every ? 1 : 3); i++) {
                double v = mantissas[i] * pow(10, power);
                if (v >= *lo * (1 - 1e-12) && v <= *hi * (1 + 1e-12) && n <= max_ticks &&
                    (!every || (long)(power - low_power) % every == 0))
                    ticks[n++] = v;
            }
        if (n <= max_ticks && n >= 2)
            return n;
        if (n < 2 && every == 0) { /* within one 1-2-5 step: the ends */
            ticks[0] = *lo;
            ticks[1] = *hi;
            return 2;
        }
    }
    ticks[0] = *lo;
    ticks[1] = *hi;
    return 2;
}

void svg_spread(double *positions, size_t n, double gap, double lo, double hi)
{
    size_t order[SVG_MAX_TICKS];
    if (n > SVG_MAX_TICKS)
        n = SVG_MAX_TICKS;
    for (size_t i = 0; i < n; i++) { /* insertion sort of the indices by position */
        size_t j = i;
        while (j > 0 && positions[order[j - 1]] > positions[i]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t k = 0; k < n; k++) { /* push down from the top... */
        double floor_at = k ? positions[order[k - 1]] + gap : lo;
        if (positions[order[k]] < floor_at)
            positions[order[k]] = floor_at;
    }
    for (size_t k = n; k-- > 0;) { /* ...then up from the bottom where that ran past hi */
        double ceiling = k + 1 < n ? positions[order[k + 1]] - gap : hi;
        if (positions[order[k]] > ceiling)
            positions[order[k]] = ceiling;
    }
}

/* ------------------------------------------------------------ plots */

void svg_begin(svg_plot *p, markup *out, const char *id, const char *title, double width, double height,
               double left, double right, double top, double bottom)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->width = width;
    p->height = height;
    p->left = left;
    p->top = top;
    p->plot_w = width - left - right;
    p->plot_h = height - top - bottom;
    p->x = (svg_scale){0, 1, 0, SVG_NUMBER};
    p->y = p->x;
    text_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" viewBox=\"0 0 %.0f %.0f\" "
                       "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-labelledby=\"%s-title\"><title id=\"%s-title\">",
                  id, width, height, width, height, id, id);
    markup_escape(out, title, 0);
    text_printf(out, "</title>\n");
}

void svg_end(svg_plot *p)
{
    text_printf(p->out, "</svg>\n");
}

static double scale_fraction(const svg_scale *s, double v)
{
    if (s->log) {
        double floor_at = s->lo > 0 ? s->lo : DBL_MIN;
        return (log(fmax(v, floor_at)) - log(floor_at)) / (log(s->hi) - log(floor_at));
    }
    return (v - s->lo) / (s->hi - s->lo);
}

double svg_px(const svg_plot *p, double x)
{
    return p->left + p->plot_w * scale_fraction(&p->x, x);
}

double svg_py(const svg_plot *p, double y)
{
    return p->top + p->plot_h * (1 - scale_fraction(&p->y, y));
}

/* A tick's label: as many decimals as the step needs; percent scales x 100. */
static void tick_label(const svg_scale *scale, double value, double step, char *text, size_t size)
{
    double shown = scale->format == SVG_PERCENT ? 100 * value : value;
    double shown_step = scale->format == SVG_PERCENT ? 100 * step : step;
    int decimals = 0;
    if (scale->log)
        decimals = shown < 1 ? (int)ceil(-log10(shown) - 1e-9) : 0;
    else if (shown_step > 0)
        decimals = shown_step < 1 ? (int)ceil(-log10(shown_step) - 1e-9) : 0;
    if (decimals > 8)
        decimals = 8;
    /* Large round numbers as 20k, 1.5M: shorter labels, more of them fit. */
    const char *suffix = scale->format == SVG_PERCENT ? "%" : "";
    if (scale->format == SVG_NUMBER && fabs(scale->hi) >= 1e4 && fabs(shown) >= 1e3) {
        double unit = fabs(scale->hi) >= 1e6 && fabs(shown) >= 1e5 ? 1e6 : 1e3;
        shown /= unit;
        shown_step /= unit;
        if (scale->log) /* 1-2-5 x 10^k: the value's own digits (1k, not 1.0k) */
            decimals = shown < 1 ? (int)ceil(-log10(shown) - 1e-9) : 0;
        else
            decimals = shown_step < 1 && shown_step > 0 ? (int)ceil(-log10(shown_step) - 1e-9) : 0;
        suffix = unit == 1e6 ? "M" : "k";
    }
    snprintf(text, size, "%.*f%s", decimals, shown, suffix);
}

/* The ticks of a scale already widened: linear steps between lo and hi, or
 * the log ticks. */
static size_t scale_ticks(svg_scale *scale, size_t target, double *ticks, double *step)
{
    double lo = scale->lo, hi = scale->hi;
    size_t n = scale->log ? svg_log_ticks(&lo, &hi, target + 2, ticks) : svg_nice_ticks(&lo, &hi, target, ticks);
    *step = n > 1 ? ticks[1] - ticks[0] : 1;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) /* only the ticks inside a fixed range */
        if (ticks[i] >= scale->lo - 1e-12 * fabs(scale->hi - scale->lo) &&
            ticks[i] <= scale->hi + 1e-12 * fabs(scale->hi - scale->lo))
            ticks[kept++] = ticks[i];
    return kept;
}

/* Do the x labels of these ticks fit side by side, 6 px apart? */
static int x_labels_fit(const svg_plot *p, const double *ticks, size_t n, double step)
{
    double last_end = -1e9;
    for (size_t i = 0; i < n; i++) {
        char text[32];
        tick_label(&p->x, ticks[i], step, text, sizeof text);
        double x = svg_px(p, ticks[i]), half = SVG_CHAR_WIDTH * (double)strlen(text) / 2;
        if (x - half < last_end + 6)
            return 0;
        last_end = x + half;
    }
    return 1;
}

void svg_axis_x(svg_plot *p, const char *label, size_t target_ticks)
{
    double ticks[SVG_MAX_TICKS], step;
    size_t n = scale_ticks(&p->x, target_ticks, ticks, &step);
    /* Fewer, rounder ticks until the labels fit; then thin what still collides. */
    while (target_ticks > 2 && !x_labels_fit(p, ticks, n, step))
        n = scale_ticks(&p->x, --target_ticks, ticks, &step);
    double bottom = p->top + p->plot_h, last_end = -1e9;
    text_printf(p->out, "<g class=\"axis\">");
    for (size_t i = 0; i < n; i++) {
        double x = svg_px(p, ticks[i]);
        char text[32];
        tick_label(&p->x, ticks[i], step, text, sizeof text);
        text_printf(p->out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, p->top, x,
                      bottom);
        double half = SVG_CHAR_WIDTH * (double)strlen(text) / 2;
        if (x - half < last_end + 6) /* would touch the last label: thinned */
            continue;
        last_end = x + half;
        text_printf(p->out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x, bottom + 15, text);
    }
    text_printf(p->out, "<line class=\"frame\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", p->left, bottom,
                  p->left + p->plot_w, bottom);
    text_printf(p->out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                  p->left + p->plot_w / 2, bottom + 32);
    markup_escape(p->out, label, 0);
    text_printf(p->out, "</text></g>\n");
}

void svg_axis_y(svg_plot *p, const char *label, size_t target_ticks)
{
    double ticks[SVG_MAX_TICKS], step;
    size_t n = scale_ticks(&p->y, target_ticks, ticks, &step);
    /* Fewer, rounder ticks until the labels are 14 px apart. */
    while (target_ticks > 2 && n > 1 && fabs(svg_py(p, ticks[0]) - svg_py(p, ticks[1])) < 14)
        n = scale_ticks(&p->y, --target_ticks, ticks, &step);
    double last_top = 1e9;
    text_printf(p->out, "<g class=\"axis\">");
    for (size_t i = 0; i < n; i++) {
        double y = svg_py(p, ticks[i]);
        char text[32];
        tick_label(&p->y, ticks[i], step, text, sizeof text);
        text_printf(p->out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", p->left, y,
                      p->left + p->plot_w, y);
        if (y + 6 > last_top - 4) /* would touch the label above... below: thinned */
            continue;
        last_top = y - 6;
        text_printf(p->out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", p->left - 5, y + 4, text);
    }
    text_printf(p->out, "<line class=\"frame\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", p->left, p->top,
                  p->left, p->top + p->plot_h);
    double x = 14, y = p->top + p->plot_h / 2;
    text_printf(p->out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">",
                  x, y, x, y);
    markup_escape(p->out, label, 0);
    text_printf(p->out, "</text></g>\n");
}

static void stroke_style(markup *out, const char *colour, double stroke, const char *dash)
{
    text_printf(out, " fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"", colour, stroke);
    if (dash)
        text_printf(out, " stroke-dasharray=\"%s\"", dash);
}

/* Close a mark: with a <title> child, or empty. */
static void close_mark(markup *out, const char *element, const char *title)
{
    if (title == NULL) {
        text_printf(out, "/>\n");
        return;
    }
    text_printf(out, "><title>");
    markup_escape(out, title, 0);
    text_printf(out, "</title></%s>\n", element);
}

void svg_line(svg_plot *p, double x0, double y0, double x1, double y1, const char *colour, double stroke,
              const char *dash, const char *title)
{
    text_printf(p->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", svg_px(p, x0), svg_py(p, y0),
                  svg_px(p, x1), svg_py(p, y1));
    stroke_style(p->out, colour, stroke, dash);
    close_mark(p->out, "line", title);
}

void svg_path(svg_plot *p, const double *x, const double *y, size_t n, const char *colour, double stroke,
              const char *dash, const char *title)
{
    if (n == 0)
        return;
    text_printf(p->out, "<path d=\"");
    for (size_t i = 0; i < n; i++)
        text_printf(p->out, "%c%.1f %.1f", i ? 'L' : 'M', svg_px(p, x[i]), svg_py(p, y[i]));
    text_printf(p->out, "\"");
    stroke_style(p->out, colour, stroke, dash);
    text_printf(p->out, " stroke-linejoin=\"round\"");
    close_mark(p->out, "path", title);
}

void svg_area(svg_plot *p, const double *x, const double *low, const double *high, size_t n, const char *colour,
              double opacity, const char *title)
{
    if (n == 0)
        return;
    text_printf(p->out, "<path d=\"");
    for (size_t i = 0; i < n; i++)
        text_printf(p->out, "%c%.1f %.1f", i ? 'L' : 'M', svg_px(p, x[i]), svg_py(p, high[i]));
    for (size_t i = n; i-- > 0;)
        text_printf(p->out, "L%.1f %.1f", svg_px(p, x[i]), svg_py(p, low[i]));
    text_printf(p->out, "Z\" fill=\"%s\" fill-opacity=\"%.2f\" stroke=\"none\"", colour, opacity);
    close_mark(p->out, "path", title);
}

void svg_dot(svg_plot *p, double x, double y, double radius, const char *colour, const char *title)
{
    text_printf(p->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"", svg_px(p, x), svg_py(p, y), radius,
                  colour);
    close_mark(p->out, "circle", title);
}

void svg_circle(svg_plot *p, double x, double y, double radius, const char *fill, double fill_opacity,
                const char *stroke, const char *title)
{
    text_printf(p->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\" stroke=\"%s\" "
                        "stroke-width=\"0.8\"",
                svg_px(p, x), svg_py(p, y), radius, fill, fill_opacity, stroke);
    close_mark(p->out, "circle", title);
}

void svg_rect(svg_plot *p, double x0, double y0, double x1, double y1, const char *fill, const char *title)
{
    double a = svg_px(p, x0), b = svg_px(p, x1), c = svg_py(p, y0), d = svg_py(p, y1);
    text_printf(p->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", fmin(a, b),
                  fmin(c, d), fabs(b - a), fabs(d - c), fill);
    close_mark(p->out, "rect", title);
}

void svg_text(svg_plot *p, double px, double py, const char *anchor, const char *cls, const char *text,
              size_t max_chars)
{
    text_printf(p->out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", px, py, anchor);
    if (cls)
        text_printf(p->out, " class=\"%s\"", cls);
    text_printf(p->out, ">");
    markup_escape(p->out, text, max_chars);
    text_printf(p->out, "</text>");
}

void svg_legend(svg_plot *p, double px, double py, const char *const *labels, const char *const *colours,
                const char *const *dashes, size_t n)
{
    text_printf(p->out, "<g class=\"legend\">");
    for (size_t i = 0; i < n; i++) {
        text_printf(p->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", px, py - 4, px + 18, py - 4);
        stroke_style(p->out, colours[i], 3, dashes ? dashes[i] : NULL);
        text_printf(p->out, "/>");
        svg_text(p, px + 22, py, "start", NULL, labels[i], 0);
        px += 22 + SVG_CHAR_WIDTH * (double)svg_text_chars(labels[i]) + 16;
    }
    text_printf(p->out, "</g>\n");
}
