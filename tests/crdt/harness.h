/* Test harness for engine/crdt/: a small replicated system ("world") of 3-5
 * replicas that apply random operations of one CRDT type and exchange
 * encoded delta groups over a network that drops, duplicates and reorders
 * them, next to an independent sequential model of what the value must be.
 * The law, convergence and codec tests all draw their states from worlds. */
#ifndef TESTS_CRDT_HARNESS_H
#define TESTS_CRDT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "engine/crdt/crdt.h"
#include "engine/crdt/hlc.h"

#define W_MAXREP 5
#define W_NKEYS 6 /* elements and map keys are drawn from this many byte strings */

typedef struct world world;

/* The sequential model of one value type: fed every operation with the
 * replica and event id it happened at, it asserts a state's value. */
typedef struct tcase tcase;
typedef struct model_ops {
    void *(*create)(const tcase *tc);
    void (*destroy)(void *m);
    void (*on_op)(void *m, const world *w, int rep, int ev, const crdt_op *op);
    void (*check)(const void *m, const void *state);
} model_ops;

/* A type under test: a CRDT type, or a map (t == &crdt_map_type) of vt. */
struct tcase {
    const char *name;
    const crdt_type *t;
    const crdt_type *vt;
    /* Draws a random operation for replica rep; may point into w's buffers. */
    void (*gen_op)(world *w, int rep, crdt_op *op);
    model_ops model;
};

/* All cases: every type, then a map of every value type. */
extern const tcase *const cases[];
extern const size_t ncases;
/* The case of a value type (not a map). */
const tcase *case_of(const crdt_type *t);
/* A new bottom state of the case's type. */
void *case_new_state(const tcase *tc);
/* Fills tests[] (room for cap) with one test per case for each of the nfn
 * functions fn[k], named "<case>, <label[k]>", the case as initial state.
 * Returns how many it filled. */
size_t case_tests(struct CMUnitTest *tests, size_t cap, const CMUnitTestFunction *fn,
                  const char *const *label, size_t nfn);

typedef struct wnet {
    double p_drop, p_dup; /* per message copy */
} wnet;

typedef struct wmsg {
    int to;
    uint8_t *bytes;
    size_t len;
    int *ev; /* events the message carries (model knowledge) */
    size_t nev;
    crdt_hlc stamp;
} wmsg;

struct world {
    const tcase *tc;
    gsl_rng *rng;
    wnet net;
    int nrep;
    void *st[W_MAXREP];
    void *out[W_MAXREP]; /* delta group not yet sent */
    int *outev[W_MAXREP];
    size_t noutev[W_MAXREP];
    bool *known[W_MAXREP]; /* known[r][ev]: replica r has received event ev */
    int nev, capev;
    crdt_hlc_clock clk[W_MAXREP];
    int64_t skew[W_MAXREP], now;
    wmsg *q;
    size_t nq, capq;
    void *model;
    /* samples for the law tests: states and deltas met during the run */
    void **pool;
    size_t npool, cappool;
    /* scratch for generated operations */
    crdt_op inner;
    double sent, dropped, duplicated, delivered;
};

/* A world of nrep replicas of tc's type, seeded. */
world *world_new(const tcase *tc, unsigned long seed, int nrep, wnet net);
void world_free(world *w);
/* The replica id of replica number r (ids are not in index order). */
crdt_replica_t world_rid(int r);
/* Physical clock of replica r now (global time plus its skew). */
int64_t world_pt(const world *w, int r);
/* Byte string number i (0 <= i < W_NKEYS): "", "a", "b", a 256-byte key, ... */
void world_key(int i, const void **p, size_t *len);
/* The number of a byte string of world_key (asserted to be one). */
int world_key_index(const void *p, size_t len);
/* Runs `steps` random steps (operations, sends, deliveries, full-state
 * syncs). Every operation is checked against the delta law on the spot. */
void world_run(world *w, int steps);
/* Lossless drain: flushes and delivers until nothing is in flight. */
void world_drain(world *w);
/* Final full exchange: every replica merges the join of all replicas. */
void world_full_exchange(world *w);
/* Asserts all replicas equal and their value equal to the model's. */
void world_check_converged(const world *w);

#endif
