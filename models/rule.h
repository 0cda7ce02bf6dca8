/* rule: boolean expressions over an account's columns, for scorecards.
 *
 *   active_user_ratio > 0.8 AND (feature_a_adoption >= 0.5 OR NOT usage_trend < 0)
 *
 * Grammar (precedence NOT > AND > OR, keywords in any case):
 *   expr := and (OR and)* ; and := not (AND not)* ; not := NOT not | primary
 *   primary := '(' expr ')' | NAME op NUMBER ; op := > >= < <= = == !=
 * A comparison with a missing value is false.  rule_parse reports the byte
 * offset of the first error.  A rule owns its tree; rule_free releases it. */
#ifndef RULE_H
#define RULE_H

#include <stddef.h>

#include "vt.h"

typedef struct rule rule;

/* On failure *error_at is the 0-based byte offset and msg says what. */
vt_status rule_parse(const char *text, rule **out /* OUT */, size_t *error_at, char *msg, size_t msg_size);
void rule_free(rule *r);

/* The column names the rule reads, in first-seen order (owned by r). */
size_t rule_columns(const rule *r, const char *const **names /* OUT */);

/* values[i] is the value of rule_columns()[i], NaN if missing. */
int rule_eval(const rule *r, const double *values);

#endif
