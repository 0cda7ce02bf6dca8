/* svg: charts drawn as inline SVG text, and the escaped markup writer they
 * share with the HTML around them.
 *
 * A markup is text being built in memory with a sticky out-of-memory flag:
 * writers append and never fail one by one; the caller checks `failed`
 * once at the end.  Every text that may come from data goes through
 * markup_escape, which writes XML-safe text (& < > " ' as references;
 * control bytes and invalid UTF-8 as U+FFFD), so a column named
 * "<script>" shows as text and the document stays well-formed XML.
 *
 * An svg_plot maps data to pixels over a plotting area inside margins, on
 * linear or log scales; the axes get round-number ("nice") ticks, 1-2-5
 * x 10^k (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990),
 * and tick labels that would overlap are thinned.  Marks carry a <title>
 * (hover text in a browser).  Colours are the Okabe-Ito palette, told
 * apart by people with any common colour-vision deficiency (Okabe & Ito,
 * "Color Universal Design", 2008).  Text widths are estimated (no font
 * metrics): SVG_CHAR_WIDTH per character at the 11 px labels.
 * Pure text building: nothing here prints or reads files. */
#ifndef SVG_H
#define SVG_H

#include <stddef.h>

#include "buf.h"

/* ------------------------------------------------------------ markup */

/* Markup is a text (buf.h): built with text_puts and text_printf, which
 * write it as given, or markup_escape; freed with text_free. */
typedef text markup;

/* Escaped text; at most max_chars characters (0: all), cut ones ending in
 * an ellipsis. */
void markup_escape(markup *m, const char *text, size_t max_chars);

/* Characters (UTF-8 code points) in text. */
size_t svg_text_chars(const char *text);

/* ------------------------------------------------------------ colours */

/* Okabe-Ito. */
#define SVG_ORANGE "#E69F00"
#define SVG_SKY "#56B4E9"
#define SVG_GREEN "#009E73"
#define SVG_YELLOW "#F0E442"
#define SVG_BLUE "#0072B2"
#define SVG_VERMILION "#D55E00"
#define SVG_PURPLE "#CC79A7"
#define SVG_GREY "#777777"
/* The health buckets (red, yellow, green, in bucket order): vermilion,
 * orange (the palette's yellow is too pale on white) and bluish green. */
extern const char *const svg_bucket_colours[3];

/* ------------------------------------------------------------ ticks */

#define SVG_MAX_TICKS 24
#define SVG_CHAR_WIDTH 6.8 /* px per character of an 11 px sans-serif label (DejaVu Sans, a wide one) */

/* Widen [*lo, *hi] to multiples of a nice step giving about `target`
 * intervals; ticks[] (SVG_MAX_TICKS) gets lo, lo + step, ..., hi.  Returns
 * the tick count.  lo == hi is widened around the value. */
size_t svg_nice_ticks(double *lo, double *hi, size_t target, double *ticks);

/* For a log axis over [*lo, *hi] (both > 0): widen to 1-2-5 x 10^k values
 * and return ticks at 1-2-5 x 10^k, or powers of ten when those would
 * exceed max_ticks (or every other power, ...). */
size_t svg_log_ticks(double *lo, double *hi, size_t max_ticks, double *ticks);

/* Move positions apart to at least gap, keeping their order and staying in
 * [lo, hi] where there is room: labels placed beside lines that end close
 * together.  n at most SVG_MAX_TICKS. */
void svg_spread(double *positions, size_t n, double gap, double lo, double hi);

/* ------------------------------------------------------------ plots */

typedef enum { SVG_NUMBER, SVG_PERCENT } svg_format;

typedef struct {
    double lo, hi;
    int log;
    svg_format format;
} svg_scale;

typedef struct {
    markup *out;
    double width, height;     /* the whole chart, in px (its viewBox) */
    double left, top, plot_w, plot_h; /* the plotting area */
    svg_scale x, y;
} svg_plot;

/* Open an <svg> of width x height px with the plotting area inside the
 * margins; title is the chart's accessible name (escaped). */
void svg_begin(svg_plot *p, markup *out, const char *id, const char *title, double width, double height,
               double left, double right, double top, double bottom);
void svg_end(svg_plot *p);

/* Pixel position of a data value (log scales clamp at their low end). */
double svg_px(const svg_plot *p, double x);
double svg_py(const svg_plot *p, double y);

/* Axes with ticks, grid lines and a label under (x) or beside (y) them.
 * The scale's lo and hi must already be set (widened by svg_nice_ticks or
 * svg_log_ticks, or fixed).  y_ticks 0: no y axis (rows of labels). */
void svg_axis_x(svg_plot *p, const char *label, size_t target_ticks);
void svg_axis_y(svg_plot *p, const char *label, size_t target_ticks);

/* Marks in data coordinates, each with its hover title (escaped; NULL for
 * none).  dash NULL: solid. */
void svg_line(svg_plot *p, double x0, double y0, double x1, double y1, const char *colour, double stroke,
              const char *dash, const char *title);
void svg_path(svg_plot *p, const double *x, const double *y, size_t n, const char *colour, double stroke,
              const char *dash, const char *title);
void svg_dot(svg_plot *p, double x, double y, double radius, const char *colour, const char *title);
/* A ring: a circle filled with fill at fill_opacity, outlined in stroke. */
void svg_circle(svg_plot *p, double x, double y, double radius, const char *fill, double fill_opacity,
                const char *stroke, const char *title);
/* The area between two curves over the same x (a band), filled with
 * colour at the given opacity. */
void svg_area(svg_plot *p, const double *x, const double *low, const double *high, size_t n, const char *colour,
              double opacity, const char *title);
void svg_rect(svg_plot *p, double x0, double y0, double x1, double y1, const char *fill, const char *title);

/* Text at a pixel position (escaped, cut to max_chars; 0: all);
 * anchor "start", "middle" or "end"; cls a CSS class or NULL. */
void svg_text(svg_plot *p, double px, double py, const char *anchor, const char *cls, const char *text,
              size_t max_chars);

/* A legend row of colour keys, left to right from (px, py). */
void svg_legend(svg_plot *p, double px, double py, const char *const *labels, const char *const *colours,
                const char *const *dashes, size_t n);

#endif
