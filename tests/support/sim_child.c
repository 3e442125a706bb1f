#include "sim_child.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/actors.h"
#include "sim/sim.h"

int sim_child_run(const eng_topo_opts *t, uint32_t executors, uint64_t seed, rt_actor_fn root, void *out,
                  size_t len) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        char err[256];
        int rc = sim_run(t, executors, seed, ENG_HOST_DRIVER, root, NULL, err, sizeof err);
        if (rc != 0) fprintf(stderr, "%s\n", err);
        if (rc == 0 && write(fds[1], out, len) != (ssize_t)len) rc = -1;
        _exit(rc == 0 ? 0 : 1);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n < len && (r = read(fds[0], (char *)out + n, len - n)) > 0) n += (size_t)r;
    close(fds[0]);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || n != len)
        return -1;
    return 0;
}
