/* The streaming line reader under every trace format: one line in memory at
 * a time, numbered for messages, with the checks that keep a binary or
 * empty file from reaching a parser. A reader can be parked (its file
 * closed, its position kept) so a process replaying to many edge sites
 * does not run out of file descriptors. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "traces/tr_int.h"

#define SNIFF_BYTES 4096

static atomic_long open_files; /* open trace files in this process */

static void close_file(tr_lines *l) {
    if (!l->f) return;
    fclose(l->f);
    l->f = NULL;
    atomic_fetch_sub(&open_files, 1);
}

static int open_file(tr_lines *l, char *err, size_t errlen) {
    if (l->f) return 0;
    if (!(l->f = fopen(l->path, "rb"))) {
        snprintf(err, errlen, "%s: cannot open: %s", l->path, strerror(errno));
        return TR_ERR_TRACE;
    }
    atomic_fetch_add(&open_files, 1);
    if (fseek(l->f, l->parked_at, SEEK_SET) != 0) {
        snprintf(err, errlen, "%s: cannot seek: %s", l->path, strerror(errno));
        close_file(l);
        return TR_ERR_TRACE;
    }
    return 0;
}

long tr_lines__open_files(void) { return atomic_load(&open_files); }

int tr_lines__park(tr_lines *l, char *err, size_t errlen) {
    if (!l->f) return 0;
    long at = ftell(l->f);
    if (at < 0) {
        snprintf(err, errlen, "%s: cannot tell the position: %s", l->path, strerror(errno));
        return TR_ERR_TRACE;
    }
    l->parked_at = at;
    close_file(l);
    return 0;
}

/* Text is printable bytes, UTF-8 (>= 0x80) and tab, line and form feeds. */
static int is_text_byte(unsigned char c) {
    return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int sniff(tr_lines *l, char *err, size_t errlen) {
    unsigned char head[SNIFF_BYTES];
    size_t n = fread(head, 1, sizeof head, l->f);
    if (ferror(l->f)) {
        snprintf(err, errlen, "%s: cannot read: %s", l->path, strerror(errno));
        return TR_ERR_TRACE;
    }
    if (n == 0) {
        snprintf(err, errlen, "%s: the file is empty", l->path);
        return TR_ERR_TRACE;
    }
    for (size_t i = 0; i < n; i++)
        if (!is_text_byte(head[i]) || head[i] == 0x7f) {
            snprintf(err, errlen, "%s: looks binary (byte 0x%02x at offset %zu); a trace must be a text file",
                     l->path, head[i], i);
            return TR_ERR_TRACE;
        }
    return tr_lines__rewind(l, err, errlen);
}

int tr_lines__open(tr_lines *l, const char *path, char *err, size_t errlen) {
    memset(l, 0, sizeof *l);
    l->path = strdup(path);
    if (!l->path) {
        snprintf(err, errlen, "%s: out of memory", path);
        return TR_ERR_NOMEM;
    }
    int rc = open_file(l, err, errlen);
    if (rc == 0) rc = sniff(l, err, errlen);
    if (rc) tr_lines__close(l);
    return rc;
}

int tr_lines__next(tr_lines *l, char **line, char *err, size_t errlen) {
    int rc = open_file(l, err, errlen);
    if (rc) return rc;
    errno = 0;
    ssize_t n = getline(&l->buf, &l->cap, l->f);
    if (n < 0) {
        if (ferror(l->f)) {
            snprintf(err, errlen, "%s:%llu: cannot read: %s", l->path, (unsigned long long)l->line + 1,
                     strerror(errno ? errno : EIO));
            return TR_ERR_TRACE;
        }
        return 0;
    }
    l->line++;
    if (memchr(l->buf, '\0', (size_t)n)) {
        snprintf(err, errlen, "%s:%llu: binary data (a NUL byte); a trace must be a text file", l->path,
                 (unsigned long long)l->line);
        return TR_ERR_TRACE;
    }
    while (n > 0 && (l->buf[n - 1] == '\n' || l->buf[n - 1] == '\r')) l->buf[--n] = '\0';
    *line = l->buf;
    if (l->line == 1 && !strncmp(l->buf, "\xef\xbb\xbf", 3)) *line += 3;
    return 1;
}

int tr_lines__rewind(tr_lines *l, char *err, size_t errlen) {
    l->parked_at = 0;
    int rc = open_file(l, err, errlen);
    if (rc) return rc;
    if (fseek(l->f, 0, SEEK_SET) != 0) {
        snprintf(err, errlen, "%s: cannot seek: %s", l->path, strerror(errno));
        return TR_ERR_TRACE;
    }
    l->line = 0;
    return 0;
}

void tr_lines__close(tr_lines *l) {
    close_file(l);
    free(l->path);
    free(l->buf);
    memset(l, 0, sizeof *l);
}
