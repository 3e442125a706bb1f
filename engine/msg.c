/* Allocation and release of the pipeline's messages. */
#include "engine/msg.h"

#include <stdio.h>
#include <stdlib.h>

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "sparkiot: out of memory\n");
        abort();
    }
    return p;
}

eng_msg *eng_msg_new(eng_msg_type type) {
    eng_msg *m = xcalloc(1, sizeof *m);
    m->type = type;
    return m;
}

void eng_msg_alloc_parts(eng_msg *m, uint32_t n) {
    m->parts = xcalloc(n, sizeof *m->parts);
    m->nparts = n;
}

void eng_msg_alloc_offs(eng_msg *m, uint32_t n) {
    m->offs = xcalloc(n, sizeof *m->offs);
    m->noffs = n;
}

void eng_msg_free(eng_msg *m) {
    if (!m) return;
    eng_batch_free(&m->recs);
    for (uint32_t i = 0; i < m->nparts; i++) eng_batch_free(&m->parts[i]);
    free(m->parts);
    free(m->offs);
    free(m->task.sources);
    free(m->lat);
    if (m->body) m->body_free(m->body);
    free(m);
}
