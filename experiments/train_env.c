/* The allocator environment (see train_env.h): reset forks a child that
 * simulates the next episode, step trades an action for the child's next
 * message. Both are split into send (fork, or write the action) and recv
 * (read the answer), so that several environments' children simulate at the
 * same time (pol_rl_env_step_many). Messages are fixed-size structs on a pipe; actions are int32 on
 * another. A child that finds the parent gone exits. */
#include "experiments/train_env.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/pipeline.h"
#include "policies/alloc_rl.h"
#include "sim/sim.h"

enum { MSG_OBS = 1, MSG_END, MSG_FAIL };

typedef struct msg {
    int32_t kind;
    int32_t last; /* MSG_OBS: the episode's final observation */
    double reward;
    float x[POL_ALLOC_RL_FEATURES];
    double cost_usd, slo_share, p95_ms; /* MSG_END */
    char text[512];                     /* MSG_FAIL */
} msg;

typedef struct env_state {
    const xp_scenario *s;
    xp_train_feed *feed;
    pid_t pid;
    int to_child, from_child; /* -1 when no child */
    int resetting;            /* the last send started an episode */
    xp_episode ep;
} env_state;

/* Writes or reads exactly n bytes; 0, or -1 on error or end of file. */
static int xfer(int fd, void *buf, size_t n, int writing) {
    for (size_t done = 0; done < n;) {
        ssize_t k =
            writing ? write(fd, (char *)buf + done, n - done) : read(fd, (char *)buf + done, n - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        done += (size_t)k;
    }
    return 0;
}

/* The child's side: the learner the allocator asks at each decision. */
typedef struct child_ctx {
    int in, out;
    rt_time_t end;
    int done;
} child_ctx;

static int remote_act(void *ctx, const eng_alloc_obs *obs, const float *x, size_t n, double reward) {
    child_ctx *c = ctx;
    if (c->done) return -1;
    msg m = {.kind = MSG_OBS, .last = obs->now + obs->interval >= c->end, .reward = reward};
    memcpy(m.x, x, n * sizeof *x);
    int32_t a = -1;
    if (xfer(c->out, &m, sizeof m, 1) != 0 || (!m.last && xfer(c->in, &a, sizeof a, 0) != 0)) _exit(3);
    c->done = m.last;
    return a;
}

static void child_main(const xp_scenario *s, uint64_t seed, int in, int out) {
    signal(SIGPIPE, SIG_DFL);
    child_ctx c = {.in = in, .out = out, .end = s->duration + s->drain};
    eng_alloc_learner learner = {.act = remote_act, .ctx = &c};
    eng_alloc_opts alloc = s->alloc;
    alloc.learner = &learner;
    eng_metrics *m = eng_metrics_new();
    eng_run run = {.metrics = m};
    msg r = {.kind = MSG_FAIL};
    int rc = -1;
    if (m) {
        xp_scenario_run_opts(s, &run.o);
        run.o.seed = seed;
        run.o.alloc = &alloc;
        rc = sim_run(&s->topo, s->alloc.max_executors, seed, ENG_HOST_DRIVER, eng_pipeline_main, &run, r.text,
                     sizeof r.text);
    } else {
        snprintf(r.text, sizeof r.text, "out of memory");
    }
    if (rc == 0 && !c.done) {
        rc = -1;
        snprintf(r.text, sizeof r.text, "the run ended before its last decision");
    }
    if (rc == 0)
        r = (msg){.kind = MSG_END,
                  .cost_usd = m->summary.cost_usd,
                  .slo_share = m->summary.slo_violation_share,
                  .p95_ms = m->summary.latency_p95_ms};
    eng_metrics_free(m);
    int ok = xfer(out, &r, sizeof r, 1) == 0 && rc == 0;
    fflush(NULL);
    _exit(ok ? 0 : 1);
}

static int env_fail(env_state *e, const char *fmt, const char *detail) {
    snprintf(e->feed->err, sizeof e->feed->err, fmt, (unsigned long long)e->ep.seed, detail);
    return -1;
}

/* Ends the child: kill it if asked, reap it, close the pipes. */
static void end_child(env_state *e, int kill_it) {
    if (e->to_child < 0) return;
    close(e->to_child);
    close(e->from_child);
    e->to_child = e->from_child = -1;
    if (kill_it) kill(e->pid, SIGKILL);
    while (waitpid(e->pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

/* The child's next message, which must be of kind `want`. */
static int receive(env_state *e, msg *m, int want) {
    if (xfer(e->from_child, m, sizeof *m, 0) != 0)
        return env_fail(e, "simulation of seed %llu stopped unexpectedly%s", "");
    if (m->kind == MSG_FAIL) {
        m->text[sizeof m->text - 1] = 0;
        return env_fail(e, "simulation of seed %llu failed: %s", m->text);
    }
    if (m->kind != want) return env_fail(e, "simulation of seed %llu sent an unexpected message%s", "");
    return 0;
}

static size_t env_obs_dim(const pol_rl_env *env) { return POL_ALLOC_RL_FEATURES; }
static size_t env_n_actions(const pol_rl_env *env) { return POL_ALLOC_RL_ACTIONS; }

/* Forks the child of the next episode; its first message is for recv. */
static int start_episode(env_state *e) {
    end_child(e, 1);
    e->ep = (xp_episode){.seed = e->feed->first_seed + e->feed->started++};
    int down[2], up[2];
    if (pipe(down) != 0) return env_fail(e, "seed %llu: pipe: %s", strerror(errno));
    if (pipe(up) != 0) {
        close(down[0]);
        close(down[1]);
        return env_fail(e, "seed %llu: pipe: %s", strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int errnum = errno;
        close(down[0]), close(down[1]), close(up[0]), close(up[1]);
        return env_fail(e, "seed %llu: fork: %s", strerror(errnum));
    }
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        child_main(e->s, e->ep.seed, down[0], up[1]);
    }
    close(down[0]);
    close(up[1]);
    e->pid = pid;
    e->to_child = down[1];
    e->from_child = up[0];
    return 0;
}

static int env_send(pol_rl_env *env, int action) {
    env_state *e = env->state;
    e->resetting = action == POL_RL_RESET;
    if (e->resetting) return start_episode(e);
    int32_t a = action;
    if (e->to_child < 0) return env_fail(e, "seed %llu: step after the episode ended%s", "");
    if (xfer(e->to_child, &a, sizeof a, 1) != 0)
        return env_fail(e, "simulation of seed %llu stopped unexpectedly%s", "");
    return 0;
}

/* The first observation of the episode send started. */
static int first_obs(env_state *e, float *obs) {
    msg m;
    if (receive(e, &m, MSG_OBS) != 0) return -1;
    if (m.last) return env_fail(e, "seed %llu: the run has a single decision%s", "");
    memcpy(obs, m.x, sizeof m.x);
    return 0;
}

static int env_recv(pol_rl_env *env, float *obs, pol_rl_step *out) {
    env_state *e = env->state;
    if (e->resetting) return first_obs(e, obs);
    msg m;
    if (e->to_child < 0) return env_fail(e, "seed %llu: step after the episode ended%s", "");
    if (receive(e, &m, MSG_OBS) != 0) return -1;
    memcpy(obs, m.x, sizeof m.x);
    *out = (pol_rl_step){.reward = m.reward, .truncated = m.last};
    e->ep.ret += m.reward;
    e->ep.steps++;
    if (!m.last) return 0;
    if (receive(e, &m, MSG_END) != 0) return -1;
    end_child(e, 0);
    e->ep.cost_usd = m.cost_usd;
    e->ep.slo_share = m.slo_share;
    e->ep.p95_ms = m.p95_ms;
    if (e->feed->done) e->feed->done(e->feed->ctx, &e->ep);
    return 0;
}

static int env_reset(pol_rl_env *env, float *obs) {
    int rc = env_send(env, POL_RL_RESET);
    return rc ? rc : env_recv(env, obs, NULL);
}

static int env_step(pol_rl_env *env, int action, float *obs, pol_rl_step *out) {
    int rc = env_send(env, action);
    return rc ? rc : env_recv(env, obs, out);
}

static void env_free(pol_rl_env *env) {
    env_state *e = env->state;
    end_child(e, 1);
    free(e);
    free(env);
}

static const pol_rl_env_ops ops = {
    .abi = POL_RL_ENV_ABI,
    .name = "allocator",
    .obs_dim = env_obs_dim,
    .n_actions = env_n_actions,
    .reset = env_reset,
    .step = env_step,
    .free = env_free,
    .send = env_send,
    .recv = env_recv,
};

pol_rl_env *xp_train_env_new(const xp_scenario *s, xp_train_feed *feed) {
    env_state *e = calloc(1, sizeof *e);
    pol_rl_env *env = malloc(sizeof *env);
    if (!e || !env) {
        free(e);
        free(env);
        return NULL;
    }
    *e = (env_state){.s = s, .feed = feed, .to_child = -1, .from_child = -1};
    *env = (pol_rl_env){.ops = &ops, .state = e};
    return env;
}

uint64_t xp_train_env_episode_steps(const xp_scenario *s) {
    rt_time_t end = s->duration + s->drain, iv = s->alloc.interval;
    uint64_t decisions = iv > 0 ? (uint64_t)((end + iv - 1) / iv) - 1 : 0;
    return decisions > 1 ? decisions - 1 : 0;
}
