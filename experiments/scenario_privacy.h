/* Internal to experiments/: the `privacy:` section of a scenario (the
 * privacy path of engine/priv_run.h) and the calibration file its CPU costs
 * come from (`sparkiot bench privacy --out`). */
#ifndef XP_SCENARIO_PRIVACY_H
#define XP_SCENARIO_PRIVACY_H

#include "experiments/scenario.h"
#include "experiments/schema.h"

/* The scenario table's hook for `privacy`: reads the section (its presence
 * turns the path on), loads the calibration file it names (`costs`, relative
 * to the scenario's folder; default experiments/privacy_costs.yaml of the
 * source tree) and checks the whole against the workload and edge already
 * read. Returns 0, or -1 with a located message in w->err. */
int xp_scenario__read_privacy(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val);

/* Reads calibration file `path`: the costs for `bits`-bit keys into *c.
 * Returns 0, or -1 with a message naming the file (and line) in err. */
int xp_privacy__load_costs(const char *path, uint32_t bits, eng_priv_costs *c, char *err, size_t errlen);

#endif
