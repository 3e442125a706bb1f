/* Internal to experiments/: the units scenario files are written in —
 * durations (10ms, 1.5s, 24h), bandwidths (10Mbps, 2MB/s), CPU speeds
 * (2Gf), sizes (100B, 4kB), plain numbers, integers and booleans — parsed
 * from YAML scalar text into the engine's units (ns, bytes/s, flops/s,
 * bytes), and formatted back for messages and `validate`. Multipliers are
 * decimal (k = 1000). */
#ifndef XP_UNITS_H
#define XP_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

/* Each returns 0 and stores the value, or -1 if `s` is not of that form or
 * does not fit. Durations need a unit (ns, us, ms, s, m or min, h, d); speeds and
 * sizes may be plain numbers; bandwidths need a unit (bps, kbps, Mbps, Gbps
 * in bits; B/s, kB/s, MB/s, GB/s in bytes) and are stored in bytes/s. */
int xp_units__duration(const char *s, rt_time_t *out);
int xp_units__bandwidth(const char *s, double *out);
int xp_units__speed(const char *s, double *out);
int xp_units__size(const char *s, double *out);
int xp_units__number(const char *s, double *out);
/* An optional sign and decimal digits only; *neg is set for a leading '-'. */
int xp_units__integer(const char *s, uint64_t *magnitude, int *neg);
int xp_units__bool(const char *s, int *out);

/* The shortest exact spelling: 90s, 1500ms, 24h, 0s. */
void xp_units__fmt_duration(char *buf, size_t len, rt_time_t t);
/* 10Mbps, 12.5Gbps (from bytes/s). */
void xp_units__fmt_bandwidth(char *buf, size_t len, double bytes_per_s);
/* 2Gf, 500f. */
void xp_units__fmt_speed(char *buf, size_t len, double flops);

#endif
