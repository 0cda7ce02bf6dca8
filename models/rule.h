/* rule: boolean expressions over an account's columns, for scorecards.
 *
 *   active_user_ratio > 0.8 AND (feature_a_adoption >= 0.5 OR NOT usage_trend < 0)
 *   "Customer service calls" >= 4 AND plan NOT IN ('pro', 'team') AND Geography = 'Germany'
 *
 * Grammar (precedence NOT > AND > OR, keywords in any case):
 *   expr := and (OR and)* ; and := not (AND not)* ; not := NOT not | primary
 *   primary := '(' expr ')' | name op NUMBER | name (= | == | !=) TEXT
 *            | name [NOT] IN '(' TEXT (',' TEXT)* ')'
 *   op := > >= < <= = == != ; name := [A-Za-z0-9_.]+ | "any bytes, "" for one ""
 *   TEXT := 'any bytes, '' for one ''
 * Double quotes name a column as SQL does; backquotes (MySQL's) are refused
 * so that a rule means one thing.  Text matches the cell as read: exact
 * bytes, case-sensitive, no trimming.  A comparison with a missing value is
 * false, NOT IN included (SQL's NULL NOT IN (...) is not true either); NOT
 * of a false comparison is true (two-valued, as before).  A column is
 * compared either with numbers or with text within a rule.  rule_parse
 * reports the byte offset of the first error.  A rule owns its tree;
 * rule_free releases it.
 *
 * Depth: a chain of ANDs (or ORs) is one node holding its operands, so a
 * rule of any length is parsed and evaluated without recursion growing
 * with it.  Only parentheses and NOT nest; a rule nesting them more than
 * RULE_NESTING_LIMIT deep is refused.  Parsing and evaluating are
 * thread-safe on distinct rules; rule_eval on one rule from many threads. */
#ifndef RULE_H
#define RULE_H

#include <stddef.h>

#include "vt.h"

/* Parsing, evaluating and freeing recurse once per level of '(' or NOT
 * (the parser about four frames per parenthesis), so this bounds their
 * stack use on any thread, a scorer's worker included; a hand-written rule
 * needs a handful of levels.  As cJSON's CJSON_NESTING_LIMIT. */
#ifndef RULE_NESTING_LIMIT
#define RULE_NESTING_LIMIT 256
#endif

typedef struct rule rule;

/* On failure *error_at is the 0-based byte offset and msg says what: a
 * syntax error, "nested deeper than 256 levels", or "out of memory"
 * (VT_ENOMEM).  Other failures return VT_EPARSE. */
vt_status rule_parse(const char *text, rule **out /* OUT */, size_t *error_at, char *msg, size_t msg_size);
void rule_free(rule *r);

/* The distinct column names the rule reads, in first-seen order (owned by r). */
size_t rule_columns(const rule *r, const char *const **names /* OUT */);

/* How the rule compares column i (rule_columns order): RULE_NUMBER or
 * RULE_TEXT; *at (OUT, may be NULL) the byte offset of its first comparison. */
enum { RULE_NUMBER = 1, RULE_TEXT = 2 };
int rule_column_kind(const rule *r, size_t column, size_t *at /* OUT */);

/* A cell: number is NaN when missing (or not read as a number: a text
 * column's); text is the cell as read (length bytes, not owned), NULL when
 * missing. */
typedef struct {
    double number;
    const char *text;
    size_t length;
} rule_value;

/* values[i] is the value of rule_columns()[i]. */
int rule_eval(const rule *r, const rule_value *values);

#endif
