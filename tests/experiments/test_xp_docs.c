/* docs/scenarios.md against the schema: every key the loader reads is
 * documented and every documented key exists; every default the page
 * writes as a literal, set explicitly, changes nothing; and the page's
 * example scenario loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/tmp.h"
#include "experiments/scenario_fields.h"

#define MINIMAL XP_TEST_DATA "/scenarios/minimal.yaml"

typedef struct doc_row {
    char key[128], dflt[64]; /* dflt: the literal default, or "" */
} doc_row;

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The key tables: rows "| `key` | type | unit | default | range | meaning |"
 * between "## Keys" and the next "## " heading. */
static size_t read_rows(doc_row *rows, size_t max) {
    char *text = slurp(XP_TEST_DOCS), *save = NULL;
    int in_keys = 0;
    size_t n = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(line, "## ", 3)) in_keys = !strcmp(line, "## Keys");
        if (!in_keys || strncmp(line, "| `", 3) != 0) continue;
        char *cells[8] = {0};
        int k = 0;
        for (char *c = strchr(line, '|'); c && k < 8; c = strchr(c + 1, '|')) cells[k++] = c + 1;
        assert_true(k >= 7);
        assert_true(n < max);
        doc_row *r = &rows[n++];
        sscanf(cells[0], " `%127[^`]`", r->key);
        r->dflt[0] = '\0';
        char *d = cells[3];
        while (*d == ' ') d++;
        size_t len = (size_t)(cells[4] - 1 - d);
        while (len > 0 && d[len - 1] == ' ') len--;
        if (len > 2 && d[0] == '`' && d[len - 1] == '`' && !memchr(d + 1, '`', len - 2))
            snprintf(r->dflt, sizeof r->dflt, "%.*s", (int)(len - 2), d + 1);
    }
    return n;
}

static const doc_row *find_row(const doc_row *rows, size_t n, const char *key) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].key, key)) return &rows[i];
    return NULL;
}

static void test_every_key_documented(void **unused) {
    doc_row rows[256];
    size_t n = read_rows(rows, 256);
    for (size_t i = 0; i < xp_scenario__nfields; i++) {
        const xp_field *f = &xp_scenario__fields[i];
        if (f->type == XP_T_MAP && strcmp(f->path, "edge.filter") != 0) continue; /* sections */
        if (!find_row(rows, n, f->path)) fail_msg("%s is not documented in docs/scenarios.md", f->path);
    }
    for (size_t i = 0; i < n; i++) {
        int known = !strcmp(rows[i].key, "allocator.<other>");
        for (size_t j = 0; j < xp_scenario__nfields && !known; j++)
            known = !strcmp(xp_scenario__fields[j].path, rows[i].key);
        if (!known) fail_msg("docs/scenarios.md documents %s, which the loader does not read", rows[i].key);
    }
}

static void test_documented_defaults_are_the_defaults(void **unused) {
    doc_row rows[256];
    size_t n = read_rows(rows, 256), checked = 0;
    char err[1024];
    xp_scenario *base = xp_scenario_load(MINIMAL, NULL, NULL, 0, err, sizeof err);
    if (!base) fail_msg("%s", err);
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].dflt[0]) continue;
        xp_set set;
        snprintf(set.key, sizeof set.key, "%s", rows[i].key);
        snprintf(set.value, sizeof set.value, "%s", rows[i].dflt);
        xp_scenario *s = xp_scenario_load(MINIMAL, NULL, &set, 1, err, sizeof err);
        if (!s) fail_msg("documented default %s: %s", rows[i].key, err);
        const xp_field *f = NULL;
        for (size_t j = 0; j < xp_scenario__nfields; j++)
            if (!strcmp(xp_scenario__fields[j].path, rows[i].key)) f = &xp_scenario__fields[j];
        assert_non_null(f);
        size_t off = f->off, size = f->type == XP_T_ENUM ? sizeof(int) : f->size;
        if (!strcmp(f->path, "cloud")) off = offsetof(xp_scenario, cloud), size = sizeof(eng_cloud);
        if (size && memcmp((char *)s + off, (char *)base + off, size) != 0)
            fail_msg("docs/scenarios.md: %s default '%s' is not the loader's default", f->path, rows[i].dflt);
        checked++;
        xp_scenario_free(s);
    }
    assert_true(checked >= 60); /* most rows give a literal default */
    xp_scenario_free(base);
}

static void test_example_loads(void **unused) {
    char *text = slurp(XP_TEST_DOCS);
    char *start = strstr(text, "```yaml\n"), *end;
    assert_non_null(start);
    start += 8;
    end = strstr(start, "```");
    assert_non_null(end);
    char dir[512], path[600], err[1024];
    assert_int_equal(eng_tmp_path(dir, sizeof dir, "xp-docs-XXXXXX"), 0);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/example.yaml", dir);
    FILE *f = fopen(path, "w");
    fwrite(start, 1, (size_t)(end - start), f);
    fclose(f);
    for (int v = 0; v < 2; v++) {
        xp_scenario *s = xp_scenario_load(path, v ? "static-peak" : NULL, NULL, 0, err, sizeof err);
        if (!s) fail_msg("the example in docs/scenarios.md: %s", err);
        assert_string_equal(s->name, "smart_city");
        assert_true(s->alloc.params[0].value == (v ? 16 : 8));
        xp_scenario_free(s);
    }
    remove(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_documented),
        cmocka_unit_test(test_documented_defaults_are_the_defaults),
        cmocka_unit_test(test_example_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
