#include "inference.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

void inference_term(double estimate, double std_error, double level, double column_sd, term_inference *out)
{
    double z = gsl_cdf_ugaussian_Pinv((1.0 + level) / 2.0);
    out->low = estimate - z * std_error;
    out->high = estimate + z * std_error;
    out->odds_ratio = exp(estimate);
    out->odds_low = exp(out->low);
    out->odds_high = exp(out->high);
    out->standardised = estimate * column_sd;
}

double inference_mcfadden(const model_target *target)
{
    return target->null_deviance > 0 ? 1.0 - target->deviance / target->null_deviance : 0.0;
}

const char *inference_stars(double p)
{
    return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
}
