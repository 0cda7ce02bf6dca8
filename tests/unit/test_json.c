/* JSON plumbing: reading with a cap, parse errors at LINE:COL, exact
 * doubles, and the field getters' messages (field path and position). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "json.h"
#include "testutil.h"

/* A document parsed from text, as the loaders keep it. */
typedef struct {
    json_doc doc;
    cJSON *root;
} parsed;

static void parse(parsed *p, const char *text)
{
    vt_err err = {0};
    if (json_parse("t.json", text, strlen(text), &p->root, &err) != VT_OK)
        fail_msg("parse: %s", err.msg);
    p->doc = (json_doc){"t.json", "thing", p->root, (char *)text}; /* borrowed: never freed through the doc */
}

static void assert_error(const vt_err *err, long line, long col, const char *msg)
{
    if (strcmp(err->msg, msg) != 0 || err->line != line || err->col != col)
        fail_msg("got %ld:%ld: %s\nwant %ld:%ld: %s", err->line, err->col, err->msg, line, col, msg);
    assert_int_equal(err->code, VT_EFORMAT);
    assert_string_equal(err->path, "t.json");
}

static void parse_should_place_errors_at_line_and_column(void **state)
{
    (void)state;
    vt_err err = {0};
    cJSON *root = NULL;
    const char *bad = "{\n  \"a\": 1,\n  \"b\": tru\n}";
    assert_int_equal(json_parse("t.json", bad, strlen(bad), &root, &err), VT_EFORMAT);
    assert_null(root);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 8);
    assert_string_equal(err.msg, "malformed JSON");
    const char *cut = "{\n  \"a\": [1, 2";
    assert_int_equal(json_parse("t.json", cut, strlen(cut), &root, &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "ends early"));
    const char *in_string = "{\"a\": \"cut her";
    assert_int_equal(json_parse("t.json", in_string, strlen(in_string), &root, &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "ends early"));
    assert_int_equal(err.col, 7);
    assert_int_equal(json_parse("t.json", " \n", 2, &root, &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "empty"));
    assert_int_equal(json_parse("t.json", "{}\0{}", 5, &root, &err), VT_EFORMAT);
    assert_non_null(strstr(err.msg, "NUL"));
    assert_int_equal(err.col, 3);
    assert_int_equal(json_parse("t.json", "{} x", 4, &root, &err), VT_EFORMAT);
}

static void read_should_refuse_files_over_the_cap(void **state)
{
    (void)state;
    char *path = test_write_temp("[1, 2, 3]", 9);
    vt_err err = {0};
    cJSON *root = NULL;
    assert_int_equal(json_read_file(path, 9, &root, &err), VT_OK);
    assert_int_equal(cJSON_GetArraySize(root), 3);
    cJSON_Delete(root);
    assert_int_equal(json_read_file(path, 8, &root, &err), VT_EIO);
    assert_null(root);
    assert_non_null(strstr(err.msg, "larger than 8 bytes"));
    test_remove_temp(path);
    json_doc doc;
    char *cut = test_write_temp("{\"a\":\n [1, ", 10);
    assert_int_equal(json_doc_read(cut, 100, "thing", &doc, &err), VT_EFORMAT);
    assert_null(doc.root);
    assert_null(doc.text);
    test_remove_temp(cut);
    char *kept = test_write_temp("{\"a\":\n [1, 2]}", 14);
    assert_int_equal(json_doc_read(kept, 100, "thing", &doc, &err), VT_OK);
    const cJSON *object = NULL;
    assert_int_equal(json_get_object(&doc, doc.root, "a", &object, &err), VT_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    assert_string_equal(err.path, kept);
    json_doc_free(&doc);
    test_remove_temp(kept);
    assert_int_equal(json_read_file("/nonexistent/x.json", 100, &root, &err), VT_EIO);
    assert_string_equal(err.path, "/nonexistent/x.json");
    assert_string_equal(json_display_name("-"), "<stdin>");
}

static void exact_numbers_should_read_back_bit_for_bit(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        double value;
        memcpy(&value, &seed, sizeof value);
        if (!isfinite(value))
            continue;
        cJSON *object = cJSON_CreateObject();
        assert_int_equal(json_add_exact(object, "v", value), 0);
        assert_true(json_number(object, "v") == value); /* raw, before printing */
        char *text = cJSON_PrintUnformatted(object);
        cJSON *back = cJSON_Parse(text);
        double read = cJSON_GetObjectItem(back, "v")->valuedouble;
        assert_memory_equal(&read, &value, sizeof value);
        cJSON_free(text);
        cJSON_Delete(back);
        cJSON_Delete(object);
    }
    cJSON *object = cJSON_CreateObject();
    assert_int_equal(json_add_exact(object, "nan", NAN), -1);
    assert_int_equal(json_add_exact(object, "inf", -INFINITY), -1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(object, "nan")));
    assert_true(isnan(json_number(object, "inf")));
    assert_null(json_create_exact(INFINITY));
    cJSON_Delete(object);
}

static const char doc_text[] = "{\n"
                               "  \"name\": \"m\",\n"
                               "  \"targets\": [\n"
                               "    {\"name\": \"churn\"},\n"
                               "    {\"name\": \"expansion\", \"terms\": [{\"estimate\": 1}, {\"estimate\": \"x\"}]}\n"
                               "  ],\n"
                               "  \"level\": 2, \"flag\": 1, \"none\": null, \"big\": 1e999,\n"
                               "  \"means\": [1, 2, null],\n"
                               "  \"odd key\": {\"k\": true},\n"
                               "  \"twice\": 1, \"twice\": \"second\"\n"
                               "}";

static void getters_should_name_the_field_path_and_position(void **state)
{
    (void)state;
    parsed p;
    parse(&p, doc_text);
    vt_err err = {0};
    const cJSON *targets = cJSON_GetObjectItem(p.root, "targets");
    const cJSON *second = cJSON_GetArrayItem(targets, 1);
    const cJSON *term = cJSON_GetArrayItem(cJSON_GetObjectItem(second, "terms"), 1);
    double number = 0;
    assert_int_equal(json_get_number(&p.doc, term, "estimate", &number, &err), VT_EFORMAT);
    assert_error(&err, 5, 67, "not a valid thing: targets[1].terms[1].estimate: expected a finite number, found \"x\"");
    /* A missing field: at its object. */
    assert_int_equal(json_get_number(&p.doc, cJSON_GetArrayItem(targets, 0), "estimate", &number, &err), VT_EFORMAT);
    assert_error(&err, 4, 5, "not a valid thing: targets[0].estimate: missing (expected a finite number)");
    assert_int_equal(json_get_number(&p.doc, p.root, "big", &number, &err), VT_EFORMAT);
    assert_error(&err, 7, 47,
                 "not a valid thing: big: expected a finite number, found a number beyond a double's range");
    assert_int_equal(json_get_number(&p.doc, p.root, "none", &number, &err), VT_EFORMAT);
    assert_int_equal(json_opt_number(&p.doc, p.root, "none", 7.5, &number, &err), VT_OK);
    assert_true(number == 7.5);
    assert_int_equal(json_opt_number(&p.doc, p.root, "absent", 8.5, &number, &err), VT_OK);
    assert_true(number == 8.5);
    assert_int_equal(json_opt_number(&p.doc, p.root, "name", 0, &number, &err), VT_EFORMAT);
    assert_error(&err, 2, 11, "not a valid thing: name: expected a finite number, found \"m\"");
    /* Odd keys are quoted; the first of two equal keys is the one read. */
    const cJSON *odd = cJSON_GetObjectItem(p.root, "odd key");
    int flag = 0;
    assert_int_equal(json_get_bool(&p.doc, odd, "k", &flag, &err), VT_OK);
    assert_true(flag);
    assert_int_equal(json_get_number(&p.doc, odd, "k", &number, &err), VT_EFORMAT);
    assert_error(&err, 9, 20, "not a valid thing: [\"odd key\"].k: expected a finite number, found true");
    const char *text = NULL;
    assert_int_equal(json_get_string(&p.doc, p.root, "twice", &text, &err), VT_EFORMAT);
    assert_error(&err, 10, 12, "not a valid thing: twice: expected a string, found 1");
    cJSON_Delete(p.root);
}

static void getters_should_check_ranges_and_types(void **state)
{
    (void)state;
    parsed p;
    parse(&p, doc_text);
    vt_err err = {0};
    long long whole = 0;
    assert_int_equal(json_get_integer(&p.doc, p.root, "level", 1, 2, &whole, &err), VT_OK);
    assert_int_equal(whole, 2);
    assert_int_equal(json_get_integer(&p.doc, p.root, "level", 0, 1, &whole, &err), VT_EFORMAT);
    assert_error(&err, 7, 12, "not a valid thing: level: expected a whole number from 0 to 1, found 2");
    double number = 0;
    assert_int_equal(json_get_range(&p.doc, p.root, "level", 0, 1.5, &number, &err), VT_EFORMAT);
    assert_error(&err, 7, 12, "not a valid thing: level: expected a number from 0 to 1.5, found 2");
    int flag = 0;
    assert_int_equal(json_get_bool(&p.doc, p.root, "flag", &flag, &err), VT_EFORMAT);
    assert_error(&err, 7, 23, "not a valid thing: flag: expected true or false, found 1");
    assert_int_equal(json_opt_bool(&p.doc, p.root, "absent", 1, &flag, &err), VT_OK);
    assert_int_equal(flag, 1);
    const char *text = "unset";
    assert_int_equal(json_opt_string(&p.doc, p.root, "none", &text, &err), VT_OK);
    assert_null(text);
    char *copy = NULL;
    assert_int_equal(json_copy_string(&p.doc, p.root, "name", &copy, &err), VT_OK);
    assert_string_equal(copy, "m");
    free(copy);
    const cJSON *object = NULL;
    assert_int_equal(json_get_object(&p.doc, p.root, "targets", &object, &err), VT_EFORMAT);
    assert_error(&err, 3, 14, "not a valid thing: targets: expected an object, found an array");
    assert_int_equal(json_opt_object(&p.doc, p.root, "none", &object, &err), VT_OK);
    assert_null(object);
    const cJSON *array = NULL;
    assert_int_equal(json_get_array(&p.doc, p.root, "targets", 3, 3, &array, &err), VT_EFORMAT);
    assert_error(&err, 3, 14, "not a valid thing: targets: expected 3 elements, found 2");
    assert_int_equal(json_get_array(&p.doc, p.root, "targets", 1, 2, &array, &err), VT_OK);
    double values[3];
    assert_int_equal(json_get_numbers(&p.doc, p.root, "means", 2, values, &err), VT_EFORMAT);
    assert_error(&err, 8, 12, "not a valid thing: means: expected 2 elements, found 3");
    assert_int_equal(json_get_numbers(&p.doc, p.root, "means", 3, values, &err), VT_EFORMAT);
    assert_error(&err, 8, 19, "not a valid thing: means[2]: expected a finite number, found null");
    cJSON_Delete(p.root);
}

static void fail_should_keep_one_line_and_work_without_text(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "{\"a\\nb\": {\"c\": 1}}");
    vt_err err = {0};
    const cJSON *inner = cJSON_GetObjectItem(p.root, "a\nb");
    json_fail(&p.doc, inner, "c", &err, "bad \"%s\"", "x\ny");
    assert_error(&err, 1, 16, "not a valid thing: [\"a?b\"].c: bad \"x?y\"");
    p.doc.text = NULL; /* no text: the path alone */
    json_fail(&p.doc, p.root, NULL, &err, "whole");
    assert_error(&err, 0, 0, "not a valid thing: (top level): whole");
    char path[64];
    json_field_path(&p.doc, inner, "c", path, sizeof path);
    assert_string_equal(path, "[\"a\nb\"].c");
    cJSON_Delete(p.root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_should_place_errors_at_line_and_column),
        cmocka_unit_test(read_should_refuse_files_over_the_cap),
        cmocka_unit_test(exact_numbers_should_read_back_bit_for_bit),
        cmocka_unit_test(getters_should_name_the_field_path_and_position),
        cmocka_unit_test(getters_should_check_ranges_and_types),
        cmocka_unit_test(fail_should_keep_one_line_and_work_without_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
