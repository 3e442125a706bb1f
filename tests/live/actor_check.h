/* Checks inside actors. cmocka's assertions may only fail on the test's own
 * thread, so an actor records the first failed check and the test fails
 * with it after the run (actor_check_result). Include once per test. */
#ifndef TEST_LIVE_ACTOR_CHECK_H
#define TEST_LIVE_ACTOR_CHECK_H

#include <stdatomic.h>
#include <stddef.h>

static _Atomic(const char *) actor_failed;

#define CHECK(c)                                                                                             \
    do {                                                                                                     \
        if (!(c)) {                                                                                          \
            const char *none = NULL;                                                                         \
            atomic_compare_exchange_strong(&actor_failed, &none, #c);                                        \
        }                                                                                                    \
    } while (0)

static inline void actor_check_reset(void) { atomic_store(&actor_failed, NULL); }
/* Fails the current test if a check failed in an actor. */
#define actor_check_result()                                                                                 \
    do {                                                                                                     \
        const char *f_ = atomic_load(&actor_failed);                                                         \
        if (f_) fail_msg("check failed in an actor: %s", f_);                                                \
    } while (0)

#endif
