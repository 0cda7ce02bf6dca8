#include "outcomes.h"

#include <string.h>

int outcomes_weighted(const outcomes *o)
{
    return o->weight >= 0 || o->balance;
}

vt_status outcomes_add(outcomes *o, const table *data, const unsigned char *row_used, vt_err *err)
{
    const table_column *weight = o->weight >= 0 ? &data->columns[o->weight] : NULL;
    for (size_t r = 0; r < data->n_rows; r++) {
        if (!row_used[r])
            continue;
        o->n_used++;
        for (size_t k = 0; k < o->n_targets; k++)
            o->events[k] += data->columns[o->label[k]].values[r] == 1.0;
        if (weight == NULL)
            continue;
        double value = weight->values[r];
        if (!(value >= 0))
            return vt_err_set(err, VT_EDATA, data->path, data->lines[r], weight->csv_index + 1,
                              "--weight: %g is negative", value);
        o->weight_total += value;
    }
    return VT_OK;
}

vt_status outcomes_check(const outcomes *o, const table *layout, vt_err *err)
{
    for (size_t k = 0; k < o->n_targets; k++) {
        const table_column *label = &layout->columns[o->label[k]];
        if (o->events[k] == 0 || o->events[k] == o->n_used)
            return vt_err_set(err, VT_EDATA, layout->path, 0, label->csv_index + 1,
                              "label column '%s' has a single class (all %d) in the %zu rows used; "
                              "a model needs both outcomes", label->name, o->events[k] ? 1 : 0, o->n_used);
    }
    if (o->weight >= 0 && !(o->weight_total > 0))
        return vt_err_set(err, VT_EDATA, layout->path, 0, 0, "--weight: every weight is 0");
    return VT_OK;
}

void outcomes_fill(const outcomes *o, const table *data, const unsigned char *row_used, size_t k, size_t first,
                   size_t count, double *y, double *prior)
{
    const double *label = data->columns[o->label[k]].values;
    const double *weight = o->weight >= 0 ? data->columns[o->weight].values : NULL;
    size_t class_rows[2] = {o->n_used - o->events[k], o->events[k]};
    for (size_t r = 0, used = 0, i = 0; r < data->n_rows && i < count; r++) {
        if (!row_used[r] || used++ < first)
            continue;
        y[i] = label[r];
        if (prior) {
            double value = weight ? weight[r] : 1.0;
            if (o->balance)
                value *= (double)o->n_used / (2.0 * (double)class_rows[label[r] == 1.0]);
            prior[i] = value;
        }
        i++;
    }
}
