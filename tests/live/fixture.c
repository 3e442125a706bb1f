/* The live tests' fixture (see fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "engine/tmp.h"
#include "fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t proc_spawn(char *const argv[], const char *out) {
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

int proc_wait(pid_t pid, int secs) {
    int status;
    for (int i = 0; i < secs * 100; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        proc_nap_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

char *proc_slurp(const char *path) {
    static char buf[1 << 16];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = 0;
    if (f) fclose(f);
    return strdup(buf);
}

void proc_nap_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

int64_t proc_epoch_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

void fixture_up(fixture *f) {
    char err[512];
    memset(f, 0, sizeof *f);
    assert_int_equal(eng_tmp_path(f->dir, sizeof f->dir, "sparkiot-live-test-XXXXXX"), 0);
    assert_non_null(mkdtemp(f->dir));
    const char *src = getenv("SPARKIOT_SOURCE_DIR");
    assert_non_null(src);
    snprintf(f->scenario, sizeof f->scenario, "%s/tests/live/data/live_small.yaml", src);
    snprintf(f->log, sizeof f->log, "%s/live.log", f->dir);
    if (live_mosquitto_start(&f->broker, 0, err, sizeof err) != 0) fail_msg("%s", err);
    snprintf(f->mqtt, sizeof f->mqtt, "127.0.0.1:%d", f->broker.port);
    snprintf(f->port, sizeof f->port, "%d", f->broker.port);
    live_kafka_opts ko = {.topic = "sparkiot.live_small", .partitions = 4, .timeout_ms = 10000};
    f->cluster = live_kafka_open(&ko, err, sizeof err);
    if (!f->cluster) fail_msg("%s", err);
}

void fixture_down(fixture *f) {
    live_kafka_close(f->cluster, 0);
    live_mosquitto_stop(&f->broker, 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
}

pid_t fixture_start_role(fixture *f, const char *role, const char *tag, const char *const *extra) {
    const char *bin = getenv("SPARKIOT_BIN");
    assert_non_null(bin);
    char out[128], log[128];
    snprintf(out, sizeof out, "%s/%s", f->dir, tag);
    snprintf(log, sizeof log, "%s/%s.log", f->dir, tag);
    const char *argv[40] = {bin,     "live", f->scenario, "--mqtt", f->mqtt, "--kafka", f->cluster->bootstrap,
                            "--out", out};
    size_t n = 9;
    if (role) {
        argv[n++] = "--role";
        argv[n++] = role;
    }
    for (size_t i = 0; extra && extra[i] && n < 39; i++) argv[n++] = extra[i];
    return proc_spawn((char *const *)argv, log);
}

char *fixture_finish_role(fixture *f, pid_t pid, const char *tag, int secs, an_run_summary *r) {
    char err[512], path[1024], log[128];
    snprintf(log, sizeof log, "%s/%s.log", f->dir, tag);
    int rc = proc_wait(pid, secs);
    char *out = proc_slurp(log);
    if (rc != 0) fail_msg("sparkiot live (%s) exited %d:\n%s", tag, rc, out);
    snprintf(path, sizeof path, "%s/%s/live_small/default/seed-11.h5", f->dir, tag);
    if (r && an_results_read_summary(path, r, err, sizeof err) != 0) fail_msg("%s", err);
    return out;
}

pid_t fixture_start_live(fixture *f, const char *const *extra) {
    return fixture_start_role(f, NULL, "live", extra);
}

void fixture_finish_live(fixture *f, pid_t pid, int secs, an_run_summary *r) {
    free(fixture_finish_role(f, pid, "live", secs, r));
}

void fixture_wait_readings(fixture *f) {
    char log[128];
    snprintf(log, sizeof log, "%s/watch.log", f->dir);
    char *sub[] = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", f->port, "-t",
                   "sparkiot/0/+",           "-C", "1",         "-W", "30",    NULL};
    assert_int_equal(proc_wait(proc_spawn(sub, log), 30), 0);
}

int64_t fixture_origin(fixture *f) {
    char log[128];
    snprintf(log, sizeof log, "%s/origin.log", f->dir);
    char *sub[] = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", f->port, "-t",
                   "sparkiot/origin",        "-C", "1",         "-W", "30",    NULL};
    assert_int_equal(proc_wait(proc_spawn(sub, log), 31), 0);
    char *text = proc_slurp(log);
    int64_t origin = strtoll(text, NULL, 10);
    free(text);
    assert_true(origin > 0);
    return origin;
}

void fixture_check_exactly_once(const an_run_summary *r, uint64_t total) {
    assert_int_equal(r->s.readings_in, total);
    assert_int_equal(r->s.readings_out, total);
    assert_int_equal(r->s.bus_records, total);
    assert_int_equal(r->s.readings_queued, 0);
    assert_int_equal(r->s.readings_filtered, 0);
    assert_int_equal(r->s.readings_lost, 0);
}
