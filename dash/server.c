/* The HTTP side of the dashboard: a listening socket bound here (so a port
 * in use is reported precisely), handed to libmicrohttpd with one thread
 * per connection; the event streams wait on the hub between events, at
 * most four a second and at least one. */
#include "dash/server.h"

#include <errno.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <netinet/in.h>

#include "dash/hub_int.h"
#include "dash/page.h"

#define SSE_MIN_GAP_MS 250
#define SSE_MAX_GAP_MS 1000
#define SERIES_MAX 5000

typedef struct file_buf {
    char *data;
    size_t len;
} file_buf;

struct dash_server {
    dash_hub *hub;
    struct MHD_Daemon *mhd;
    int fd;
    unsigned port;
    _Atomic int stopping;
    file_buf js, css; /* dygraphs, read once at start */
};

int dash_addr_parse(const char *spec, char *host, size_t hostlen, unsigned *port, char *err, size_t errlen) {
    snprintf(host, hostlen, "%s", DASH_DEFAULT_HOST);
    *port = DASH_DEFAULT_PORT;
    if (!spec || !*spec) return 0;
    const char *colon = strrchr(spec, ':');
    const char *p = colon ? colon + 1 : spec;
    char *end;
    errno = 0;
    unsigned long v = strtoul(p, &end, 10);
    if (!*p || *end || errno || v > 65535 || p[0] == '-' || p[0] == '+' || (colon && colon == spec) ||
        (colon && (size_t)(colon - spec) >= hostlen)) {
        snprintf(err, errlen, "--dashboard expects [HOST:]PORT with PORT in 0..65535, got '%s'", spec);
        return -1;
    }
    if (colon) snprintf(host, hostlen, "%.*s", (int)(colon - spec), spec);
    *port = (unsigned)v;
    return 0;
}

static int listen_on(const char *host, unsigned port, unsigned *bound, char *err, size_t errlen) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE},
                    *ai = NULL;
    char service[16];
    snprintf(service, sizeof service, "%u", port);
    int rc = getaddrinfo(host, service, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "dashboard address %s:%u: %s", host, port, gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol), one = 1;
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 16) != 0) {
        snprintf(err, errlen, "cannot serve the dashboard on %s:%u: %s", host, port, strerror(errno));
        if (fd >= 0) close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &len);
    *bound = sa.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&sa)->sin6_port)
                                      : ntohs(((struct sockaddr_in *)&sa)->sin_port);
    return fd;
}

static void read_file(const char *name, file_buf *b) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DASH_DYGRAPHS_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "sparkiot: dashboard: %s: %s (install libjs-dygraphs; the charts will not draw)\n",
                path, strerror(errno));
        return;
    }
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        b->data = n > 0 ? malloc((size_t)n) : NULL;
        if (b->data && fseek(f, 0, SEEK_SET) == 0 && fread(b->data, 1, (size_t)n, f) == (size_t)n)
            b->len = (size_t)n;
    }
    fclose(f);
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type, void *data,
                               size_t len, enum MHD_ResponseMemoryMode mode) {
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, mode);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result respond_text(struct MHD_Connection *c, unsigned status, const char *text) {
    return respond(c, status, "text/plain; charset=utf-8", (void *)text, strlen(text),
                   MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result respond_json(struct MHD_Connection *c, char *json) {
    if (!json) return respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    return respond(c, MHD_HTTP_OK, "application/json", json, strlen(json), MHD_RESPMEM_MUST_FREE);
}

/* One /events client: the bytes of the event being sent and where the
 * stream stands. */
typedef struct sse {
    dash_server *srv;
    uint64_t version, last_seq;
    char *buf;
    size_t len, off;
    double sent_at;
} sse;

/* Renders the next event into e->buf, waiting for a change (at most a
 * second, at least SSE_MIN_GAP_MS after the last event). */
static int next_event(sse *e) {
    double gap = dash__now() - e->sent_at;
    if (e->sent_at > 0 && gap * 1000 < SSE_MIN_GAP_MS) {
        struct timespec ts = {0, (long)((SSE_MIN_GAP_MS - gap * 1000) * 1e6)};
        nanosleep(&ts, NULL);
    }
    uint64_t v = e->version;
    for (int waited = 0; v == e->version && waited < SSE_MAX_GAP_MS && !e->srv->stopping;
         waited += SSE_MIN_GAP_MS)
        v = dash_hub_wait(e->srv->hub, e->version, SSE_MIN_GAP_MS);
    if (e->srv->stopping) return -1;
    char *json = dash_hub_event_json(e->srv->hub, &e->last_seq, SERIES_MAX);
    if (!json) return -1;
    size_t n = strlen(json) + 32;
    free(e->buf);
    e->buf = malloc(n);
    if (!e->buf) {
        free(json);
        return -1;
    }
    e->len = (size_t)snprintf(e->buf, n, "event: update\ndata: %s\n\n", json);
    e->off = 0;
    free(json);
    e->sent_at = dash__now();
    e->version = v;
    return 0;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *out, size_t max) {
    sse *e = cls;
    if (e->off == e->len && next_event(e) != 0) return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = e->len - e->off < max ? e->len - e->off : max;
    memcpy(out, e->buf + e->off, n);
    e->off += n;
    return (ssize_t)n;
}

static void sse_free(void *cls) {
    sse *e = cls;
    free(e->buf);
    free(e);
}

/* The "since" argument of c in *since (0 when absent); -1 if malformed. */
static int arg_since(struct MHD_Connection *c, uint64_t *since) {
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    char *end;
    *since = 0;
    if (!v) return 0;
    errno = 0;
    *since = strtoull(v, &end, 10);
    return !*v || *end || errno || v[0] == '-' ? -1 : 0;
}

static enum MHD_Result bad_since(struct MHD_Connection *c) {
    return respond_text(c, MHD_HTTP_BAD_REQUEST, "since expects a sequence number (0 for all)\n");
}

static enum MHD_Result respond_events(dash_server *s, struct MHD_Connection *c) {
    uint64_t since;
    if (arg_since(c, &since) != 0) return bad_since(c);
    sse *e = calloc(1, sizeof *e);
    if (!e) return respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    e->srv = s;
    e->last_seq = since;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, sse_read, e, sse_free);
    if (!r) {
        sse_free(e);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/event-stream");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* The page's first data as a script, so it is drawn before the page's
 * load event (and a headless browser's DOM dump) and without waiting for
 * the stream. */
static enum MHD_Result respond_initial(dash_server *s, struct MHD_Connection *c) {
    uint64_t last = 0;
    char *json = dash_hub_event_json(s->hub, &last, SERIES_MAX);
    size_t n = json ? strlen(json) + 32 : 0;
    char *js = json ? malloc(n) : NULL;
    if (!js) {
        free(json);
        return respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    }
    snprintf(js, n, "dashUpdate(%s);\n", json);
    free(json);
    return respond(c, MHD_HTTP_OK, "text/javascript", js, strlen(js), MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result respond_series(dash_server *s, struct MHD_Connection *c) {
    const char *max = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "max");
    uint64_t v;
    unsigned long long m = SERIES_MAX;
    char *end;
    if (arg_since(c, &v) != 0) return bad_since(c);
    if (max) {
        errno = 0;
        m = strtoull(max, &end, 10);
        if (!*max || *end || errno || max[0] == '-' || m < 1 || m > SERIES_MAX)
            return respond_text(c, MHD_HTTP_BAD_REQUEST, "max expects 1..5000\n");
    }
    return respond_json(c, dash_hub_series_json(s->hub, v, (size_t)m));
}

static enum MHD_Result serve_file(struct MHD_Connection *c, const file_buf *b, const char *type) {
    if (!b->data) return respond_text(c, MHD_HTTP_NOT_FOUND, "libjs-dygraphs is not installed\n");
    return respond(c, MHD_HTTP_OK, type, b->data, b->len, MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    dash_server *s = cls;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET only\n");
    if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
        return respond(c, MHD_HTTP_OK, "text/html; charset=utf-8", (void *)dash_page_html, dash_page_html_len,
                       MHD_RESPMEM_PERSISTENT);
    if (!strcmp(url, "/dygraph.min.js")) return serve_file(c, &s->js, "text/javascript");
    if (!strcmp(url, "/dygraph.min.css")) return serve_file(c, &s->css, "text/css");
    if (!strcmp(url, "/api/state")) return respond_json(c, dash_hub_state_json(s->hub));
    if (!strcmp(url, "/api/series")) return respond_series(s, c);
    if (!strcmp(url, "/events")) return respond_events(s, c);
    if (!strcmp(url, "/initial.js")) return respond_initial(s, c);
    return respond_text(c, MHD_HTTP_NOT_FOUND, "not found (see docs/dashboard.md)\n");
}

dash_server *dash_server_start(dash_hub *hub, const char *host, unsigned port, char *err, size_t errlen) {
    dash_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->hub = hub;
    s->fd = listen_on(host, port, &s->port, err, errlen);
    if (s->fd < 0) {
        free(s);
        return NULL;
    }
    read_file("dygraph.min.js", &s->js);
    read_file("dygraph.min.css", &s->css);
    s->mhd = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC,
                              0, NULL, NULL, handle, s, MHD_OPTION_LISTEN_SOCKET, s->fd, MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(err, errlen, "cannot start the dashboard's HTTP server on %s:%u", host, s->port);
        close(s->fd);
        free(s->js.data);
        free(s->css.data);
        free(s);
        return NULL;
    }
    return s;
}

unsigned dash_server_port(const dash_server *s) { return s->port; }

void dash_server_stop(dash_server *s) {
    if (!s) return;
    s->stopping = 1;
    dash_hub_wake(s->hub);
    MHD_socket fd = MHD_quiesce_daemon(s->mhd); /* MHD hands the socket back rather than closing it */
    MHD_stop_daemon(s->mhd);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    free(s->js.data);
    free(s->css.data);
    free(s);
}
