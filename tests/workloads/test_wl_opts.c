/* Workload options: the defaults and every preset pass the checks, presets
 * set what docs/workloads.md says (smart_city is diurnal with bursts) and
 * keep the population size, the checks reject each bad value with a message
 * naming its field, and wl_mean_rate matches hand computations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "workloads/wl.h"

static void test_defaults_pass(void **state) {
    (void)state;
    wl_opts o;
    wl_opts_defaults(&o);
    char err[256] = "";
    assert_int_equal(wl_opts_check(&o, err, sizeof err), 0);
    assert_int_equal(o.kind, WL_PERIODIC);
    assert_true(fabs(wl_mean_rate(&o) - 0.1) < 1e-12); /* every 10 s */
}

static void test_presets(void **state) {
    (void)state;
    const char *const *names = wl_preset_names();
    size_t count = 0;
    for (; names[count]; count++) {
        wl_opts o;
        wl_opts_defaults(&o);
        o.devices_per_site = 1234;
        assert_int_equal(wl_preset_apply(&o, names[count]), 0);
        char err[256] = "";
        assert_int_equal(wl_opts_check(&o, err, sizeof err), 0);
        assert_int_equal(o.devices_per_site, 1234);
        assert_true(wl_mean_rate(&o) > 0);
    }
    assert_int_equal(count, 5);

    wl_opts o;
    wl_opts_defaults(&o);
    assert_int_equal(wl_preset_apply(&o, "smart_city"), 0);
    assert_int_equal(o.kind, WL_DIURNAL);
    assert_true(o.burst_factor > 1 && o.amplitude > 0);
    assert_int_equal(wl_preset_apply(&o, "agriculture"), 0);
    assert_int_equal(o.kind, WL_PERIODIC);
    assert_int_equal(o.record_bytes, 51); /* LoRaWAN EU868 DR0-2 payload limit */
    assert_int_equal(wl_preset_apply(&o, "healthcare"), 0);
    assert_int_equal(o.period, RT_S);
    assert_int_equal(wl_preset_apply(&o, "industry"), 0);
    assert_int_equal(o.kind, WL_MMPP);
    assert_int_equal(wl_preset_apply(&o, "smart_home"), 0);
    assert_int_equal(o.period, 60 * RT_S); /* UCI occupancy detection: one record a minute */
    assert_int_equal(o.metrics, 5);        /* temperature, humidity, light, CO2, humidity ratio */
    /* A preset replaces earlier settings wholesale. */
    o.anomaly_rate = 0.5;
    assert_int_equal(wl_preset_apply(&o, "industry"), 0);
    assert_true(o.anomaly_rate < 0.5);
    assert_int_equal(wl_preset_apply(&o, "smart-city"), -1);
    assert_int_equal(wl_preset_apply(&o, ""), -1);
}

typedef struct bad {
    const char *field;
    void (*spoil)(wl_opts *o);
} bad;

static void period_zero(wl_opts *o) { o->period = 0; }
static void jitter_half(wl_opts *o) { o->jitter = o->period / 2; }
static void jitter_negative(wl_opts *o) { o->jitter = -1; }
static void metrics_zero(wl_opts *o) { o->metrics = 0; }
static void devices_zero(wl_opts *o) { o->devices_per_site = 0; }
static void bytes_zero(wl_opts *o) { o->record_bytes = 0; }
static void rate_zero(wl_opts *o) { o->kind = WL_POISSON, o->rate = 0; }
static void rate_nan(wl_opts *o) { o->kind = WL_POISSON, o->rate = NAN; }
static void burst_low(wl_opts *o) { o->kind = WL_MMPP, o->burst_factor = 0.5; }
static void on_mean_zero(wl_opts *o) { o->kind = WL_MMPP, o->burst_on_mean = 0; }
static void off_mean_zero(wl_opts *o) { o->kind = WL_DIURNAL, o->burst_factor = 2, o->burst_off_mean = 0; }
static void amplitude_high(wl_opts *o) { o->kind = WL_DIURNAL, o->amplitude = 1.5; }
static void day_zero(wl_opts *o) { o->kind = WL_DIURNAL, o->day = 0; }
static void peak_late(wl_opts *o) { o->kind = WL_DIURNAL, o->peak_tod = o->day; }
static void start_negative(wl_opts *o) { o->kind = WL_DIURNAL, o->start_tod = -1; }
static void kind_bad(wl_opts *o) { o->kind = (wl_kind)7; }
static void values_bad(wl_opts *o) { o->values = (wl_value_model)7; }
static void walk_negative(wl_opts *o) { o->walk_sigma = -1; }
static void season_zero(wl_opts *o) { o->values = WL_VAL_SEASONAL, o->season_period = 0; }
static void noise_negative(wl_opts *o) { o->values = WL_VAL_SEASONAL, o->noise_sigma = -0.1; }
static void anomaly_high(wl_opts *o) { o->anomaly_rate = 1.01; }
static void magnitude_negative(wl_opts *o) { o->anomaly_magnitude = -1; }
static void base_inf(wl_opts *o) { o->base = INFINITY; }

static void test_check_rejects_and_names_field(void **state) {
    (void)state;
    const bad cases[] = {
        {"workload.period", period_zero},
        {"workload.jitter", jitter_half},
        {"workload.jitter", jitter_negative},
        {"workload.metrics", metrics_zero},
        {"workload.devices_per_site", devices_zero},
        {"workload.record_bytes", bytes_zero},
        {"workload.rate", rate_zero},
        {"workload.rate", rate_nan},
        {"workload.burst_factor", burst_low},
        {"workload.burst_on_mean", on_mean_zero},
        {"workload.burst_off_mean", off_mean_zero},
        {"workload.amplitude", amplitude_high},
        {"workload.day", day_zero},
        {"workload.peak_tod", peak_late},
        {"workload.start_tod", start_negative},
        {"workload.kind", kind_bad},
        {"workload.values", values_bad},
        {"workload.walk_sigma", walk_negative},
        {"workload.season_period", season_zero},
        {"workload.noise_sigma", noise_negative},
        {"workload.anomaly_rate", anomaly_high},
        {"workload.anomaly_magnitude", magnitude_negative},
        {"workload.base", base_inf},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wl_opts o;
        wl_opts_defaults(&o);
        cases[i].spoil(&o);
        char err[256] = "";
        assert_int_equal(wl_opts_check(&o, err, sizeof err), -1);
        if (!strstr(err, cases[i].field))
            fail_msg("case %zu: \"%s\" does not name %s", i, err, cases[i].field);
    }
}

static void test_mean_rate(void **state) {
    (void)state;
    wl_opts o;
    wl_opts_defaults(&o);
    o.period = 250 * RT_MS;
    assert_true(fabs(wl_mean_rate(&o) - 4.0) < 1e-12);
    o.kind = WL_POISSON;
    o.rate = 0.3;
    assert_true(fabs(wl_mean_rate(&o) - 0.3) < 1e-12);
    /* on 10 s at 6x, off 50 s at 1x: (50 + 60) / 60 = 11/6 of the rate. */
    o.kind = WL_MMPP;
    o.burst_factor = 6;
    o.burst_on_mean = 10 * RT_S;
    o.burst_off_mean = 50 * RT_S;
    assert_true(fabs(wl_mean_rate(&o) - 0.3 * 11 / 6) < 1e-12);
    o.kind = WL_DIURNAL;
    assert_true(fabs(wl_mean_rate(&o) - 0.3 * 11 / 6) < 1e-12);
    o.burst_factor = 1;
    assert_true(fabs(wl_mean_rate(&o) - 0.3) < 1e-12);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_pass),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_check_rejects_and_names_field),
        cmocka_unit_test(test_mean_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
