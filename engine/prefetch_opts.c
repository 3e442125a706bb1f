/* Defaults and checks of the `prefetch:` scenario section
 * (engine/prefetch.h), and the WAN path a fetch takes. Defaults are
 * documented in docs/prefetch.md and docs/scenarios.md. */
#include "engine/check.h"
#include "engine/prefetch.h"

void eng_prefetch_defaults(eng_prefetch_opts *o) {
    *o = (eng_prefetch_opts){0};
    o->budget = 16384;
    o->threshold = 0.5;
    o->hit_latency = 50 * RT_US;
    o->header_bytes = 40;
    o->item_bytes[ENG_PF_BASELINE] = 64;
    o->item_bytes[ENG_PF_CONFIG] = 512;
    o->item_bytes[ENG_PF_MODEL] = 4096;
    o->config_period = 16;
    o->ewma_alpha = 0.3;
    o->ar_order = 16;
    o->ar_history = 64;
    o->lstm_hidden = 8;
    o->lstm_history = 16;
    o->lstm_lr = 0.01;
}

int eng_prefetch_check(const eng_prefetch_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->budget > 0, err, errlen, "prefetch.budget must be > 0");
    ENG_CHECK(o->threshold > 0, err, errlen, "prefetch.threshold must be > 0");
    for (int k = 0; k < ENG_PF_KINDS; k++)
        ENG_CHECK(o->item_bytes[k] > 0, err, errlen, "prefetch.items: every item size must be > 0");
    ENG_CHECK(o->config_period >= 1 && (o->config_period & (o->config_period - 1)) == 0, err, errlen,
              "prefetch.config_period must be a power of two (1, 2, 4, ...)");
    ENG_CHECK(o->ewma_alpha > 0 && o->ewma_alpha <= 1, err, errlen, "prefetch.ewma.alpha must be in (0, 1]");
    ENG_CHECK(o->ar_order >= 1, err, errlen, "prefetch.ar.order must be >= 1");
    ENG_CHECK(o->ar_history >= 2 * o->ar_order + 2, err, errlen,
              "prefetch.ar.history must be >= 2 x prefetch.ar.order + 2 (enough rows to fit)");
    ENG_CHECK(o->lstm_hidden >= 1, err, errlen, "prefetch.lstm.hidden must be >= 1");
    ENG_CHECK(o->lstm_history >= 2, err, errlen, "prefetch.lstm.history must be >= 2");
    ENG_CHECK(o->lstm_lr > 0, err, errlen, "prefetch.lstm.lr must be > 0");
    return 0;
}

void eng_pf_net_of(const eng_topo_opts *t, eng_pf_net *net) {
    net->rtt = 2 * (t->wan.latency + t->cloud.latency);
    net->bandwidth = t->wan.bandwidth < t->cloud.bandwidth ? t->wan.bandwidth : t->cloud.bandwidth;
}
