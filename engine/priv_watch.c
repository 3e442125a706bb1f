/* Reading the privacy path's running totals for the driver's sampler
 * (priv_watch.h). */
#include "engine/priv_watch.h"

#include "engine/priv_run_int.h"

void eng_priv_watch_sample(const eng_priv_run *r, eng_sample *s) {
    s->has_privacy = 1;
    s->privacy_bytes = 0;
    s->privacy_edge_cpu_s = 0;
    for (uint32_t i = 0; i < r->sites; i++) {
        s->privacy_bytes += r->site[i].bytes;
        s->privacy_edge_cpu_s += r->site[i].cpu_s;
    }
    s->privacy_cloud_cpu_s = r->cloud_cpu_s;
}
