/* The UCI Occupancy Detection data (Candanedo & Feldheim, 2016): header
 * "date","Temperature","Humidity","Light","CO2","HumidityRatio","Occupancy",
 * and rows that start with a quoted row id the header does not name. One
 * room's sensors, one reading a minute: one device, five metrics (in header
 * order), and the Occupancy column (0/1) as the ground-truth label. */
#include <string.h>

#include "traces/tr_int.h"

static const char *const uci_names[] = {"date", "Temperature",   "Humidity", "Light",
                                        "CO2",  "HumidityRatio", "Occupancy"};
enum { UCI_COLS = 7, UCI_VALUES = 5 };

static int uci_header(tr_reader *r, char *line, char *msg, size_t len) {
    char *names[TR_MAX_FIELDS];
    int n = tr_csv__split(line, names, TR_MAX_FIELDS, msg, len);
    int ok = n == UCI_COLS;
    for (int i = 0; ok && i < UCI_COLS; i++) ok = !strcmp(names[i], uci_names[i]);
    if (!ok) {
        snprintf(msg, len,
                 "expected the UCI occupancy header "
                 "\"date\",\"Temperature\",\"Humidity\",\"Light\",\"CO2\",\"HumidityRatio\",\"Occupancy\"");
        return -1;
    }
    memset(&r->cols, 0, sizeof r->cols);
    snprintf(r->cols.time, sizeof r->cols.time, "date");
    for (int i = 0; i < UCI_VALUES; i++)
        snprintf(r->cols.values[i], sizeof r->cols.values[i], "%s", uci_names[i + 1]);
    r->cols.nvalues = UCI_VALUES;
    snprintf(r->cols.label, sizeof r->cols.label, "Occupancy");
    r->cols.time_format = TR_TIME_ISO8601;
    return tr_csv__bind(r, names, n, 1, msg, len);
}

const tr_fmt tr_fmt__uci = {TR_FMT_UCI, 1, uci_header, tr_csv__row};
