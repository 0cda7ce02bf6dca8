/* fuzz_scorecard: scorecard_load on arbitrary bytes, then scoring fixed
 * rows with an accepted card, as vitals score does.
 *
 * An accepted card must keep the promises of scorecard.h and SCORECARD.md:
 * at least one non-empty measure set, thresholds best first with points in
 * 0..100, at most 64 rules.  It is bound to a header of its own columns and
 * scores rows of missing, zero, small, huge and negative values, once per
 * stage level (and once for no level); health must be within 0..100 and
 * the bucket one of the three. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "scorecard.h"

static void check_card(const scorecard *card)
{
    fuzz_check(card->n_sets >= 1 && card->n_rules <= 64, "%zu sets, %zu rules", card->n_sets, card->n_rules);
    for (size_t s = 0; s < card->n_sets; s++) {
        const sc_measure_set *set = &card->sets[s];
        fuzz_check(set->n_measures >= 1, "set %zu has no measures", s);
        fuzz_check((s == 0) == (set->level == NULL), "set %zu level", s);
        for (size_t m = 0; m < set->n_measures; m++) {
            const sc_measure *measure = &set->measures[m];
            fuzz_check(measure->column_index < card->n_columns &&
                           strcmp(card->columns[measure->column_index], measure->column) == 0,
                       "measure '%s' bound to the wrong column", measure->column);
            fuzz_check(measure->n_thresholds >= 1 && measure->weight >= 0, "measure '%s'", measure->column);
            for (size_t t = 0; t < measure->n_thresholds; t++) {
                fuzz_check(measure->thresholds[t].points >= 0 && measure->thresholds[t].points <= 100,
                           "points %g outside 0..100", measure->thresholds[t].points);
                if (t > 0)
                    fuzz_check(measure->higher_is_better
                                   ? measure->thresholds[t].at < measure->thresholds[t - 1].at
                                   : measure->thresholds[t].at > measure->thresholds[t - 1].at,
                               "thresholds of '%s' out of order", measure->column);
            }
        }
    }
}

/* Value of a scorecard column in fixed row r. */
static const char *cell(size_t r, size_t c)
{
    static const char *const rows[][3] = {
        {"", "NA", ""}, {"0", "0", "0"}, {"0.5", "0.8", "9"}, {"1e300", "-1e300", "5e-324"}, {"-3", "7", "100"}};
    return rows[r][c % 3];
}

static void score_rows(const scorecard *card)
{
    size_t n = card->n_columns + 1; /* the card's columns and an id */
    const char **header = calloc(n, sizeof(char *));
    const char **fields = calloc(n, sizeof(char *));
    size_t *lengths = calloc(n, sizeof(size_t));
    double *points = calloc(n, sizeof(double));
    fuzz_check(header && fields && lengths && points, "out of memory");
    header[0] = "\x01id";
    for (size_t c = 0; c < card->n_columns; c++)
        header[c + 1] = card->columns[c];
    scorecard_binding *binding = NULL;
    vt_err err = {0};
    vt_status status = scorecard_bind(card, "fuzz", header, n, &binding, &err);
    fuzz_check(status == VT_OK, "a header of the card's own columns is refused: %s", err.msg);
    fields[0] = "id";
    lengths[0] = 2;
    for (size_t r = 0; r < 5; r++) {
        for (size_t s = 0; s <= card->n_sets; s++) {
            for (size_t c = 0; c < card->n_columns; c++) {
                int is_stage = card->stage_column && strcmp(card->columns[c], card->stage_column) == 0;
                fields[c + 1] = !is_stage ? cell(r, c) : s < card->n_sets && card->sets[s].level ? card->sets[s].level
                                                                                                  : "\x01none";
                lengths[c + 1] = strlen(fields[c + 1]);
            }
            csv_row row = {n, fields, lengths, 2};
            sc_result result = {0};
            result.points = points;
            status = scorecard_row(card, binding, &row, "fuzz", &result, &err);
            fuzz_check(status == VT_OK, "a row of numbers and missing cells is refused: %s", err.msg);
            fuzz_check(result.level == BUCKET_RED || result.level == BUCKET_YELLOW || result.level == BUCKET_GREEN,
                       "bucket %d", (int)result.level);
            fuzz_check(result.health >= 0 && result.health <= 100, "health %g outside 0..100", result.health);
            fuzz_check(card->n_rules == 64 || result.fired >> card->n_rules == 0, "rule %zu+ fired",
                       card->n_rules);
        }
    }
    scorecard_binding_free(binding);
    free(header);
    free(fields);
    free(lengths);
    free(points);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scorecard *card = NULL;
    vt_err err = {0};
    if (scorecard_load(fuzz_file_path(data, size), &card, &err) != VT_OK) {
        fuzz_check(card == NULL, "a refused scorecard was returned");
        fuzz_check(err.msg[0] != '\0', "refused without a message");
        return 0;
    }
    check_card(card);
    score_rows(card);
    scorecard_free(card);
    return 0;
}
