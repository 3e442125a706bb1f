/* Folder helpers shared inside analysis/: creating the folders result files
 * and figures go into. (Finding result files is an_results_find in results.h.) */
#ifndef AN_FILES_H
#define AN_FILES_H

#include <stddef.h>

/* Creates `dir` and its missing parents (mode 0777 minus umask). 0, or -1
 * with a message naming the folder that could not be made. */
int an_files__mkdirs(const char *dir, char *err, size_t errlen);
/* Creates the folder that will hold `path`, as an_files__mkdirs. */
int an_files__mkparents(const char *path, char *err, size_t errlen);

#endif
