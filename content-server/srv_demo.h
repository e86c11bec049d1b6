/*
 * srv_demo.h: demo content for `infotaulu-server --demo` (the README's run
 * command): four centres, six made-up organisations, bulletins and events
 * in plain Finnish and Swedish, approved for their centres, and a screen
 * per centre.
 *
 * Seeding happens only when the database has no centres, so restarting
 * the demo keeps what was done in it. The screens' tokens are written once
 * to <data_dir>/demo-tokens (0600, "<screen id> <token>" per line), and a
 * demo coordinator's generated password to <data_dir>/demo-login.txt
 * (0600): there are no default passwords, not even in the demo.
 */
#ifndef SRV_DEMO_H
#define SRV_DEMO_H

#include "srv_pubapp.h"
#include "srv_store.h"

/* Seeds an empty database (no centres); does nothing otherwise. 0 or a
 * code. */
int srv_demo_seed(struct srv_store *store, const char *data_dir);

/* Writes one ready player config per demo screen into `dir`
 * (<screen id>.conf, 0600) and the server's public key (server.pub), and
 * gives the broker the screens' MQTT credentials. The tokens are read from
 * data_dir/demo-tokens. 0 or a code. */
int srv_demo_player_configs(const char *data_dir, struct srv_pubapp *pa,
                            const char *dir);

#endif
