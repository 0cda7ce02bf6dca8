/* replay: run a fuzz target's entry point over files, without libFuzzer.
 *
 * Linked into each target when the compiler is not clang (gcc builds with
 * -DVITALS_FUZZ=ON), so the harnesses compile under the project's usual
 * warnings and the committed corpus and reproducers can be replayed under
 * gcc's sanitizers: `fuzz_csv FILE...` or `fuzz_csv DIR...`. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t len = 0, cap = 4096;
    uint8_t *data = malloc(cap);
    for (size_t got; data && (got = fread(data + len, 1, cap - len, in)) > 0;) {
        len += got;
        if (len == cap) {
            uint8_t *grown = realloc(data, cap *= 2);
            if (grown == NULL)
                free(data);
            data = grown;
        }
    }
    fclose(in);
    if (data == NULL) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return 0;
}

static int replay_path(const char *path)
{
    struct stat info;
    if (stat(path, &info) != 0 || !S_ISDIR(info.st_mode))
        return replay_file(path);
    DIR *dir = opendir(path);
    if (dir == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    int failed = 0;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
        char child[4096];
        if (entry->d_name[0] == '.')
            continue;
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        failed |= replay_file(child);
    }
    closedir(dir);
    return failed;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int failed = 0;
    for (int i = 1; i < argc; i++)
        failed |= replay_path(argv[i]);
    return failed;
}
