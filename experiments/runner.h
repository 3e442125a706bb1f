/* The runner: one simulation of one scenario variant and seed, in a forked
 * child process (SimGrid allows one engine per process), writing one result
 * file atomically. Used by `run`, `sweep` (several children at once) and the
 * tests. */
#ifndef XP_RUNNER_H
#define XP_RUNNER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dash/hub.h"
#include "experiments/scenario.h"

/* results/<scenario>/<variant>/seed-<n>.h5 under out_dir. */
void xp_result_path(char *buf, size_t len, const char *out_dir, const char *scenario, const char *variant,
                    uint64_t seed);

/* Runs the loaded scenario `s` (already specialised to `variant`) with
 * `seed` and writes `out_path`. `overrides` are recorded in the file's
 * metadata. progress: draw a progress bar on stderr. Returns 0, or -1 with a
 * message (no file is left behind on failure). */
int xp_run_one(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
               const char *out_path, int progress, char *err, size_t errlen);

/* A run in its own child process, started by xp_run_start. */
typedef struct xp_child {
    pid_t pid;
    int fd;          /* read end of the pipe the child writes its error message to */
    char label[160]; /* "scenario/variant seed n", for messages */
} xp_child;

/* Forks a child that runs xp_run_here and fills *c; returns at once. The
 * caller waits for c->pid (waitpid) and then calls xp_run_finish with its
 * wait status. Returns 0, or -1 with a message (no child). */
int xp_run_start(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
                 const char *out_path, int progress, xp_child *c, char *err, size_t errlen);
/* Collects the ended child c (closes its pipe): 0 if its run succeeded,
 * else -1 with its message (or how it died) in err. */
int xp_run_finish(xp_child *c, int status, char *err, size_t errlen);
/* Waits until one of kids[0..n) that has a pid ends, collects it with
 * xp_run_finish into *rc and err, and clears its pid. Returns its index, or
 * -1 when a signal interrupted the wait first. */
int xp_run_reap(xp_child *kids, unsigned n, int *rc, char *err, size_t errlen);

/* Sends the samples and summary of every run xp_run_start starts from now
 * on to `hub` (borrowed; NULL: to none): the run registers with the hub in
 * this process, and its child writes fixed-size records down a pipe that a
 * hub thread drains (dash/feed.h), never waiting for it. */
void xp_runner_dashboard(dash_hub *hub);

/* Runs in this process (no fork): for a forked child or a test harness
 * that already runs in its own process. Same contract as xp_run_one. */
int xp_run_here(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
                const char *out_path, int progress, char *err, size_t errlen);

#endif
