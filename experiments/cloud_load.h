/* Internal to experiments/: loading a cloud profile (experiments/clouds/
 * <name>.yaml: prices, billing rules, executor startup delay, and where the
 * numbers come from) into the engine's eng_cloud. */
#ifndef XP_CLOUD_LOAD_H
#define XP_CLOUD_LOAD_H

#include <stddef.h>

#include "engine/cost.h"

#define XP_CLOUD_UNKNOWN (-1) /* ref names no profile; err has no location */
#define XP_CLOUD_INVALID (-2) /* the profile file is wrong; err is complete */

/* Resolves `ref` as the scenario file `scenario` sees it: a path (it holds
 * a '/' or ends in .yaml/.yml) relative to the scenario's folder, else a
 * profile name looked up as ../clouds/<ref>.yaml from the scenario's folder,
 * then $SPARKIOT_SOURCE_DIR/experiments/clouds/<ref>.yaml (the environment
 * variable, else the source tree this library was built from). Fills *c and
 * the file used into `file`. Returns 0, XP_CLOUD_UNKNOWN (with a "did you
 * mean" and the known names) or XP_CLOUD_INVALID. */
int xp_cloud__load(const char *ref, const char *scenario, eng_cloud *c, char *file, size_t filelen, char *err,
                   size_t errlen);

#endif
