#include "bands.h"

#include <math.h>

#define BANDS_LEVELS 101 /* whole-number health 0..100 */

/* below[c]: rows whose rounded health is below c, for c = 0 .. 101. */
static void count_below(const double *health, size_t n, size_t below[BANDS_LEVELS + 1])
{
    size_t at[BANDS_LEVELS] = {0};
    for (size_t i = 0; i < n; i++) {
        long h = lround(health[i]);
        at[h < 0 ? 0 : h > 100 ? 100 : h]++;
    }
    below[0] = 0;
    for (int c = 0; c < BANDS_LEVELS; c++)
        below[c + 1] = below[c] + at[c];
}

/* The cut-off in [low, high] whose share below is nearest want; the lowest on ties. */
static int nearest_cutoff(const size_t *below, size_t n, int low, int high, double want)
{
    int best = low;
    for (int c = low + 1; c <= high; c++)
        if (fabs((double)below[c] / (double)n - want) < fabs((double)below[best] / (double)n - want))
            best = c;
    return best;
}

vt_status bands_from_shares(const double *health, size_t n, double red_share, double yellow_share,
                            double *red_below, double *yellow_below, vt_err *err)
{
    if (!(red_share > 0 && red_share < 1 && yellow_share > 0 && yellow_share < 1 && red_share + yellow_share < 1))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "the red and yellow shares must each be between 0 and 1, and sum below 1");
    if (n == 0)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "no rows to set the bands from");
    size_t below[BANDS_LEVELS + 1];
    count_below(health, n, below);
    int red = nearest_cutoff(below, n, 1, 99, red_share);
    *red_below = red;
    *yellow_below = nearest_cutoff(below, n, red + 1, 100, red_share + yellow_share);
    return VT_OK;
}

void bands_shares(const double *health, size_t n, double red_below, double yellow_below, double *red_share,
                  double *yellow_share)
{
    size_t red = 0, yellow = 0;
    for (size_t i = 0; i < n; i++) {
        double h = (double)lround(health[i]);
        red += h < red_below;
        yellow += h >= red_below && h < yellow_below;
    }
    *red_share = n ? (double)red / (double)n : 0;
    *yellow_share = n ? (double)yellow / (double)n : 0;
}
