#include "budget.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define N_KEYS ((size_t)1 << BUDGET_KEY_BITS)

typedef enum { PASS_COUNT, PASS_COLLECT } pass_kind;

struct budget {
    double share;
    pass_kind pass;
    uint64_t *histogram;   /* counting pass: risks per key */
    size_t n_rows;
    uint32_t key;          /* collecting pass: the key holding the k-th */
    size_t wanted, above;  /* k, and risks with a larger key */
    double *collected;
    size_t n_collected, cap_collected;
};

struct budget_tally {
    pass_kind pass;
    uint32_t key;
    uint32_t *histogram;
    double *collected;
    size_t n_collected, cap_collected;
};

static uint32_t risk_key(double risk)
{
    uint64_t bits;
    memcpy(&bits, &risk, sizeof bits);
    return (uint32_t)(bits >> (64 - BUDGET_KEY_BITS));
}

budget *budget_new(double share)
{
    budget *b = vt_calloc(1, sizeof *b);
    if (b == NULL || (b->histogram = vt_calloc(N_KEYS, sizeof(uint64_t))) == NULL) {
        free(b);
        return NULL;
    }
    b->share = share;
    return b;
}

void budget_free(budget *b)
{
    if (b == NULL)
        return;
    free(b->histogram);
    free(b->collected);
    free(b);
}

budget_tally *budget_tally_new(const budget *b)
{
    budget_tally *t = vt_calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->pass = b->pass;
    t->key = b->key;
    if (t->pass == PASS_COUNT && (t->histogram = vt_calloc(N_KEYS, sizeof(uint32_t))) == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

void budget_tally_free(budget_tally *t)
{
    if (t == NULL)
        return;
    free(t->histogram);
    free(t->collected);
    free(t);
}

int budget_tally_add(budget_tally *t, double risk)
{
    uint32_t key = risk_key(risk);
    if (t->pass == PASS_COUNT) {
        t->histogram[key]++;
        return 0;
    }
    if (key != t->key)
        return 0;
    void *collected = t->collected;
    int status = vt_grow(&collected, &t->cap_collected, t->n_collected + 1, sizeof(double));
    t->collected = collected;
    if (status != 0)
        return -1;
    t->collected[t->n_collected++] = risk;
    return 0;
}

int budget_merge(budget *b, const budget_tally *t)
{
    if (b->pass == PASS_COUNT) {
        for (size_t key = 0; key < N_KEYS; key++) {
            b->histogram[key] += t->histogram[key];
            b->n_rows += t->histogram[key];
        }
        return 0;
    }
    void *collected = b->collected;
    int status = vt_grow(&collected, &b->cap_collected, b->n_collected + t->n_collected, sizeof(double));
    b->collected = collected;
    if (status != 0)
        return -1;
    if (t->n_collected)
        memcpy(b->collected + b->n_collected, t->collected, t->n_collected * sizeof(double));
    b->n_collected += t->n_collected;
    return 0;
}

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

vt_status budget_end_pass(budget *b, const char *path, int *done, double *cutoff, vt_err *err)
{
    *done = 0;
    if (b->pass == PASS_COUNT) {
        if (b->n_rows == 0)
            return vt_err_set(err, VT_EDATA, path, 0, 0, "no rows to choose an alert cut-off from");
        b->wanted = (size_t)llround(b->share * (double)b->n_rows);
        if (b->wanted < 1)
            b->wanted = 1;
        uint32_t key = (uint32_t)N_KEYS;
        while (key > 0 && b->above + b->histogram[key - 1] < b->wanted)
            b->above += b->histogram[--key];
        b->key = key - 1;
        b->pass = PASS_COLLECT;
        return VT_OK;
    }
    qsort(b->collected, b->n_collected, sizeof(double), descending);
    *cutoff = b->collected[b->wanted - b->above - 1];
    *done = 1;
    return VT_OK;
}
