/* The live tests' fixture: brokers the test owns (a private mosquitto and a
 * librdkafka mock cluster with the topic of tests/live/data/live_small.yaml)
 * in a temporary folder, `sparkiot` as a child process with a bounded wait,
 * the run's result summary, and small clock helpers. Functions that take a
 * fixture fail the current cmocka test on error. */
#ifndef TEST_LIVE_FIXTURE_H
#define TEST_LIVE_FIXTURE_H

#include <stdint.h>
#include <sys/types.h>

#include "analysis/results.h"
#include "live/kafka.h"
#include "live/mqtt.h"

typedef struct fixture {
    char dir[64];        /* temporary folder: --out, logs */
    char scenario[1024]; /* tests/live/data/live_small.yaml */
    char mqtt[64];       /* 127.0.0.1:<port> */
    char port[16];
    char log[128]; /* the run's output */
    live_mosquitto broker;
    live_kafka *cluster;
} fixture;

/* Starts both brokers. */
void fixture_up(fixture *f);
/* Stops them and removes the folder. */
void fixture_down(fixture *f);
/* Starts `sparkiot live` on the scenario with the fixture's brokers and
 * --out, plus `extra` (NULL-terminated; may be NULL). */
pid_t fixture_start_live(fixture *f, const char *const *extra);
/* Waits at most secs for the run to exit 0 (failing with its output
 * otherwise) and reads its result summary. */
void fixture_finish_live(fixture *f, pid_t pid, int secs, an_run_summary *r);
/* Starts `sparkiot live --role ROLE` (NULL: no --role) with the fixture's
 * brokers, its output in DIR/<tag>.log and --out DIR/<tag>, plus `extra`. */
pid_t fixture_start_role(fixture *f, const char *role, const char *tag, const char *const *extra);
/* Waits at most secs for that process to exit 0 (failing with its output
 * otherwise), reads its result summary if `r` is not NULL, and returns its
 * output (to free). */
char *fixture_finish_role(fixture *f, pid_t pid, const char *tag, int secs, an_run_summary *r);

/* Returns once readings flow: a watcher subscribed to site 0 has seen one
 * (devices publish for 3 s, so a watcher that subscribes after the first
 * ones is woken by later ones). */
void fixture_wait_readings(fixture *f);
/* The run origin the devices role published (waits for it at most 30 s). */
int64_t fixture_origin(fixture *f);
/* Checks a run that went through a fault: all `total` readings in and out
 * exactly once (the edges' records too), nothing queued, lost or filtered.
 * live_small sends 2 sites x 25 devices x 10 readings a second. */
void fixture_check_exactly_once(const an_run_summary *r, uint64_t total);
#define LIVE_SMALL_TOTAL (2 * 25 * 30)

/* Starts argv[0] with argv, stdout and stderr into the file `out`. */
pid_t proc_spawn(char *const argv[], const char *out);
/* Waits for pid at most `secs`, killing it then; its exit code or -1. */
int proc_wait(pid_t pid, int secs);
/* The file's text (at most 64 KiB; "" if unreadable), to free. */
char *proc_slurp(const char *path);
void proc_nap_ms(int ms);
int64_t proc_epoch_ns(void);

#endif
