/* The sparkiot commands. Each returns the process exit code: 0 success,
 * 1 failure while running, 2 bad usage or bad input. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

int cli_cmd_run(int argc, char **argv);
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
int cli_cmd_replay(int argc, char **argv);
int cli_cmd_train(int argc, char **argv);
int cli_cmd_inspect(int argc, char **argv);
int cli_cmd_figures(int argc, char **argv);
int cli_cmd_bench(int argc, char **argv);
int cli_cmd_live(int argc, char **argv);
int cli_cmd_paper(int argc, char **argv);

#endif
