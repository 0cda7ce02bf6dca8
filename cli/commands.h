/* The subcommands main dispatches to.  Each parses its own arguments, does
 * its work through the library, prints its results, and returns VT_OK or an
 * error filled into err (which main prints as one line). */
#ifndef COMMANDS_H
#define COMMANDS_H

#include "vt.h"

vt_status cmd_train(int argc, char **argv, vt_err *err);
vt_status cmd_predict(int argc, char **argv, vt_err *err);
vt_status cmd_generate(int argc, char **argv, vt_err *err);
vt_status cmd_summary(int argc, char **argv, vt_err *err);
vt_status cmd_diff(int argc, char **argv, vt_err *err);
vt_status cmd_score(int argc, char **argv, vt_err *err);
vt_status cmd_compare(int argc, char **argv, vt_err *err);
vt_status cmd_tune(int argc, char **argv, vt_err *err);
vt_status cmd_report(int argc, char **argv, vt_err *err);
vt_status cmd_sql(int argc, char **argv, vt_err *err);
vt_status cmd_history(int argc, char **argv, vt_err *err);
vt_status cmd_evaluate(int argc, char **argv, vt_err *err);

#endif
