/* fuzz_numparse: num_parse must accept exactly its grammar and give
 * strtod's double, bit for bit.
 *
 * The grammar is checked here independently of numparse.c:
 *   blanks* [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)? blanks*
 * with blanks space or tab ("5." is accepted, as strtod and the unit tests
 * accept it).  Text in the grammar must parse (NUM_OK, or NUM_RANGE exactly
 * when strtod overflows) to strtod's value; text outside it must be refused;
 * only blanks is NUM_EMPTY. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "numparse.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static size_t skip_digits(const char *text, size_t at, size_t len)
{
    while (at < len && is_digit(text[at]))
        at++;
    return at;
}

static int in_grammar(const char *text, size_t len)
{
    size_t at = 0;
    if (at < len && (text[at] == '+' || text[at] == '-'))
        at++;
    size_t int_start = at;
    at = skip_digits(text, at, len);
    size_t n_int = at - int_start, n_frac = 0;
    if (at < len && text[at] == '.') {
        size_t frac_start = ++at;
        at = skip_digits(text, at, len);
        n_frac = at - frac_start;
    }
    if (n_int == 0 && n_frac == 0)
        return 0;
    if (at < len && (text[at] == 'e' || text[at] == 'E')) {
        at++;
        if (at < len && (text[at] == '+' || text[at] == '-'))
            at++;
        size_t exp_start = at;
        at = skip_digits(text, at, len);
        if (at == exp_start)
            return 0;
    }
    return at == len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    double value = 0;
    num_result result = num_parse(text, size, &value);

    size_t start = 0, end = size;
    while (start < end && (text[start] == ' ' || text[start] == '\t'))
        start++;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        end--;
    if (start == end) {
        fuzz_check(result == NUM_EMPTY, "blank text gave %s", num_result_text(result));
        return 0;
    }
    if (!in_grammar(text + start, end - start)) {
        fuzz_check(result == NUM_SYNTAX || result == NUM_NONFINITE, "text outside the grammar gave %s",
                   num_result_text(result));
        return 0;
    }
    char *copy = fuzz_string(data + start, end - start);
    char *stop = NULL;
    double expected = strtod(copy, &stop);
    fuzz_check(stop == copy + (end - start), "strtod stopped early on '%s'", copy);
    if (isinf(expected)) {
        fuzz_check(result == NUM_RANGE, "'%s' overflows strtod but gave %s", copy, num_result_text(result));
    } else {
        fuzz_check(result == NUM_OK, "'%s' refused: %s", copy, num_result_text(result));
        fuzz_check(memcmp(&value, &expected, sizeof value) == 0, "'%s': num_parse %a, strtod %a", copy, value,
                   expected);
    }
    free(copy);
    return 0;
}
