/* Helpers of the live tests: run `sparkiot` as a child process with a
 * bounded wait, read its output, sleep and read the wall clock. */
#ifndef TEST_LIVE_PROC_H
#define TEST_LIVE_PROC_H

#include <stdint.h>
#include <sys/types.h>

/* Starts argv[0] with argv, stdout and stderr into the file `out`. */
pid_t proc_spawn(char *const argv[], const char *out);
/* Waits for pid at most `secs`, killing it then; its exit code or -1. */
int proc_wait(pid_t pid, int secs);
/* The file's text (at most 64 KiB; "" if unreadable), to free. */
char *proc_slurp(const char *path);
void proc_nap_ms(int ms);
int64_t proc_epoch_ns(void);

#endif
