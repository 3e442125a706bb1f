/* Inside the hub: its layout, shared by hub.c (records in, readers) and
 * hub_json.c (JSON out), and the folder's clock. Everything in the hub is
 * guarded by `mu`. */
#ifndef DASH_HUB_INT_H
#define DASH_HUB_INT_H

#include <pthread.h>

#include "dash/hub.h"

enum { DASH_RUN_RUNNING, DASH_RUN_DONE, DASH_RUN_FAILED };

typedef struct dash_run {
    dash_run_info info;
    int status; /* DASH_RUN_* */
    int has_point, has_summary;
    dash_point latest;
    eng_summary summary;
} dash_run;

typedef struct dash_reader {
    pthread_t thread;
    dash_hub *hub;
    uint32_t run;
    int fd;
    struct dash_reader *next;
} dash_reader;

struct dash_hub {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    uint64_t version;
    uint64_t woken; /* dash_hub_wake calls */
    dash_run *runs;
    uint32_t nruns, expected;
    dash_point *ring; /* point with seq s at ring[(s - 1) % DASH_RING] */
    uint64_t next_seq;
    int finished;
    double started;       /* CLOCK_MONOTONIC seconds at creation */
    dash_reader *readers; /* guarded by readers_mu, not mu */
    pthread_mutex_t readers_mu;
};

/* Seconds on the monotonic clock (shared by the folder's files). */
double dash__now(void);

#endif
