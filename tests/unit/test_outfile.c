/* outfile: what each kind of target gets (regular file, symlink, device,
 * FIFO, socket, descriptor name), modes kept, failures that leave the old
 * file and no temporary, stale temporaries, and cleanup on a signal taken
 * by any thread.  Each test works in its own fresh directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outfile.h"

static int enter_temp_dir(void **state)
{
    char *dir = strdup("/tmp/vitals-outfile-XXXXXX");
    if (dir == NULL || mkdtemp(dir) == NULL || chdir(dir) != 0)
        return -1;
    *state = dir;
    return 0;
}

static int leave_temp_dir(void **state)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", (char *)*state);
    int status = chdir("/") == 0 && system(command) == 0 ? 0 : -1;
    free(*state);
    return status;
}

static void write_file(const char *path, const char *text)
{
    FILE *stream = fopen(path, "w");
    assert_non_null(stream);
    fputs(text, stream);
    assert_int_equal(fclose(stream), 0);
}

/* The whole content of path (at most 255 bytes), or "" if it cannot be read. */
static const char *read_file(const char *path)
{
    static char text[256];
    text[0] = '\0';
    FILE *stream = fopen(path, "r");
    if (stream == NULL)
        return text;
    text[fread(text, 1, sizeof text - 1, stream)] = '\0';
    fclose(stream);
    return text;
}

/* Names in dir containing ".tmp.". */
static int count_temps(const char *dir)
{
    DIR *listing = opendir(dir);
    assert_non_null(listing);
    int n = 0;
    for (struct dirent *entry; (entry = readdir(listing)) != NULL;)
        n += strstr(entry->d_name, ".tmp.") != NULL;
    closedir(listing);
    return n;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode;
}

static void outfile_should_give_new_files_the_umask_mode(void **state)
{
    (void)state;
    mode_t old_mask = umask(027);
    assert_int_equal(outfile_write_text("new.txt", "hello", NULL), VT_OK);
    umask(old_mask);
    assert_int_equal(mode_of("new.txt") & 07777, 0640);
    assert_string_equal(read_file("new.txt"), "hello\n");
    assert_int_equal(count_temps("."), 0);
}

static void outfile_should_keep_an_existing_files_mode(void **state)
{
    (void)state;
    write_file("kept.txt", "old\n");
    assert_int_equal(chmod("kept.txt", 0604), 0);
    assert_int_equal(outfile_write_text("kept.txt", "new", NULL), VT_OK);
    assert_int_equal(mode_of("kept.txt") & 07777, 0604);
    assert_string_equal(read_file("kept.txt"), "new\n");
}

static void outfile_should_write_the_target_of_a_symlink_chain(void **state)
{
    (void)state;
    /* a -> sub/b -> ../c (relative to sub/), and a dangling d -> sub/new */
    assert_int_equal(mkdir("sub", 0755), 0);
    write_file("c", "old\n");
    assert_int_equal(symlink("../c", "sub/b"), 0);
    assert_int_equal(symlink("sub/b", "a"), 0);
    assert_int_equal(outfile_write_text("a", "through", NULL), VT_OK);
    assert_true(S_ISLNK(mode_of("a")) && S_ISLNK(mode_of("sub/b")));
    assert_string_equal(read_file("c"), "through\n");

    assert_int_equal(symlink("sub/new", "d"), 0);
    assert_int_equal(outfile_write_text("d", "created", NULL), VT_OK);
    assert_true(S_ISLNK(mode_of("d")));
    assert_string_equal(read_file("sub/new"), "created\n");
    assert_int_equal(count_temps("."), 0);
    assert_int_equal(count_temps("sub"), 0);
}

static void outfile_should_leave_the_old_file_on_abort(void **state)
{
    (void)state;
    write_file("result.txt", "old\n");
    outfile *file = NULL;
    assert_int_equal(outfile_open("result.txt", &file, NULL), VT_OK);
    fputs("partial", outfile_stream(file));
    assert_int_equal(count_temps("."), 1);
    outfile_abort(file);
    outfile_abort(NULL);
    assert_string_equal(read_file("result.txt"), "old\n");
    assert_int_equal(count_temps("."), 0);
}

static void outfile_should_report_why_a_write_failed(void **state)
{
    (void)state;
    /* /dev/full: a device, written directly; every write is ENOSPC. */
    outfile *file = NULL;
    vt_err err = {0};
    assert_int_equal(outfile_open("/dev/full", &file, &err), VT_OK);
    for (int i = 0; i < 100000; i++)
        fputs("0123456789abcdef0123456789abcdef\n", outfile_stream(file));
    assert_int_equal(outfile_commit(file, &err), VT_EIO);
    assert_string_equal(err.path, "/dev/full");
    assert_string_equal(err.msg, "write failed: No space left on device");
}

static void outfile_should_refuse_directories_loops_and_missing_directories(void **state)
{
    (void)state;
    outfile *file = NULL;
    vt_err err = {0};
    assert_int_equal(mkdir("dir", 0755), 0);
    assert_int_equal(symlink("dir", "to_dir"), 0);
    assert_int_equal(symlink("loop", "loop"), 0);
    assert_int_equal(symlink("missing/x", "dangling_into_nothing"), 0);
    const char *bad[] = {"dir", "to_dir", "loop", "missing/x", "dangling_into_nothing", "/dev/fd/987"};
    const char *why[] = {"Is a directory", "Is a directory", "Too many levels of symbolic links",
                         "No such file or directory", "No such file or directory", "Bad file descriptor"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(outfile_check(bad[i], &err), VT_EIO);
        assert_non_null(strstr(err.msg, why[i]));
        assert_int_equal(outfile_open(bad[i], &file, &err), VT_EIO);
        assert_null(file);
        assert_string_equal(err.path, bad[i]);
        assert_non_null(strstr(err.msg, why[i]));
    }
    assert_int_equal(count_temps("."), 0);
}

static void outfile_check_should_accept_special_targets_without_opening(void **state)
{
    (void)state;
    /* A FIFO without a reader: opening it would block, checking must not. */
    assert_int_equal(mkfifo("pipe", 0644), 0);
    assert_int_equal(symlink("pipe", "to_pipe"), 0);
    assert_int_equal(symlink("nowhere_yet", "dangling"), 0);
    const char *good[] = {"-", "pipe", "to_pipe", "dangling", "/dev/null", "/dev/stdout", "/dev/fd/2", "new.txt"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(outfile_check(good[i], NULL), VT_OK);
    assert_int_equal(access("new.txt", F_OK), -1);
    assert_int_equal(access("nowhere_yet", F_OK), -1);
}

static void outfile_should_write_to_a_unix_socket(void **state)
{
    (void)state;
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strcpy(address.sun_path, "sock");
    assert_int_equal(bind(server, (struct sockaddr *)&address, sizeof address), 0);
    assert_int_equal(listen(server, 1), 0);
    assert_int_equal(outfile_write_text("sock", "over a socket", NULL), VT_OK);
    int client = accept(server, NULL, NULL);
    char text[64] = {0};
    assert_true(read(client, text, sizeof text - 1) > 0);
    assert_string_equal(text, "over a socket\n");
    assert_true(S_ISSOCK(mode_of("sock")));
    close(client);
    close(server);
}

static void outfile_should_remove_only_stale_temporaries_of_its_target(void **state)
{
    (void)state;
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    assert_int_equal(waitpid(dead, NULL, 0), dead);
    char stale[64], live[64], other[64], odd[64];
    snprintf(stale, sizeof stale, "out.csv.tmp.%d.abc123", (int)dead);
    snprintf(live, sizeof live, "out.csv.tmp.%d.abc123", (int)getppid());
    snprintf(other, sizeof other, "other.csv.tmp.%d.abc123", (int)dead);
    snprintf(odd, sizeof odd, "out.csv.tmp.%d.abc", (int)dead); /* not our pattern */
    const char *names[] = {stale, live, other, odd};
    for (size_t i = 0; i < 4; i++)
        write_file(names[i], "x");
    assert_int_equal(outfile_write_text("out.csv", "new", NULL), VT_OK);
    assert_int_equal(access(stale, F_OK), -1);
    for (size_t i = 1; i < 4; i++)
        assert_int_equal(access(names[i], F_OK), 0);
}

static void outfile_should_hold_a_bounded_number_of_temporaries(void **state)
{
    (void)state;
    /* The signal registry has 16 slots: the 17th open fails cleanly, and
     * slots are reused once files end. */
    outfile *files[17] = {0};
    char name[32];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 16; i++) {
            snprintf(name, sizeof name, "f%d", i);
            assert_int_equal(outfile_open(name, &files[i], NULL), VT_OK);
        }
        vt_err err = {0};
        assert_int_equal(outfile_open("f16", &files[16], &err), VT_EIO);
        assert_null(files[16]);
        assert_non_null(strstr(err.msg, "Too many open files"));
        for (int i = 0; i < 16; i++)
            assert_int_equal(outfile_commit(files[i], NULL), VT_OK);
    }
    assert_int_equal(count_temps("."), 0);
}

/* ---- signals, in a child that dies of them ---- */

/* Unblocks SIGTERM on this thread only, so the process-wide signal it sends
 * can be taken nowhere else. */
static void *send_sigterm(void *unused)
{
    (void)unused;
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &term, NULL);
    kill(getpid(), SIGTERM);
    pause();
    return NULL;
}

/* The child: open an output over "old", write, then take SIGTERM on the
 * main thread or, with the main thread blocking it, on another thread. */
static void child_interrupted_while_writing(int on_other_thread)
{
    outfile_install_signal_cleanup();
    outfile *file = NULL;
    if (outfile_open("result.txt", &file, NULL) != VT_OK)
        _exit(3);
    fputs("partial", outfile_stream(file));
    fflush(outfile_stream(file));
    if (!on_other_thread)
        raise(SIGTERM);
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, NULL);
    pthread_t thread;
    pthread_create(&thread, NULL, send_sigterm, NULL);
    pthread_join(thread, NULL);
    _exit(4); /* not reached: the signal kills the process */
}

static void outfile_should_remove_temporaries_when_killed(void **state)
{
    (void)state;
    for (int on_other_thread = 0; on_other_thread < 2; on_other_thread++) {
        write_file("result.txt", "old\n");
        pid_t child = fork();
        if (child == 0)
            child_interrupted_while_writing(on_other_thread);
        int status = 0;
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGTERM);
        assert_string_equal(read_file("result.txt"), "old\n");
        assert_int_equal(count_temps("."), 0);
    }
}


/* A sink of the caller's (a table, pg.h): every byte reaches it, exactly one
 * of commit or abort ends it, and a failed write reports the sink's own
 * error, at the write or at commit, and aborts it there. */
typedef struct {
    char got[64];
    size_t len;
    int fail_after, commits, aborts;
} fake_sink;

static vt_status fake_write(void *state, const char *bytes, size_t len, vt_err *err)
{
    fake_sink *sink = state;
    if (sink->fail_after >= 0 && sink->len + len > (size_t)sink->fail_after)
        return vt_err_set(err, VT_EIO, "postgresql://h/db", 0, 0, "server closed the connection unexpectedly");
    memcpy(sink->got + sink->len, bytes, len);
    sink->len += len;
    return VT_OK;
}
static vt_status fake_commit(void *state, vt_err *err)
{
    (void)err;
    ((fake_sink *)state)->commits++;
    return VT_OK;
}
static void fake_abort(void *state) { ((fake_sink *)state)->aborts++; }

static void outfile_should_hand_a_sink_its_bytes_and_its_errors(void **state)
{
    (void)state;
    fake_sink ok = {.fail_after = -1};
    outfile_sink sink = {&ok, fake_write, fake_commit, fake_abort};
    outfile *file = NULL;
    vt_err err = {0};
    assert_int_equal(outfile_open_sink("scores", &sink, &file, &err), VT_OK);
    fputs("id,health\n", outfile_stream(file));
    assert_int_equal(outfile_write(file, "a,1\n", 4, &err), VT_OK);
    assert_int_equal(ok.len, 0); /* buffered until commit or a full buffer */
    assert_int_equal(outfile_commit(file, &err), VT_OK);
    assert_int_equal(ok.len, 14);
    assert_memory_equal(ok.got, "id,health\na,1\n", 14);
    assert_int_equal(ok.commits, 1);
    assert_int_equal(ok.aborts, 0);

    fake_sink dropped = {.fail_after = -1};
    sink.state = &dropped;
    assert_int_equal(outfile_open_sink("scores", &sink, &file, &err), VT_OK);
    assert_int_equal(outfile_write(file, "a,1\n", 4, &err), VT_OK);
    outfile_abort(file);
    assert_int_equal(dropped.len, 0); /* the buffer is discarded, not flushed */
    assert_int_equal(dropped.commits + 10 * dropped.aborts, 10);

    fake_sink broken = {.fail_after = 0};
    sink.state = &broken;
    assert_int_equal(outfile_open_sink("scores", &sink, &file, &err), VT_OK);
    assert_int_equal(outfile_write(file, "a,1\n", 4, &err), VT_OK);
    memset(&err, 0, sizeof err);
    assert_int_equal(outfile_commit(file, &err), VT_EIO);
    assert_string_equal(err.path, "postgresql://h/db");
    assert_string_equal(err.msg, "server closed the connection unexpectedly");
    assert_int_equal(broken.commits + 10 * broken.aborts, 10);

    /* A write larger than the buffer fails at once, with the sink's error. */
    fake_sink early = {.fail_after = 0};
    sink.state = &early;
    size_t big_len = 4u << 20;
    char *big = calloc(1, big_len);
    assert_non_null(big);
    assert_int_equal(outfile_open_sink("scores", &sink, &file, &err), VT_OK);
    memset(&err, 0, sizeof err);
    assert_int_equal(outfile_write(file, big, big_len, &err), VT_EIO);
    assert_string_equal(err.msg, "server closed the connection unexpectedly");
    free(big);
    outfile_abort(file);
    assert_int_equal(early.commits + 10 * early.aborts, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(outfile_should_give_new_files_the_umask_mode, enter_temp_dir, leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_keep_an_existing_files_mode, enter_temp_dir, leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_write_the_target_of_a_symlink_chain, enter_temp_dir, leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_leave_the_old_file_on_abort, enter_temp_dir, leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_report_why_a_write_failed, enter_temp_dir, leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_refuse_directories_loops_and_missing_directories, enter_temp_dir,
                                        leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_check_should_accept_special_targets_without_opening, enter_temp_dir,
                                        leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_write_to_a_unix_socket, enter_temp_dir, leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_remove_only_stale_temporaries_of_its_target, enter_temp_dir,
                                        leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_hold_a_bounded_number_of_temporaries, enter_temp_dir,
                                        leave_temp_dir),
        cmocka_unit_test_setup_teardown(outfile_should_remove_temporaries_when_killed, enter_temp_dir, leave_temp_dir),
        cmocka_unit_test(outfile_should_hand_a_sink_its_bytes_and_its_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
