/* The hub's records in: runs registered by whoever starts them, points and
 * summaries pushed by feeds or by the threads that drain forked runs'
 * pipes, and the condition variable the SSE streams wait on. */
#include "dash/hub.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dash/hub_int.h"

double dash__now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

dash_hub *dash_hub_new(void) {
    dash_hub *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->runs = calloc(DASH_MAX_RUNS, sizeof *h->runs);
    h->ring = calloc(DASH_RING, sizeof *h->ring);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (!h->runs || !h->ring || pthread_mutex_init(&h->mu, NULL) != 0 ||
        pthread_mutex_init(&h->readers_mu, NULL) != 0 || pthread_cond_init(&h->changed, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        free(h->runs);
        free(h->ring);
        free(h);
        return NULL;
    }
    pthread_condattr_destroy(&ca);
    h->version = 1;
    h->next_seq = 1;
    h->started = dash__now();
    return h;
}

/* Joins every reader started so far. */
static void join_readers(dash_hub *h) {
    pthread_mutex_lock(&h->readers_mu);
    dash_reader *r = h->readers;
    h->readers = NULL;
    pthread_mutex_unlock(&h->readers_mu);
    while (r) {
        dash_reader *next = r->next;
        pthread_join(r->thread, NULL);
        free(r);
        r = next;
    }
}

void dash_hub_free(dash_hub *h) {
    if (!h) return;
    join_readers(h);
    pthread_cond_destroy(&h->changed);
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->readers_mu);
    free(h->runs);
    free(h->ring);
    free(h);
}

static void changed(dash_hub *h) {
    h->version++;
    pthread_cond_broadcast(&h->changed);
}

int dash_hub_add_run(dash_hub *h, const dash_run_info *info) {
    pthread_mutex_lock(&h->mu);
    int idx = -1;
    if (h->nruns < DASH_MAX_RUNS) {
        idx = (int)h->nruns++;
        h->runs[idx] = (dash_run){.info = *info, .status = DASH_RUN_RUNNING};
        changed(h);
    }
    pthread_mutex_unlock(&h->mu);
    return idx;
}

uint32_t dash_hub_runs(dash_hub *h) {
    pthread_mutex_lock(&h->mu);
    uint32_t n = h->nruns;
    pthread_mutex_unlock(&h->mu);
    return n;
}

void dash_hub_expect(dash_hub *h, uint32_t runs) {
    pthread_mutex_lock(&h->mu);
    h->expected = runs;
    changed(h);
    pthread_mutex_unlock(&h->mu);
}

void dash_hub_push(dash_hub *h, const dash_rec *r) {
    pthread_mutex_lock(&h->mu);
    if (r->run < h->nruns) {
        dash_run *run = &h->runs[r->run];
        if (r->kind == DASH_REC_POINT) {
            dash_point p = r->u.point;
            p.run = r->run;
            p.seq = h->next_seq++;
            h->ring[(p.seq - 1) % DASH_RING] = p;
            run->latest = p;
            run->has_point = 1;
        } else if (r->kind == DASH_REC_SUMMARY) {
            run->summary = r->u.summary;
            run->has_summary = 1;
            run->status = DASH_RUN_DONE;
        }
        changed(h);
    }
    pthread_mutex_unlock(&h->mu);
}

void dash_hub_close_run(dash_hub *h, uint32_t run) {
    pthread_mutex_lock(&h->mu);
    if (run < h->nruns && !h->runs[run].has_summary) {
        h->runs[run].status = DASH_RUN_FAILED;
        changed(h);
    }
    pthread_mutex_unlock(&h->mu);
}

/* Reads n bytes; 0, or -1 at end of file or on an error. */
static int read_full(int fd, void *buf, size_t n) {
    size_t have = 0;
    while (have < n) {
        ssize_t got = read(fd, (char *)buf + have, n - have);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        have += (size_t)got;
    }
    return 0;
}

/* Reads records until end of file (or a header it does not know, which
 * only a broken writer sends); a record cut short by the run's end is
 * dropped. */
static void *read_main(void *arg) {
    dash_reader *r = arg;
    dash_wire w;
    dash_rec rec = {.run = r->run};
    while (read_full(r->fd, &w, sizeof w) == 0 && w.size == dash_rec_payload(w.kind) && w.size > 0 &&
           read_full(r->fd, &rec.u, w.size) == 0) {
        rec.kind = w.kind;
        dash_hub_push(r->hub, &rec);
    }
    close(r->fd);
    dash_hub_close_run(r->hub, r->run);
    return NULL;
}

int dash_hub_read_fd(dash_hub *h, uint32_t run, int fd, char *err, size_t errlen) {
    dash_reader *r = calloc(1, sizeof *r);
    if (!r) {
        close(fd);
        dash_hub_close_run(h, run);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *r = (dash_reader){.hub = h, .run = run, .fd = fd};
    pthread_mutex_lock(&h->readers_mu);
    int rc = pthread_create(&r->thread, NULL, read_main, r);
    if (rc == 0) {
        r->next = h->readers;
        h->readers = r;
    }
    pthread_mutex_unlock(&h->readers_mu);
    if (rc != 0) {
        close(fd);
        free(r);
        dash_hub_close_run(h, run);
        snprintf(err, errlen, "dashboard reader thread: %s", strerror(rc));
        return -1;
    }
    return 0;
}

void dash_hub_finish(dash_hub *h) {
    join_readers(h);
    pthread_mutex_lock(&h->mu);
    h->finished = 1;
    changed(h);
    pthread_mutex_unlock(&h->mu);
}

uint64_t dash_hub_wait(dash_hub *h, uint64_t version, int timeout_ms) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&h->mu);
    uint64_t woken = h->woken;
    while (h->version <= version && h->woken == woken)
        if (pthread_cond_timedwait(&h->changed, &h->mu, &until) == ETIMEDOUT) break;
    uint64_t v = h->version;
    pthread_mutex_unlock(&h->mu);
    return v;
}

void dash_hub_wake(dash_hub *h) {
    pthread_mutex_lock(&h->mu);
    h->woken++;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->mu);
}
