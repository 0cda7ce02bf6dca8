/* fuzz_rule: the scorecard rule parser, and evaluation on a few fixed rows.
 *
 * The input is the rule text (up to its first NUL).  A refused rule must
 * point inside the text and say why.  An accepted rule must name each column
 * once and non-empty, and "NOT (text)" must parse too, read the same
 * columns, and evaluate to the opposite on every row (unless its two
 * extra levels cross RULE_NESTING_LIMIT, the one reason to refuse it). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "rule.h"

#define N_ROWS 5

/* Row r's value for column c: missing, zero, thresholds' neighbours, huge. */
static double row_value(size_t r, size_t c)
{
    static const double cycle[] = {0.5, -1, 0.8, 2, 1e300, 0, 5, 0.49999999999999994};
    switch (r) {
    case 0: return NAN;
    case 1: return 0;
    case 2: return cycle[c % 8];
    case 3: return cycle[(c + 3) % 8];
    default: return c % 2 ? NAN : -cycle[c % 8];
    }
}

/* msg (160 bytes) receives the reason a rule is refused. */
static rule *parse_checked(const char *text, size_t len, char *msg)
{
    rule *r = NULL;
    size_t at = (size_t)-1;
    msg[0] = '\0';
    vt_status status = rule_parse(text, &r, &at, msg, 160);
    if (status != VT_OK) {
        fuzz_check(r == NULL, "a refused rule was returned");
        fuzz_check(at <= len, "error at %zu of %zu bytes", at, len);
        fuzz_check(msg[0] != '\0', "no message for the error at %zu", at);
        return NULL;
    }
    fuzz_check(r != NULL, "no rule and no error");
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size), msg[160];
    size_t len = strlen(text);
    rule *r = parse_checked(text, len, msg);
    if (r == NULL) {
        free(text);
        return 0;
    }
    const char *const *names;
    size_t n_names = rule_columns(r, &names);
    fuzz_check(n_names >= 1, "a rule that reads no column");
    for (size_t i = 0; i < n_names; i++) {
        fuzz_check(names[i][0] != '\0', "empty column name");
        for (size_t j = 0; j < i; j++)
            fuzz_check(strcmp(names[i], names[j]) != 0, "column '%s' listed twice", names[i]);
    }

    char *negated_text = malloc(len + 8);
    fuzz_check(negated_text != NULL, "out of memory");
    snprintf(negated_text, len + 8, "NOT (%s)", text);
    rule *negated = parse_checked(negated_text, len + 6, msg);
    if (negated == NULL) { /* two levels more than text: only the nesting limit may refuse it */
        fuzz_check(strstr(msg, "nested deeper") != NULL, "'%s' parses but 'NOT (...)' of it does not: %s", text,
                   msg);
        free(negated_text);
        rule_free(r);
        free(text);
        return 0;
    }
    const char *const *negated_names;
    fuzz_check(rule_columns(negated, &negated_names) == n_names, "NOT (...) reads other columns");
    for (size_t i = 0; i < n_names; i++)
        fuzz_check(strcmp(names[i], negated_names[i]) == 0, "NOT (...) reads other columns");

    static const char *const texts[] = {"a", "Germany", "", "''", "x y", NULL};
    rule_value *values = malloc(n_names * sizeof *values);
    fuzz_check(values != NULL, "out of memory");
    for (size_t row = 0; row < N_ROWS; row++) {
        for (size_t c = 0; c < n_names; c++) {
            const char *text = texts[(row + c) % (sizeof texts / sizeof *texts)];
            values[c] = (rule_value){row_value(row, c), text, text ? strlen(text) : 0};
        }
        int result = rule_eval(r, values);
        fuzz_check(result == 0 || result == 1, "rule_eval gave %d", result);
        fuzz_check(rule_eval(negated, values) == !result, "NOT (...) agrees with the rule on row %zu", row);
    }
    free(values);
    rule_free(negated);
    free(negated_text);
    rule_free(r);
    free(text);
    return 0;
}
