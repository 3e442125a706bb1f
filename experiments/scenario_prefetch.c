/* The `prefetch:` section of a scenario (engine/prefetch.h): present means
 * enabled, like `sync:`. Its keys are rows of the schema table
 * (scenario_fields.c); this file holds the section's hook and the checks
 * that need more than one section: the read stream is driven by the edge's
 * windows, so the edge must forward windows (aggregates, or raw readings
 * flushed every `edge.flush`), not each reading on arrival. It also
 * describes the section for `validate`. */
#include <stdio.h>

#include "engine/pipeline.h"
#include "experiments/scenario_fields.h"
#include "experiments/units.h"
#include "policies/prefetch.h"

int xp_scenario__read_prefetch(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    ((xp_scenario *)w->base)->prefetch.enabled = 1;
    return 0;
}

int xp_scenario__check_prefetch(const xp_scenario *s, xp_walk *w) {
    char msg[512];
    if (!s->prefetch.enabled) return 0;
    if (eng_prefetch_check(&s->prefetch, msg, sizeof msg)) return xp_schema__relocate(w, "prefetch", msg);
    if (s->edge.mode == ENG_EDGE_RAW && s->edge.flush == 0)
        return xp_schema__relocate(w, "prefetch",
                                   "prefetch reads cloud state once per edge window: it needs edge.mode: "
                                   "aggregate, or edge.flush > 0");
    return 0;
}

void xp_scenario__describe_prefetch(const xp_scenario *s, FILE *out) {
    const eng_prefetch_opts *p = &s->prefetch;
    if (!p->enabled) return;
    char hit[32];
    xp_units__fmt_duration(hit, sizeof hit, p->hit_latency);
    fprintf(
        out,
        "prefetch    %s, %u B cache per gateway, prefetch at >= %g predicted reads; items: baseline %u B, "
        "config %u B (every 1..%u windows), model %u B; hit %s, miss = WAN round trip + transfer\n",
        pol_prefetch_names[s->prefetch_policy], p->budget, p->threshold, p->item_bytes[ENG_PF_BASELINE],
        p->item_bytes[ENG_PF_CONFIG], p->config_period, p->item_bytes[ENG_PF_MODEL], hit);
}
