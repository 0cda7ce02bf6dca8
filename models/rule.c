#include "rule.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dict.h"
#include "numparse.h"

typedef enum { NODE_OR, NODE_AND, NODE_NOT, NODE_COMPARE, NODE_TEXT, NODE_IN } node_kind;
typedef enum { OP_GT, OP_GE, OP_LT, OP_LE, OP_EQ, OP_NE } compare_op;

/* OR and AND hold their whole chain (two or more operands), NOT one: the
 * tree is only as deep as the parentheses and NOTs nest. */
typedef struct node {
    node_kind kind;
    struct node **operands;
    size_t n_operands;
    size_t column;             /* COMPARE, TEXT, IN */
    compare_op op;             /* COMPARE; TEXT: OP_EQ or OP_NE */
    double number;
    char *text;                /* TEXT */
    size_t text_len;
    dict *set;                 /* IN: its values, found by hash however long the list */
    int negated;               /* IN: NOT IN */
} node;

typedef struct {
    int kind;                  /* RULE_NUMBER or RULE_TEXT */
    size_t at;                 /* its first comparison */
} column_use;

struct rule {
    node *root;
    dict *names;               /* column name -> index in columns */
    const char **columns;      /* the dict's keys, in first-seen order */
    column_use *uses;          /* per column */
    size_t n_columns, columns_cap, uses_cap;
};

typedef struct {
    const char *text;
    size_t at;
    rule *r;
    char *msg;
    size_t msg_size;
    int depth;                 /* '(' and NOT open around the parse point */
    vt_status failed;
} parser;

static node *parse_or(parser *p);

static void node_free(node *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->n_operands; i++)
        node_free(n->operands[i]);
    free(n->operands);
    free(n->text);
    dict_free(n->set);
    free(n);
}

void rule_free(rule *r)
{
    if (r == NULL)
        return;
    node_free(r->root);
    dict_free(r->names);
    free(r->columns);
    free(r->uses);
    free(r);
}

static node *fail(parser *p, vt_status code, const char *what)
{
    if (!p->failed)
        snprintf(p->msg, p->msg_size, "%s", what);
    if (!p->failed)
        p->failed = code;
    return NULL;
}

static void skip_space(parser *p)
{
    while (isspace((unsigned char)p->text[p->at]))
        p->at++;
}

/* A keyword (AND, OR, NOT) as a whole word. */
static int keyword(parser *p, const char *word)
{
    skip_space(p);
    size_t len = strlen(word);
    if (strncasecmp(p->text + p->at, word, len) != 0)
        return 0;
    char next = p->text[p->at + len];
    if (isalnum((unsigned char)next) || next == '_')
        return 0;
    p->at += len;
    return 1;
}

/* One level deeper at the '(' or NOT starting at `at`; refused past the limit. */
static int enter(parser *p, size_t at)
{
    if (p->depth >= RULE_NESTING_LIMIT) {
        char what[64];
        snprintf(what, sizeof what, "nested deeper than %d levels", RULE_NESTING_LIMIT);
        p->at = at;
        fail(p, VT_EPARSE, what);
        return 0;
    }
    p->depth++;
    return 1;
}

static node *new_node(parser *p, node_kind kind)
{
    node *n = vt_calloc(1, sizeof *n);
    if (n == NULL)
        return fail(p, VT_ENOMEM, "out of memory");
    n->kind = kind;
    return n;
}

/* Append operand to n (which takes it, or frees it on failure). */
static int add_operand(parser *p, node *n, node *operand, size_t *cap)
{
    if (vt_grow((void **)&n->operands, cap, n->n_operands + 1, sizeof *n->operands) != 0) {
        node_free(operand);
        fail(p, VT_ENOMEM, "out of memory");
        return 0;
    }
    n->operands[n->n_operands++] = operand;
    return 1;
}

static long column_index(parser *p, const char *name, size_t len)
{
    rule *r = p->r;
    long id = dict_intern(r->names, name, len);
    if (id < 0 || (size_t)id < r->n_columns)
        return id;
    if (vt_grow((void **)&r->columns, &r->columns_cap, r->n_columns + 1, sizeof *r->columns) != 0 ||
        vt_grow((void **)&r->uses, &r->uses_cap, r->n_columns + 1, sizeof *r->uses) != 0)
        return -1;
    r->uses[r->n_columns] = (column_use){0, 0};
    r->columns[r->n_columns++] = dict_key(r->names, id);
    return id;
}

/* The quoted text at p->at (opening quote there), doubled quotes made one:
 * a new string of *len bytes (NUL-terminated).  NULL on failure. */
static char *parse_quoted(parser *p, char quote, size_t *len, const char *what)
{
    const char *text = p->text;
    size_t open = p->at, end = open + 1, n = 0;
    for (;; end++, n++) {
        if (text[end] == '\0') {
            char message[96];
            snprintf(message, sizeof message, "unterminated %s (no closing %c)", what, quote);
            fail(p, VT_EPARSE, message);
            return NULL;
        }
        if (text[end] == quote) {
            if (text[end + 1] != quote)
                break;
            end++;
        }
    }
    char *out = vt_malloc(n + 1);
    if (out == NULL) {
        fail(p, VT_ENOMEM, "out of memory");
        return NULL;
    }
    n = 0;
    for (size_t i = open + 1; i < end; i++) {
        out[n++] = text[i];
        if (text[i] == quote)
            i++;
    }
    out[n] = '\0';
    *len = n;
    p->at = end + 1;
    return out;
}

/* A column name, bare or "double-quoted": its column index, -1 on failure. */
static long parse_name(parser *p)
{
    skip_space(p);
    size_t start = p->at;
    if (p->text[start] == '`') {
        fail(p, VT_EPARSE, "backquotes do not quote a column name here; use double quotes (\"a name\")");
        return -1;
    }
    if (p->text[start] == '"') {
        size_t len = 0;
        char *name = parse_quoted(p, '"', &len, "column name");
        if (name == NULL)
            return -1;
        long column = len == 0 ? -2 : column_index(p, name, len);
        free(name);
        if (column == -2) {
            p->at = start;
            fail(p, VT_EPARSE, "empty column name");
        } else if (column < 0)
            fail(p, VT_ENOMEM, "out of memory");
        return column < 0 ? -1 : column;
    }
    while (isalnum((unsigned char)p->text[p->at]) || p->text[p->at] == '_' || p->text[p->at] == '.')
        p->at++;
    if (p->at == start) {
        fail(p, VT_EPARSE, "expected a column name, NOT or '('");
        return -1;
    }
    long column = column_index(p, p->text + start, p->at - start);
    if (column < 0)
        fail(p, VT_ENOMEM, "out of memory");
    return column;
}

/* Record that column is compared as kind at `at`: a column is compared
 * either with numbers or with text, as its cells are read one way. */
static int use_column(parser *p, long column, int kind, size_t at)
{
    column_use *use = &p->r->uses[column];
    if (use->kind == 0)
        *use = (column_use){kind, at};
    else if (use->kind != kind) {
        char what[128];
        snprintf(what, sizeof what, "the column is compared with %s here but with %s at character %zu",
                 kind == RULE_TEXT ? "text" : "a number", kind == RULE_TEXT ? "a number" : "text", use->at + 1);
        p->at = at;
        fail(p, VT_EPARSE, what);
        return 0;
    }
    return 1;
}

/* name [NOT] IN ('a', 'b', ...): p->at after IN. */
static node *parse_in(parser *p, long column, int negated)
{
    skip_space(p);
    if (p->text[p->at] != '(')
        return fail(p, VT_EPARSE, "expected '(' after IN");
    size_t open = p->at++;
    node *n = new_node(p, NODE_IN);
    if (n == NULL)
        return NULL;
    n->column = (size_t)column;
    n->negated = negated;
    if ((n->set = dict_new()) == NULL) {
        node_free(n);
        return fail(p, VT_ENOMEM, "out of memory");
    }
    skip_space(p);
    if (p->text[p->at] == ')') {
        node_free(n);
        p->at = open;
        return fail(p, VT_EPARSE, "empty IN list");
    }
    for (;;) {
        skip_space(p);
        if (p->text[p->at] != '\'') {
            node_free(n);
            return fail(p, VT_EPARSE, "expected a text value in single quotes ('like this')");
        }
        size_t len = 0;
        char *value = parse_quoted(p, '\'', &len, "text value");
        long id = value ? dict_intern(n->set, value, len) : -1;
        free(value);
        if (id < 0) {
            node_free(n);
            return value ? fail(p, VT_ENOMEM, "out of memory") : NULL;
        }
        skip_space(p);
        if (p->text[p->at] == ')')
            break;
        if (p->text[p->at] != ',') {
            node_free(n);
            return fail(p, VT_EPARSE, "expected ',' or ')' in the IN list");
        }
        p->at++;
    }
    p->at++;
    return n;
}

static node *parse_comparison(parser *p)
{
    skip_space(p);
    size_t start = p->at;
    long column = parse_name(p);
    if (column < 0)
        return NULL;
    skip_space(p);
    size_t op_at = p->at;
    int negated = keyword(p, "NOT");
    if (negated || keyword(p, "IN")) {
        if (negated && !keyword(p, "IN")) {
            p->at = op_at;
            return fail(p, VT_EPARSE, "expected IN after NOT");
        }
        return use_column(p, column, RULE_TEXT, start) ? parse_in(p, column, negated) : NULL;
    }
    p->at = op_at;
    static const struct {
        const char *text;
        compare_op op;
    } ops[] = {{">=", OP_GE}, {"<=", OP_LE}, {"==", OP_EQ}, {"!=", OP_NE}, {">", OP_GT}, {"<", OP_LT}, {"=", OP_EQ}};
    int found = -1;
    for (int i = 0; i < 7 && found < 0; i++)
        if (strncmp(p->text + p->at, ops[i].text, strlen(ops[i].text)) == 0)
            found = i;
    if (found < 0)
        return fail(p, VT_EPARSE, "expected a comparison (>, >=, <, <=, =, !=, IN, NOT IN)");
    compare_op op = ops[found].op;
    p->at += strlen(ops[found].text);
    skip_space(p);
    size_t value_start = p->at;
    if (p->text[p->at] == '\'') {
        if (op != OP_EQ && op != OP_NE) {
            char what[80];
            snprintf(what, sizeof what, "text compares only with =, != or IN, not with %s", ops[found].text);
            return fail(p, VT_EPARSE, what);
        }
        if (!use_column(p, column, RULE_TEXT, start))
            return NULL;
        p->at = value_start;
        size_t len = 0;
        char *value = parse_quoted(p, '\'', &len, "text value");
        if (value == NULL)
            return NULL;
        node *n = new_node(p, NODE_TEXT);
        if (n == NULL) {
            free(value);
            return NULL;
        }
        n->column = (size_t)column;
        n->op = op;
        n->text = value;
        n->text_len = len;
        return n;
    }
    while (p->text[p->at] && strchr("0123456789+-.eE", p->text[p->at]))
        p->at++;
    double value = 0;
    if (p->at == value_start || num_parse(p->text + value_start, p->at - value_start, &value) != NUM_OK) {
        p->at = value_start;
        return fail(p, VT_EPARSE, p->text[p->at] == '"' ? "expected a number or a text value ('text' in single quotes; "
                                                            "double quotes name a column)"
                                                          : "expected a number or a text value in single quotes");
    }
    if (!use_column(p, column, RULE_NUMBER, start))
        return NULL;
    node *n = new_node(p, NODE_COMPARE);
    if (n) {
        n->column = (size_t)column;
        n->op = op;
        n->number = value;
    }
    return n;
}

static node *parse_primary(parser *p)
{
    skip_space(p);
    if (p->text[p->at] != '(')
        return parse_comparison(p);
    if (!enter(p, p->at))
        return NULL;
    p->at++;
    node *inner = parse_or(p);
    if (inner == NULL)
        return NULL; /* the error is inside; keep its position */
    skip_space(p);
    if (p->text[p->at] != ')') {
        node_free(inner);
        return fail(p, VT_EPARSE, "expected ')'");
    }
    p->at++;
    p->depth--;
    return inner;
}

static node *parse_not(parser *p)
{
    skip_space(p);
    size_t start = p->at;
    if (!keyword(p, "NOT"))
        return parse_primary(p);
    if (!enter(p, start))
        return NULL;
    node *inner = parse_not(p);
    if (inner == NULL)
        return NULL;
    p->depth--;
    node *n = new_node(p, NODE_NOT);
    size_t cap = 0;
    if (n == NULL || !add_operand(p, n, inner, &cap)) {
        if (n == NULL)
            node_free(inner);
        node_free(n);
        return NULL;
    }
    return n;
}

/* operand (word operand)*: one node for the whole chain, built in a loop. */
static node *parse_chain(parser *p, const char *word, node_kind kind, node *(*parse_operand)(parser *))
{
    node *first = parse_operand(p);
    if (first == NULL || !keyword(p, word))
        return first;
    node *chain = new_node(p, kind);
    size_t cap = 0;
    if (chain == NULL) {
        node_free(first);
        return NULL;
    }
    node *operand = first;
    do {
        if (!add_operand(p, chain, operand, &cap)) {
            node_free(chain);
            return NULL;
        }
        if ((operand = parse_operand(p)) == NULL) {
            node_free(chain);
            return NULL;
        }
    } while (keyword(p, word));
    if (!add_operand(p, chain, operand, &cap)) {
        node_free(chain);
        return NULL;
    }
    return chain;
}

static node *parse_and(parser *p)
{
    return parse_chain(p, "AND", NODE_AND, parse_not);
}

static node *parse_or(parser *p)
{
    return parse_chain(p, "OR", NODE_OR, parse_and);
}

vt_status rule_parse(const char *text, rule **out, size_t *error_at, char *msg, size_t msg_size)
{
    *out = NULL;
    *error_at = 0;
    rule *r = vt_calloc(1, sizeof *r);
    if (r == NULL || (r->names = dict_new()) == NULL) {
        rule_free(r);
        snprintf(msg, msg_size, "out of memory");
        return VT_ENOMEM;
    }
    parser p = {text, 0, r, msg, msg_size, 0, VT_OK};
    r->root = parse_or(&p);
    skip_space(&p);
    if (r->root && text[p.at] != '\0') {
        node_free(r->root);
        r->root = NULL;
        fail(&p, VT_EPARSE, "expected AND, OR or the end of the rule");
    }
    if (r->root == NULL) {
        *error_at = p.at;
        rule_free(r);
        return p.failed ? p.failed : VT_EPARSE;
    }
    *out = r;
    return VT_OK;
}

size_t rule_columns(const rule *r, const char *const **names)
{
    *names = (const char *const *)r->columns;
    return r->n_columns;
}

int rule_column_kind(const rule *r, size_t column, size_t *at)
{
    if (at != NULL)
        *at = r->uses[column].at;
    return r->uses[column].kind;
}

/* Recursion as deep as the tree: an OR and an AND chain per parenthesis
 * plus the NOTs, under 2 x RULE_NESTING_LIMIT + 4 levels whatever the
 * chains' lengths. */
static int eval(const node *n, const rule_value *values)
{
    switch (n->kind) {
    case NODE_OR:
        for (size_t i = 0; i < n->n_operands; i++)
            if (eval(n->operands[i], values))
                return 1;
        return 0;
    case NODE_AND:
        for (size_t i = 0; i < n->n_operands; i++)
            if (!eval(n->operands[i], values))
                return 0;
        return 1;
    case NODE_NOT: return !eval(n->operands[0], values);
    case NODE_TEXT: {
        const rule_value *v = &values[n->column];
        if (v->text == NULL)
            return 0;
        int same = v->length == n->text_len && memcmp(v->text, n->text, n->text_len) == 0;
        return n->op == OP_EQ ? same : !same;
    }
    case NODE_IN: {
        const rule_value *v = &values[n->column];
        if (v->text == NULL)
            return 0;
        return (dict_find(n->set, v->text, v->length) >= 0) != n->negated;
    }
    case NODE_COMPARE: {
        double v = values[n->column].number;
        if (isnan(v))
            return 0;
        switch (n->op) {
        case OP_GT: return v > n->number;
        case OP_GE: return v >= n->number;
        case OP_LT: return v < n->number;
        case OP_LE: return v <= n->number;
        case OP_EQ: return v == n->number;
        case OP_NE: return v != n->number;
        }
    }
    }
    return 0;
}

int rule_eval(const rule *r, const rule_value *values)
{
    return eval(r->root, values);
}
