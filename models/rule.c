#include "rule.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "numparse.h"

typedef enum { NODE_OR, NODE_AND, NODE_NOT, NODE_COMPARE } node_kind;
typedef enum { OP_GT, OP_GE, OP_LT, OP_LE, OP_EQ, OP_NE } compare_op;

typedef struct node {
    node_kind kind;
    struct node *left, *right; /* NOT uses left */
    size_t column;             /* COMPARE */
    compare_op op;
    double number;
} node;

struct rule {
    node *root;
    char **columns;
    size_t n_columns;
};

typedef struct {
    const char *text;
    size_t at;
    rule *r;
    char *msg;
    size_t msg_size;
    int failed;
} parser;

static void node_free(node *n)
{
    if (n == NULL)
        return;
    node_free(n->left);
    node_free(n->right);
    free(n);
}

void rule_free(rule *r)
{
    if (r == NULL)
        return;
    node_free(r->root);
    for (size_t i = 0; i < r->n_columns; i++)
        free(r->columns[i]);
    free(r->columns);
    free(r);
}

static node *fail(parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->msg, p->msg_size, "%s", what);
    p->failed = 1;
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

static node *new_node(parser *p, node_kind kind, node *left, node *right)
{
    node *n = calloc(1, sizeof *n);
    if (n == NULL) {
        node_free(left);
        node_free(right);
        return fail(p, "out of memory");
    }
    n->kind = kind;
    n->left = left;
    n->right = right;
    return n;
}

static long column_index(parser *p, const char *name, size_t len)
{
    for (size_t i = 0; i < p->r->n_columns; i++)
        if (strlen(p->r->columns[i]) == len && strncmp(p->r->columns[i], name, len) == 0)
            return (long)i;
    char **grown = realloc(p->r->columns, (p->r->n_columns + 1) * sizeof *grown);
    if (grown == NULL)
        return -1;
    p->r->columns = grown;
    if ((grown[p->r->n_columns] = vt_strndup(name, len)) == NULL)
        return -1;
    return (long)p->r->n_columns++;
}

static node *parse_or(parser *p);

static node *parse_comparison(parser *p)
{
    skip_space(p);
    size_t start = p->at;
    while (isalnum((unsigned char)p->text[p->at]) || p->text[p->at] == '_' || p->text[p->at] == '.')
        p->at++;
    if (p->at == start)
        return fail(p, "expected a column name, NOT or '('");
    long column = column_index(p, p->text + start, p->at - start);
    if (column < 0)
        return fail(p, "out of memory");
    skip_space(p);
    static const struct {
        const char *text;
        compare_op op;
    } ops[] = {{">=", OP_GE}, {"<=", OP_LE}, {"==", OP_EQ}, {"!=", OP_NE}, {">", OP_GT}, {"<", OP_LT}, {"=", OP_EQ}};
    int found = -1;
    for (int i = 0; i < 7 && found < 0; i++)
        if (strncmp(p->text + p->at, ops[i].text, strlen(ops[i].text)) == 0)
            found = i;
    if (found < 0)
        return fail(p, "expected a comparison (>, >=, <, <=, =, !=)");
    p->at += strlen(ops[found].text);
    skip_space(p);
    size_t number_start = p->at;
    while (p->text[p->at] && strchr("0123456789+-.eE", p->text[p->at]))
        p->at++;
    double value = 0;
    if (p->at == number_start || num_parse(p->text + number_start, p->at - number_start, &value) != NUM_OK) {
        p->at = number_start;
        return fail(p, "expected a number");
    }
    node *n = new_node(p, NODE_COMPARE, NULL, NULL);
    if (n) {
        n->column = (size_t)column;
        n->op = ops[found].op;
        n->number = value;
    }
    return n;
}

static node *parse_primary(parser *p)
{
    skip_space(p);
    if (p->text[p->at] != '(')
        return parse_comparison(p);
    p->at++;
    node *inner = parse_or(p);
    if (inner == NULL)
        return NULL; /* the error is inside; keep its position */
    skip_space(p);
    if (p->text[p->at] != ')') {
        node_free(inner);
        return fail(p, "expected ')'");
    }
    p->at++;
    return inner;
}

static node *parse_not(parser *p)
{
    if (keyword(p, "NOT")) {
        node *inner = parse_not(p);
        return inner ? new_node(p, NODE_NOT, inner, NULL) : NULL;
    }
    return parse_primary(p);
}

static node *parse_and(parser *p)
{
    node *left = parse_not(p);
    while (left && keyword(p, "AND")) {
        node *right = parse_not(p);
        left = right ? new_node(p, NODE_AND, left, right) : (node_free(left), NULL);
    }
    return left;
}

static node *parse_or(parser *p)
{
    node *left = parse_and(p);
    while (left && keyword(p, "OR")) {
        node *right = parse_and(p);
        left = right ? new_node(p, NODE_OR, left, right) : (node_free(left), NULL);
    }
    return left;
}

vt_status rule_parse(const char *text, rule **out, size_t *error_at, char *msg, size_t msg_size)
{
    *out = NULL;
    rule *r = calloc(1, sizeof *r);
    if (r == NULL) {
        snprintf(msg, msg_size, "out of memory");
        *error_at = 0;
        return VT_ENOMEM;
    }
    parser p = {text, 0, r, msg, msg_size, 0};
    r->root = parse_or(&p);
    skip_space(&p);
    if (r->root && text[p.at] != '\0') {
        node_free(r->root);
        r->root = NULL;
        fail(&p, "expected AND, OR or the end of the rule");
    }
    if (r->root == NULL) {
        *error_at = p.at;
        rule_free(r);
        return VT_EPARSE;
    }
    *out = r;
    return VT_OK;
}

size_t rule_columns(const rule *r, const char *const **names)
{
    *names = (const char *const *)r->columns;
    return r->n_columns;
}

static int eval(const node *n, const double *values)
{
    switch (n->kind) {
    case NODE_OR: return eval(n->left, values) || eval(n->right, values);
    case NODE_AND: return eval(n->left, values) && eval(n->right, values);
    case NODE_NOT: return !eval(n->left, values);
    case NODE_COMPARE: {
        double v = values[n->column];
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

int rule_eval(const rule *r, const double *values)
{
    return eval(r->root, values);
}
