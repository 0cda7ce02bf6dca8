/* The option parser every command uses: each kind of option, the "=" form,
 * positionals with "-" and "--", help, and the messages for what is wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

typedef struct {
    const char *input, *output, *name;
    int quiet, tries, mode;
    size_t threads;
    uint64_t seed;
    double drop, rate, share, level;
    char delimiter;
    char **tags;
    size_t n_tags;
    const char *custom;
} test_args;

static const char *const modes[] = {"csv", "jsonl", "text", NULL};

static vt_status parse_custom(void *options, const char *name, const char *value, vt_err *err)
{
    if (strcmp(value, "bad") == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: custom refused '%s'", name, value);
    ((test_args *)options)->custom = value;
    return VT_OK;
}

static const arg_spec options[] = {
    {"--output", "-o", ARG_STRING, ARG_AT(test_args, output)},
    {"--name", NULL, ARG_STRING, ARG_AT(test_args, name)},
    {"--quiet", "-q", ARG_FLAG, ARG_AT(test_args, quiet)},
    {"--tries", NULL, ARG_LONG, ARG_AT(test_args, tries), .min = 1, .max = 10},
    {"--threads", NULL, ARG_LONG, ARG_AT(test_args, threads), .min = 1, .max = 256},
    {"--seed", NULL, ARG_LONG, ARG_AT(test_args, seed), .min = 0, .max = 0x7fffffffffffffffL},
    {"--drop", NULL, ARG_DOUBLE, ARG_AT(test_args, drop), .min = 0, .max = 100},
    {"--rate", NULL, ARG_POSITIVE, ARG_AT(test_args, rate)},
    {"--share", NULL, ARG_SHARE, ARG_AT(test_args, share)},
    {"--level", NULL, ARG_SHARE, ARG_AT(test_args, level), .what = "a level between 0 and 1"},
    {"--mode", NULL, ARG_CHOICE, ARG_AT(test_args, mode), .choices = modes},
    {"--delimiter", NULL, ARG_DELIMITER, ARG_AT(test_args, delimiter)},
    {"--tags", NULL, ARG_LIST, ARG_LIST_AT(test_args, tags, n_tags)},
    {"--custom", NULL, ARG_CUSTOM, .parse = parse_custom},
    {0},
};

static const arg_spec positionals[] = {
    {"IN.csv", NULL, ARG_STRING, ARG_AT(test_args, input)},
    {0},
};

static const arg_spec required[] = {
    {"--output", "-o", ARG_STRING, ARG_AT(test_args, output), .required = 1},
    {"--name", NULL, ARG_STRING, ARG_AT(test_args, name), .required = 1},
    {0},
};

static const arg_spec two_positionals[] = {
    {"OLD.json", NULL, ARG_STRING, ARG_AT(test_args, input)},
    {"NEW.json", NULL, ARG_STRING, ARG_AT(test_args, output)},
    {0},
};

static const arg_spec whole_positional[] = {
    {"ROWS", NULL, ARG_LONG, ARG_AT(test_args, seed), .min = 1, .max = 1000},
    {0},
};

/* Parse "cmd" followed by the NULL-terminated words, against the tables. */
static args_result parse_with(const arg_spec *opts, const arg_spec *slots, test_args *out, vt_err *err, ...)
{
    char *argv[32] = {"cmd"};
    int argc = 1;
    va_list words;
    va_start(words, err);
    for (const char *word; (word = va_arg(words, const char *)) != NULL && argc < 32;)
        argv[argc++] = (char *)word;
    va_end(words);
    return args_parse(argc, argv, opts, slots, out, err);
}

#define PARSE(out, err, ...) parse_with(options, positionals, out, err, __VA_ARGS__, (const char *)NULL)

/* The one message a bad command line gives. */
static void assert_refused(const char *message, args_result result, const vt_err *err)
{
    assert_int_equal(result, ARGS_FAIL);
    assert_int_equal(err->code, VT_EUSAGE);
    assert_string_equal(err->msg, message);
}

static void args_should_set_flags_strings_and_aliases(void **state)
{
    (void)state;
    test_args a = {.output = "-"};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "in.csv", "-q", "--name", "x", "-o", "out.csv"), ARGS_RUN);
    assert_string_equal(a.input, "in.csv");
    assert_int_equal(a.quiet, 1);
    assert_string_equal(a.name, "x");
    assert_string_equal(a.output, "out.csv");

    test_args defaults = {.output = "-", .tries = 3};
    assert_int_equal(PARSE(&defaults, &err, "in.csv"), ARGS_RUN);
    assert_string_equal(defaults.output, "-");
    assert_int_equal(defaults.tries, 3);
    assert_null(defaults.name);
}

static void args_should_take_the_equals_form(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "--tries=4", "--name=a=b", "--output=", "in.csv"), ARGS_RUN);
    assert_int_equal(a.tries, 4);
    assert_string_equal(a.name, "a=b"); /* only the first '=' splits */
    assert_string_equal(a.output, "");
    assert_refused("option --quiet takes no value", PARSE(&a, &err, "--quiet=1", "in.csv"), &err);
    /* Short aliases take no "=" form: "-o=x" is not -o. */
    assert_refused("cmd: unknown option '-o=x' (see vitals cmd --help)", PARSE(&a, &err, "-o=x", "in.csv"), &err);
}

static void args_should_check_whole_numbers_and_ranges(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "in.csv", "--tries", "10", "--threads", "1", "--seed", "9223372036854775807"),
                     ARGS_RUN);
    assert_int_equal(a.tries, 10);
    assert_int_equal(a.threads, 1);
    assert_true(a.seed == UINT64_C(9223372036854775807));
    assert_refused("--threads: '0' is not a whole number from 1 to 256", PARSE(&a, &err, "in.csv", "--threads", "0"),
                   &err);
    assert_refused("--tries: '11' is not a whole number from 1 to 10", PARSE(&a, &err, "in.csv", "--tries", "11"),
                   &err);
    static const char *const bad[] = {"", "x", "4x", "4.0", " ", "1e2", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char message[128];
        snprintf(message, sizeof message, "--tries: '%s' is not a whole number from 1 to 10", bad[i]);
        assert_refused(message, PARSE(&a, &err, "in.csv", "--tries", bad[i]), &err);
    }
    assert_int_equal(a.tries, 10); /* a refused value leaves the field alone */
    assert_refused("--seed: '-1' is not a whole number from 0 to 9223372036854775807",
                   PARSE(&a, &err, "in.csv", "--seed", "-1"), &err);
}

static void args_should_check_real_numbers_shares_and_positives(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "in.csv", "--drop", "100", "--rate", "1e-9", "--share", "0.12", "--level=0.9"),
                     ARGS_RUN);
    assert_true(a.drop == 100 && a.rate == 1e-9 && a.share == 0.12 && a.level == 0.9);
    assert_refused("--drop: '100.5' is not a number from 0 to 100", PARSE(&a, &err, "in.csv", "--drop", "100.5"),
                   &err);
    assert_refused("--rate: '0' is not a positive number", PARSE(&a, &err, "in.csv", "--rate", "0"), &err);
    assert_refused("--rate: 'inf' is not a positive number", PARSE(&a, &err, "in.csv", "--rate", "inf"), &err);
    assert_refused("--share: '1' is not a share in (0, 1)", PARSE(&a, &err, "in.csv", "--share", "1"), &err);
    assert_refused("--share: 'nan' is not a share in (0, 1)", PARSE(&a, &err, "in.csv", "--share", "nan"), &err);
    assert_refused("--level: '1.5' is not a level between 0 and 1", PARSE(&a, &err, "in.csv", "--level", "1.5"),
                   &err);
    double value = 0;
    assert_int_equal(args_double("--x", "2.5", &value, &err), VT_OK);
    assert_true(value == 2.5);
    assert_int_equal(args_double("--x", "2.5.", &value, &err), VT_EUSAGE);
    assert_string_equal(err.msg, "--x: '2.5.' is not a number");
}

static void args_should_split_and_append_lists(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "--tags", "a,b", "in.csv", "--tags=c"), ARGS_RUN);
    assert_int_equal(a.n_tags, 3);
    assert_string_equal(a.tags[0], "a");
    assert_string_equal(a.tags[1], "b");
    assert_string_equal(a.tags[2], "c");
    assert_null(a.tags[3]);
    args_free(options, &a);
    assert_null(a.tags);
    assert_int_equal(a.n_tags, 0);
    args_free(options, &a); /* twice is harmless */

    /* A failure after a list frees it: the caller owns nothing. */
    assert_int_equal(PARSE(&a, &err, "--tags", "a,,b", "--tries", "0", "in.csv"), ARGS_FAIL);
    assert_null(a.tags);
    assert_int_equal(a.n_tags, 0);
}

/* Out of memory at each allocation a list makes: VT_ENOMEM, nothing kept
 * (ASan's leak check sees the rest). */
static void args_should_free_lists_when_memory_runs_out(void **state)
{
    (void)state;
    vt_err err = {0};
    unsigned long n = 1;
    for (;; n++) {
        test_args a = {0};
        vt_alloc_fail_at(n);
        args_result result = PARSE(&a, &err, "--tags", "a,b", "--tags", "c", "in.csv");
        unsigned long made = vt_alloc_count();
        vt_alloc_fail_at(0);
        if (made < n) { /* nothing failed */
            assert_int_equal(result, ARGS_RUN);
            args_free(options, &a);
            break;
        }
        assert_int_equal(result, ARGS_FAIL);
        assert_int_equal(err.code, VT_ENOMEM);
        assert_null(a.tags);
        assert_int_equal(a.n_tags, 0);
    }
    assert_int_equal(n, 7); /* three strings and three list growths failed in turn */
}

static void args_should_accept_only_the_listed_choices(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "in.csv", "--mode", "text"), ARGS_RUN);
    assert_int_equal(a.mode, 2);
    assert_int_equal(PARSE(&a, &err, "in.csv", "--mode=csv"), ARGS_RUN);
    assert_int_equal(a.mode, 0);
    assert_refused("--mode: 'xml' is not csv, jsonl or text", PARSE(&a, &err, "in.csv", "--mode", "xml"), &err);
    assert_refused("--mode: 'CSV' is not csv, jsonl or text", PARSE(&a, &err, "in.csv", "--mode", "CSV"), &err);
}

static void args_should_read_delimiters(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "in.csv", "--delimiter", "tab"), ARGS_RUN);
    assert_int_equal(a.delimiter, '\t');
    assert_int_equal(PARSE(&a, &err, "in.csv", "--delimiter=;"), ARGS_RUN);
    assert_int_equal(a.delimiter, ';');
    assert_refused("--delimiter: ':' is not , ; tab or |", PARSE(&a, &err, "in.csv", "--delimiter", ":"), &err);
}

static void args_should_call_custom_parsers(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "in.csv", "--custom", "fine"), ARGS_RUN);
    assert_string_equal(a.custom, "fine");
    assert_refused("--custom: custom refused 'bad'", PARSE(&a, &err, "in.csv", "--custom", "bad"), &err);
}

static void args_should_refuse_unknown_options(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_refused("cmd: unknown option '--frobnicate' (see vitals cmd --help)",
                   PARSE(&a, &err, "in.csv", "--frobnicate", "1"), &err);
    assert_refused("cmd: unknown option '--frobnicate' (see vitals cmd --help)",
                   PARSE(&a, &err, "in.csv", "--frobnicate=1"), &err);
    /* A prefix is not an abbreviation. */
    assert_refused("cmd: unknown option '--out' (see vitals cmd --help)", PARSE(&a, &err, "in.csv", "--out", "x"),
                   &err);
    assert_refused("cmd: unknown option '-x' (see vitals cmd --help)", PARSE(&a, &err, "-x", "in.csv"), &err);
}

static void args_should_report_a_missing_value(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_refused("option --threads needs a value", PARSE(&a, &err, "in.csv", "--threads"), &err);
    assert_refused("option -o needs a value", PARSE(&a, &err, "in.csv", "-o"), &err);
    /* A value may look like an option or be "-". */
    assert_int_equal(PARSE(&a, &err, "in.csv", "--name", "--quiet", "-o", "-"), ARGS_RUN);
    assert_string_equal(a.name, "--quiet");
    assert_string_equal(a.output, "-");
    assert_int_equal(a.quiet, 0);
}

static void args_should_take_dash_as_a_positional_once(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "--quiet", "-"), ARGS_RUN);
    assert_string_equal(a.input, "-");
    assert_int_equal(parse_with(options, two_positionals, &a, &err, "-", "new.json", (const char *)NULL), ARGS_RUN);
    assert_string_equal(a.input, "-");
    assert_string_equal(a.output, "new.json");
    assert_refused("cmd: OLD.json and NEW.json cannot both be standard input",
                   parse_with(options, two_positionals, &a, &err, "-", "-", (const char *)NULL), &err);
}

static void args_should_end_options_at_double_dash(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "--quiet", "--", "-odd-name.csv"), ARGS_RUN);
    assert_string_equal(a.input, "-odd-name.csv");
    assert_int_equal(PARSE(&a, &err, "--", "--help"), ARGS_RUN); /* a file called --help */
    assert_string_equal(a.input, "--help");
    assert_refused("cmd: unexpected argument '--' (see vitals cmd --help)", PARSE(&a, &err, "--", "x", "--"), &err);
}

static void args_should_count_positionals(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_refused("cmd: unexpected argument 'b.csv' (see vitals cmd --help)", PARSE(&a, &err, "a.csv", "b.csv"),
                   &err);
    assert_refused("cmd: needs IN.csv (see vitals cmd --help)", PARSE(&a, &err, "--quiet"), &err);
    assert_refused("cmd: needs OLD.json and NEW.json (see vitals cmd --help)",
                   parse_with(options, two_positionals, &a, &err, "old.json", (const char *)NULL), &err);
    assert_int_equal(parse_with(options, whole_positional, &a, &err, "250", (const char *)NULL), ARGS_RUN);
    assert_int_equal(a.seed, 250);
    assert_refused("ROWS: '0' is not a whole number from 1 to 1000",
                   parse_with(options, whole_positional, &a, &err, "0", (const char *)NULL), &err);
}

static void args_should_require_marked_options(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_refused("cmd: -o is required (see vitals cmd --help)",
                   parse_with(required, positionals, &a, &err, "in.csv", "--name", "n", (const char *)NULL), &err);
    test_args b = {0};
    assert_refused("cmd: --name is required (see vitals cmd --help)",
                   parse_with(required, positionals, &b, &err, "in.csv", "-o", "o", (const char *)NULL), &err);
    assert_int_equal(parse_with(required, positionals, &a, &err, "in.csv", "-o", "o", "--name=n", (const char *)NULL),
                     ARGS_RUN);
}

static void args_should_answer_help_anywhere(void **state)
{
    (void)state;
    test_args a = {0};
    vt_err err = {0};
    assert_int_equal(PARSE(&a, &err, "--help"), ARGS_HELP);
    assert_int_equal(PARSE(&a, &err, "-h"), ARGS_HELP);
    /* Before anything is checked: a bad option or a missing file does not hide it. */
    assert_int_equal(PARSE(&a, &err, "--threads", "0", "--frobnicate", "-h"), ARGS_HELP);
    assert_int_equal(err.code, VT_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(args_should_set_flags_strings_and_aliases),
        cmocka_unit_test(args_should_take_the_equals_form),
        cmocka_unit_test(args_should_check_whole_numbers_and_ranges),
        cmocka_unit_test(args_should_check_real_numbers_shares_and_positives),
        cmocka_unit_test(args_should_split_and_append_lists),
        cmocka_unit_test(args_should_free_lists_when_memory_runs_out),
        cmocka_unit_test(args_should_accept_only_the_listed_choices),
        cmocka_unit_test(args_should_read_delimiters),
        cmocka_unit_test(args_should_call_custom_parsers),
        cmocka_unit_test(args_should_refuse_unknown_options),
        cmocka_unit_test(args_should_report_a_missing_value),
        cmocka_unit_test(args_should_take_dash_as_a_positional_once),
        cmocka_unit_test(args_should_end_options_at_double_dash),
        cmocka_unit_test(args_should_count_positionals),
        cmocka_unit_test(args_should_require_marked_options),
        cmocka_unit_test(args_should_answer_help_anywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
