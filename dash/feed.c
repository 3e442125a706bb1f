/* Feeds: turn the run's latest sample into a dashboard point (dash/rec.h)
 * and hand it to a pipe or a hub. Called on the simulation's own thread
 * once per sampling interval: one copy and one non-blocking write. */
#include "dash/feed.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dash/hub_int.h"

_Static_assert(sizeof(dash_wire) + sizeof(dash_point) <= PIPE_BUF, "a point must fit one atomic pipe write");

struct dash_feed {
    int fd;        /* -1 for a hub feed */
    dash_hub *hub; /* NULL for a pipe feed */
    uint32_t run;
    double started; /* monotonic seconds */
    uint64_t in_total, out_total;
    uint64_t dropped;
};

static dash_feed *feed_new(int fd, dash_hub *hub, uint32_t run) {
    dash_feed *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    *f = (dash_feed){.fd = fd, .hub = hub, .run = run, .started = dash__now()};
    return f;
}

dash_feed *dash_feed_pipe(int fd, uint32_t run) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    dash_feed *f = feed_new(fd, NULL, run);
    if (!f) close(fd);
    return f;
}

dash_feed *dash_feed_hub(dash_hub *hub, uint32_t run) { return feed_new(-1, hub, run); }

void dash_feed_free(dash_feed *f) {
    if (!f) return;
    if (f->fd >= 0) close(f->fd);
    if (f->hub) dash_hub_close_run(f->hub, f->run);
    free(f);
}

/* Sends r down the pipe as header and payload. Waits for room up to
 * wait_ms in all (a partial write is finished within it); without waiting,
 * a point fits one atomic write that either happens whole or not at all. */
static int put(dash_feed *f, const dash_rec *r, int wait_ms) {
    char buf[sizeof(dash_wire) + sizeof r->u];
    dash_wire w = {r->kind, (uint32_t)dash_rec_payload(r->kind)};
    memcpy(buf, &w, sizeof w);
    memcpy(buf + sizeof w, &r->u, w.size);
    size_t len = sizeof w + w.size, off = 0;
    double deadline = dash__now() + wait_ms / 1e3;
    while (off < len) {
        ssize_t n = write(f->fd, buf + off, len - off);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        int left = (int)((deadline - dash__now()) * 1e3);
        struct pollfd pfd = {.fd = f->fd, .events = POLLOUT};
        if (n < 0 && errno == EAGAIN && left > 0 && poll(&pfd, 1, left) >= 0) continue;
        return -1;
    }
    return 0;
}

static void send_rec(dash_feed *f, const dash_rec *r, int wait_ms) {
    if (f->hub)
        dash_hub_push(f->hub, r);
    else if (put(f, r, wait_ms) != 0 && r->kind == DASH_REC_POINT)
        f->dropped++;
}

void dash_feed_sample(dash_feed *f, const eng_metrics *m) {
    if (!f || m->nsamples == 0) return;
    dash_rec r = {.kind = DASH_REC_POINT, .run = f->run};
    dash_point_from_metrics(m, dash__now() - f->started, &f->in_total, &f->out_total, &r.u.point);
    send_rec(f, &r, 0);
}

void dash_feed_end(dash_feed *f, const eng_summary *s) {
    if (!f) return;
    dash_rec r = {.kind = DASH_REC_SUMMARY, .run = f->run};
    r.u.summary = *s;
    send_rec(f, &r, 1000);
}

uint64_t dash_feed_dropped(const dash_feed *f) { return f ? f->dropped : 0; }
