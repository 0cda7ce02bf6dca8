#include "vt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cjson/cJSON.h>

const char *vt_strerror(vt_status code)
{
    switch (code) {
    case VT_OK: return "success";
    case VT_EIO: return "input/output error";
    case VT_EPARSE: return "parse error";
    case VT_EDATA: return "unusable data";
    case VT_EUSAGE: return "usage error";
    case VT_ENOMEM: return "out of memory";
    case VT_ENUMERIC: return "numerical failure";
    case VT_EBADLEN: return "dimension mismatch";
    case VT_EFORMAT: return "unsupported format";
    }
    return "unknown error";
}

vt_status vt_err_set(vt_err *err, vt_status code, const char *path, long line,
                     long col, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    err->line = line;
    err->col = col;
    va_list args;
    va_start(args, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, args);
    va_end(args);
    return code;
}

void vt_err_default(vt_err *err, vt_status status)
{
    if (status != VT_OK && err->msg[0] == '\0')
        vt_err_set(err, status, err->path[0] ? err->path : NULL, err->line, err->col, "%s", vt_strerror(status));
}

void vt_err_format(const vt_err *err, char *buf, size_t size)
{
    if (err->path[0] && err->line > 0 && err->col > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->path, err->line, err->col, err->msg);
    else if (err->path[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->path, err->line, err->msg);
    else if (err->path[0])
        snprintf(buf, size, "%s: %s", err->path, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
}

/* The fault injector: allocation number fail_at (counted from 1 since it
 * was set) fails; 0 means none does.  Atomic: scoring threads allocate. */
static unsigned long alloc_count, alloc_fail_at, alloc_failures;

/* Count a failed allocation (injected or real) and pass the result on. */
static void *counted(void *memory)
{
    if (memory == NULL)
        __atomic_add_fetch(&alloc_failures, 1, __ATOMIC_RELAXED);
    return memory;
}

unsigned long vt_alloc_failures(void)
{
    return __atomic_load_n(&alloc_failures, __ATOMIC_RELAXED);
}

static int alloc_fails(void)
{
    unsigned long fail_at = __atomic_load_n(&alloc_fail_at, __ATOMIC_RELAXED);
    unsigned long n = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
    return fail_at != 0 && n == fail_at;
}

void vt_alloc_fail_at(unsigned long n)
{
    __atomic_store_n(&alloc_fail_at, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&alloc_count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&alloc_fail_at, n, __ATOMIC_RELAXED);
}

unsigned long vt_alloc_count(void)
{
    return __atomic_load_n(&alloc_count, __ATOMIC_RELAXED);
}

void *vt_malloc(size_t size)
{
    return counted(alloc_fails() ? NULL : malloc(size ? size : 1));
}

void *vt_realloc(void *memory, size_t size)
{
    return counted(alloc_fails() ? NULL : realloc(memory, size ? size : 1));
}

void *vt_calloc(size_t count, size_t size)
{
    return counted(alloc_fails() ? NULL : calloc(count ? count : 1, size ? size : 1));
}

char *vt_strndup(const char *text, size_t len)
{
    char *copy = vt_malloc(len + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}

char *vt_strdup(const char *text)
{
    return vt_strndup(text, strlen(text));
}

void vt_install_alloc_hooks(void)
{
    cJSON_Hooks hooks = {vt_malloc, free};
    cJSON_InitHooks(&hooks);
}

void *vt_alloc_large(size_t size)
{
    if (alloc_fails())
        return counted(NULL);
    void *memory = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        return counted(NULL);
    madvise(memory, size, MADV_HUGEPAGE); /* advice only: fine if refused */
    return memory;
}

void vt_free_large(void *memory, size_t size)
{
    if (memory != NULL)
        munmap(memory, size ? size : 1);
}
