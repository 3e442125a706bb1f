/* The dashboard's HTTP server (libmicrohttpd, its own threads): the page,
 * the dygraphs files from the system's libjs-dygraphs, /api/state,
 * /api/series?since= and the /events Server-Sent Events stream, all read
 * from a hub (dash/hub.h). docs/dashboard.md lists the endpoints. */
#ifndef DASH_SERVER_H
#define DASH_SERVER_H

#include <stddef.h>

#include "dash/hub.h"

#define DASH_DEFAULT_HOST "127.0.0.1"
#define DASH_DEFAULT_PORT 8080

/* Parses "[HOST:]PORT" (NULL or "": the defaults) into host (a buffer of
 * hostlen bytes) and port (0..65535; 0 lets the system pick). -1 with a
 * message on a malformed spec. */
int dash_addr_parse(const char *spec, char *host, size_t hostlen, unsigned *port, char *err, size_t errlen);

typedef struct dash_server dash_server;

/* Binds host:port and starts serving `hub` (borrowed: it outlives the
 * server). NULL with a message (address not local, port in use, ...). */
dash_server *dash_server_start(dash_hub *hub, const char *host, unsigned port, char *err, size_t errlen);
/* The port actually bound (the one the system picked for port 0). */
unsigned dash_server_port(const dash_server *s);
/* Ends the event streams, stops the threads and frees s (NULL: nothing). */
void dash_server_stop(dash_server *s);

#endif
