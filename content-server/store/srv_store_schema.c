/*
 * srv_store_schema.c: the database schema of the SQLite backend as an
 * ordered list of migrations. schema_version records which ran; each runs
 * in its own transaction, so a database is always at one version or the
 * next. A database newer than the program is refused.
 */
#include "srv_store_int.h"

#include "taulu_log.h"
#include "taulu_time.h"

#define TAG SRV_DB_TAG

/* Each migration is a list of statements run in one transaction; the
 * version number is the index + 1 of the migration. Statements are kept
 * apart because C limits the length of one string constant. */
struct migration {
    const char *const *stmts; /* NULL-terminated */
};

static const char *const migration_1[] = {
    /* 1: the data model of architecture.md */
    "CREATE TABLE area ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE) STRICT;",
    "CREATE TABLE centre ("
    " id INTEGER PRIMARY KEY,"
    " area_id INTEGER REFERENCES area(id),"
    " name TEXT NOT NULL UNIQUE,"
    " municipality TEXT NOT NULL,"
    " address TEXT NOT NULL,"
    " opening_hours TEXT NOT NULL,"
    " languages TEXT NOT NULL,"
    " withdraw_on_edit INTEGER NOT NULL DEFAULT 1"
    "  CHECK (withdraw_on_edit IN (0, 1))) STRICT;",
    "CREATE TABLE screen ("
    " id INTEGER PRIMARY KEY,"
    " centre_id INTEGER NOT NULL REFERENCES centre(id),"
    " name TEXT NOT NULL,"
    " orientation TEXT NOT NULL"
    "  CHECK (orientation IN ('landscape', 'portrait')),"
    " width_px INTEGER NOT NULL, height_px INTEGER NOT NULL,"
    " diagonal_in REAL NOT NULL, viewing_distance_m REAL NOT NULL,"
    " token_hash BLOB NOT NULL UNIQUE,"
    " online INTEGER NOT NULL DEFAULT 0,"
    " last_seen INTEGER NOT NULL DEFAULT 0,"
    " applied_version INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE (centre_id, name)) STRICT;",
    "CREATE TABLE org ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL"
    "  CHECK (kind IN ('ngo', 'parish', 'county', 'other'))) STRICT;",
    "CREATE TABLE account ("
    " id INTEGER PRIMARY KEY,"
    " email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " name TEXT NOT NULL,"
    " pwhash TEXT NOT NULL,"
    " coordinator INTEGER NOT NULL DEFAULT 0 CHECK (coordinator IN (0, 1)),"
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    " created_at INTEGER NOT NULL) STRICT;",
    "CREATE TABLE member ("
    " org_id INTEGER NOT NULL REFERENCES org(id),"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " PRIMARY KEY (org_id, user_id)) STRICT, WITHOUT ROWID;",
    "CREATE INDEX member_user ON member(user_id);",
    "CREATE TABLE contact ("
    " centre_id INTEGER NOT NULL REFERENCES centre(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " PRIMARY KEY (centre_id, user_id)) STRICT, WITHOUT ROWID;",
    "CREATE INDEX contact_user ON contact(user_id);",
    "CREATE TABLE session ("
    " hash BLOB PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " csrf TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;",
    "CREATE INDEX session_user ON session(user_id);",
    "CREATE TABLE api_token ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " name TEXT NOT NULL,"
    " hash BLOB NOT NULL UNIQUE,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL) STRICT;",
    "CREATE INDEX api_token_user ON api_token(user_id);",
    "CREATE TABLE item ("
    " id INTEGER PRIMARY KEY,"
    " org_id INTEGER NOT NULL REFERENCES org(id),"
    " kind TEXT NOT NULL CHECK (kind IN ('bulletin', 'event')),"
    " category TEXT NOT NULL,"
    " starts_at INTEGER NOT NULL DEFAULT 0,"
    " ends_at INTEGER NOT NULL DEFAULT 0,"
    " free INTEGER NOT NULL, step_free INTEGER NOT NULL,"
    " induction_loop INTEGER NOT NULL,"
    " link TEXT, image_sha256 TEXT,"
    " display_from INTEGER NOT NULL DEFAULT 0,"
    " display_until INTEGER NOT NULL,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " created_by INTEGER NOT NULL REFERENCES account(id),"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL) STRICT;",
    "CREATE INDEX item_org ON item(org_id, id);",
    "CREATE TABLE item_text ("
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " pos INTEGER NOT NULL,"
    " lang TEXT NOT NULL,"
    " plain INTEGER NOT NULL,"
    " title TEXT NOT NULL, body TEXT NOT NULL,"
    " place TEXT, price TEXT, registration TEXT, contact TEXT,"
    " image_alt TEXT,"
    " PRIMARY KEY (item_id, lang)) STRICT, WITHOUT ROWID;",
    "CREATE TABLE item_version ("
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " version INTEGER NOT NULL,"
    " snapshot TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " created_by INTEGER NOT NULL,"
    " PRIMARY KEY (item_id, version)) STRICT, WITHOUT ROWID;",
    "CREATE TABLE placement ("
    " id INTEGER PRIMARY KEY,"
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " centre_id INTEGER NOT NULL REFERENCES centre(id),"
    " state TEXT NOT NULL CHECK (state IN ('submitted', 'approved',"
    "  'rejected', 'changes_requested', 'withdrawn', 'expired')),"
    " submitted_at INTEGER NOT NULL,"
    " decided_by INTEGER REFERENCES account(id),"
    " decided_at INTEGER NOT NULL DEFAULT 0,"
    " reason TEXT,"
    " display_from INTEGER NOT NULL DEFAULT 0,"
    " display_until INTEGER NOT NULL DEFAULT 0,"
    " approved_version INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (item_id, centre_id)) STRICT;",
    "CREATE INDEX placement_queue ON placement(centre_id, state, "
    "submitted_at);",
    "CREATE TABLE alert ("
    " id INTEGER PRIMARY KEY,"
    " centre_id INTEGER REFERENCES centre(id),"
    " starts_at INTEGER NOT NULL,"
    " ends_at INTEGER NOT NULL,"
    " ended_at INTEGER NOT NULL DEFAULT 0,"
    " created_by INTEGER NOT NULL REFERENCES account(id),"
    " created_at INTEGER NOT NULL,"
    " CHECK (ends_at > starts_at)) STRICT;",
    "CREATE TABLE alert_text ("
    " alert_id INTEGER NOT NULL REFERENCES alert(id),"
    " pos INTEGER NOT NULL,"
    " lang TEXT NOT NULL,"
    " title TEXT NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (alert_id, lang)) STRICT, WITHOUT ROWID;",
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor_kind INTEGER NOT NULL,"
    " actor_id INTEGER NOT NULL,"
    " action TEXT NOT NULL,"
    " object_type TEXT NOT NULL,"
    " object_id INTEGER NOT NULL,"
    " refused INTEGER NOT NULL,"
    " details TEXT) STRICT;",
    "CREATE INDEX audit_object ON audit(object_type, object_id);",
    "CREATE INDEX audit_actor ON audit(actor_id);",
    /* The audit log is never rewritten, whatever the code above does. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    NULL,
};

static const char *const migration_2[] = {
    /* 2: the checker's findings kept with each version (JSON per language:
     * light, summary, warnings and notices); NULL for versions stored
     * before the checker was wired in. */
    "ALTER TABLE item_version ADD COLUMN findings TEXT;",
    NULL,
};

static const char *const migration_3[] = {
    /* 3: the play log, proof of play for the organisations' funders:
     * seconds an item was on one screen on one local day (Europe/Helsinki)
     * and the centre the screen was at. Summaries, not status messages.
     * No foreign keys on purpose: what was shown stays on the record after
     * a screen or centre is deleted. */
    "CREATE TABLE play ("
    " item_id INTEGER NOT NULL,"
    " centre_id INTEGER NOT NULL,"
    " day TEXT NOT NULL CHECK (length(day) = 10),"
    " screen_id INTEGER NOT NULL,"
    " seconds INTEGER NOT NULL CHECK (seconds >= 0),"
    " PRIMARY KEY (item_id, centre_id, day, screen_id)) STRICT, WITHOUT ROWID;",
    "CREATE INDEX play_day ON play(day);",
    NULL,
};

static const char *const migration_4[] = {
    /* 4: the publisher's rows per screen: manifest state, last status, MQTT
     * password hash. They used to be created by a connection of the
     * publisher's own with CREATE TABLE IF NOT EXISTS, outside this list,
     * so a database of that time already has them, with rows that must
     * survive: the hashes the broker's password file is written from, and
     * seq numbers that must keep growing. The old tables are adopted if
     * they are there (created empty, exactly as then, if not) and copied
     * into STRICT tables like the rest, so that every database ends with
     * the same schema whichever way it came. No foreign keys, as before:
     * the publisher may still save a screen's row just after its delete,
     * and srv_store_pub_forget() removes them. */
    "CREATE TABLE IF NOT EXISTS pub_state ("
    " screen_id INTEGER PRIMARY KEY,"
    " seq INTEGER NOT NULL CHECK (seq >= 0),"
    " built_at INTEGER NOT NULL,"
    " digest TEXT NOT NULL CHECK (length(digest) = 64),"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64));",
    "CREATE TABLE IF NOT EXISTS pub_status ("
    " screen_id INTEGER PRIMARY KEY,"
    " online INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " has_seq INTEGER NOT NULL,"
    " applied_seq INTEGER NOT NULL,"
    " applied_sha256 TEXT NOT NULL,"
    " error TEXT NOT NULL,"
    " alert_ack TEXT NOT NULL);",
    "CREATE TABLE IF NOT EXISTS pub_secret ("
    " screen_id INTEGER PRIMARY KEY,"
    " mqtt_hash TEXT NOT NULL);",
    "CREATE TABLE pub_state_4 ("
    " screen_id INTEGER PRIMARY KEY,"
    " seq INTEGER NOT NULL CHECK (seq >= 0),"
    " built_at INTEGER NOT NULL,"
    " digest TEXT NOT NULL CHECK (length(digest) = 64),"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64)) STRICT;",
    "INSERT INTO pub_state_4 (screen_id, seq, built_at, digest, sha256)"
    " SELECT screen_id, seq, built_at, digest, sha256 FROM pub_state;",
    "DROP TABLE pub_state;",
    "ALTER TABLE pub_state_4 RENAME TO pub_state;",
    "CREATE TABLE pub_status_4 ("
    " screen_id INTEGER PRIMARY KEY,"
    " online INTEGER NOT NULL CHECK (online IN (0, 1)),"
    " last_seen INTEGER NOT NULL,"
    " has_seq INTEGER NOT NULL CHECK (has_seq IN (0, 1)),"
    " applied_seq INTEGER NOT NULL,"
    " applied_sha256 TEXT NOT NULL,"
    " error TEXT NOT NULL,"
    " alert_ack TEXT NOT NULL) STRICT;",
    "INSERT INTO pub_status_4 (screen_id, online, last_seen, has_seq,"
    " applied_seq, applied_sha256, error, alert_ack)"
    " SELECT screen_id, online != 0, last_seen, has_seq != 0, applied_seq,"
    " applied_sha256, error, alert_ack FROM pub_status;",
    "DROP TABLE pub_status;",
    "ALTER TABLE pub_status_4 RENAME TO pub_status;",
    "CREATE TABLE pub_secret_4 ("
    " screen_id INTEGER PRIMARY KEY,"
    " mqtt_hash TEXT NOT NULL) STRICT;",
    "INSERT INTO pub_secret_4 (screen_id, mqtt_hash)"
    " SELECT screen_id, mqtt_hash FROM pub_secret;",
    "DROP TABLE pub_secret;",
    "ALTER TABLE pub_secret_4 RENAME TO pub_secret;",
    NULL,
};

static const char *const migration_5[] = {
    /* 5: accounts that look after themselves, and e-mail.
     * - Each account's language for its messages and whether it wants
     *   notifications (invitations and resets are always sent). An
     *   account whose pwhash is '' has no password yet (invited, or its
     *   password was reset by the coordinator): it cannot sign in.
     * - account_link: the set-password links of invitations and resets.
     *   Only the sha256 of the link's secret is kept; a link is made when
     *   its message is sent (one per message, replaced if the sending is
     *   tried again), used once, and expires.
     * - mail: the outgoing messages, queued in the database so that none
     *   is lost while the SMTP server is away. A row says what to send
     *   (kind, recipient, parameters); the text is written when it is
     *   sent, in the recipient's language of that moment. to_addr is only
     *   for a reset asked for by address: the mailer looks the account up
     *   (the request itself must not tell whether it exists) and then
     *   forgets the address.
     * - notify_state: when each contact person last got a "waiting"
     *   message, so that a busy day is one message. */
    "ALTER TABLE account ADD COLUMN lang TEXT NOT NULL DEFAULT 'fi'"
    " CHECK (lang IN ('fi', 'sv', 'en'));",
    "ALTER TABLE account ADD COLUMN notify INTEGER NOT NULL DEFAULT 1"
    " CHECK (notify IN (0, 1));",
    "CREATE TABLE mail ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL"
    "  CHECK (kind IN ('invite', 'reset', 'waiting', 'decision')),"
    " user_id INTEGER REFERENCES account(id),"
    " to_addr TEXT,"
    " params TEXT NOT NULL DEFAULT '{}',"
    " state TEXT NOT NULL DEFAULT 'queued'"
    "  CHECK (state IN ('queued', 'sent', 'failed', 'dropped')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_at INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " done_at INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " message_id TEXT NOT NULL UNIQUE,"
    " CHECK (user_id IS NOT NULL OR to_addr IS NOT NULL"
    "  OR state != 'queued')) STRICT;",
    "CREATE INDEX mail_due ON mail(state, next_at);",
    "CREATE INDEX mail_user ON mail(user_id);",
    "CREATE TABLE account_link ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),"
    " mail_id INTEGER NOT NULL UNIQUE REFERENCES mail(id),"
    " hash BLOB NOT NULL UNIQUE,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL) STRICT;",
    "CREATE INDEX account_link_user ON account_link(user_id);",
    "CREATE TABLE notify_state ("
    " user_id INTEGER PRIMARY KEY REFERENCES account(id),"
    " last_sent_at INTEGER NOT NULL DEFAULT 0,"
    " seen_until INTEGER NOT NULL DEFAULT 0) STRICT;",
    NULL,
};

static const char *const migration_6[] = {
    /* 6: recurring events. The rule (docs/api.md, "Recurring events") is
     * part of the item and of each version's snapshot, so an edit of it
     * goes back to review; series_end, the end of its last occurrence, is
     * what "has the event ended" means for a series (0: not recurring).
     * Cancelled occurrences are not part of a version: cancelling one
     * changes no placement (an approved series stays approved), so they
     * have a table of their own, one row per item and local date. */
    "ALTER TABLE item ADD COLUMN recurrence TEXT;",
    "ALTER TABLE item ADD COLUMN series_end INTEGER NOT NULL DEFAULT 0;",
    "CREATE TABLE item_cancel ("
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " day TEXT NOT NULL CHECK (length(day) = 10),"
    " cancelled_by INTEGER NOT NULL,"
    " cancelled_at INTEGER NOT NULL,"
    " PRIMARY KEY (item_id, day)) STRICT, WITHOUT ROWID;",
    NULL,
};

static const char *const migration_7[] = {
    /* 7: opening hours "not given" and "closed all week" part ways. Until
     * now both were stored as seven nulls (a centre created without hours
     * got them) and published as "always open". Now "not given" is JSON
     * null (always open) and seven nulls is a centre closed all week. The
     * rows written before cannot tell which was meant; they keep what the
     * screens did with them (always open), and a coordinator who meant
     * "closed" saves the centre again. */
    "UPDATE centre SET opening_hours = 'null'"
    " WHERE opening_hours = '[null,null,null,null,null,null,null]';",
    NULL,
};

static const char *const migration_8[] = {
    /* 8: one card, one page.
     * - item_text.summary: a version's short screen text, shown on the
     *   screens instead of the body (the full text); NULL = none.
     * - centre.short_name and centre.names: the short form of the name
     *   for the screens' header, and the names (with their short forms)
     *   in the centre's other languages, JSON {"sv": {"name", "short"}}.
     * - screen.reported_*: the profile the player says it lays out for
     *   (its own settings over the configured one), 0 = not reported; the
     *   fit check at submission uses it. screen.unplaced / paged: the
     *   cards (wire ids, space-separated) the player cannot show whole,
     *   or shows on pages, for the contact person's view.
     * - pub_status.profile / unplaced / paged: the same in the
     *   publisher's saved status ("w h portrait diagonal*10 mm", "" = none). */
    "ALTER TABLE item_text ADD COLUMN summary TEXT;",
    "ALTER TABLE centre ADD COLUMN short_name TEXT;",
    "ALTER TABLE centre ADD COLUMN names TEXT NOT NULL DEFAULT '{}';",
    "ALTER TABLE screen ADD COLUMN reported_width_px INTEGER NOT NULL"
    " DEFAULT 0;",
    "ALTER TABLE screen ADD COLUMN reported_height_px INTEGER NOT NULL"
    " DEFAULT 0;",
    "ALTER TABLE screen ADD COLUMN reported_diagonal_in REAL NOT NULL"
    " DEFAULT 0;",
    "ALTER TABLE screen ADD COLUMN reported_distance_m REAL NOT NULL"
    " DEFAULT 0;",
    "ALTER TABLE screen ADD COLUMN unplaced TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE screen ADD COLUMN paged TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE pub_status ADD COLUMN profile TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE pub_status ADD COLUMN unplaced TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE pub_status ADD COLUMN paged TEXT NOT NULL DEFAULT '';",
    NULL,
};

static const char *const migration_9[] = {
    /* 9: less typing for volunteers.
     * - draft: what a user has typed into a form and not sent yet, saved
     *   while they type, one per user and form ("item:new",
     *   "item:edit-42", "item:copy-42"). The content is the form's own
     *   JSON, kept as sent: a draft may be half written, so it is not an
     *   item and nothing checks it; only its owner ever reads it. No
     *   audit entry: it changes nothing anybody else sees.
     * - org_defaults: what an organisation's items usually say (place,
     *   contact, category, languages), set by its members or the
     *   coordinator and filled into a new item's form.
     */
    "CREATE TABLE draft ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " form TEXT NOT NULL CHECK (length(form) BETWEEN 1 AND 48),"
    " title TEXT NOT NULL DEFAULT '',"
    " content TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (user_id, form)) STRICT;",
    "CREATE TABLE org_defaults ("
    " org_id INTEGER PRIMARY KEY REFERENCES org(id),"
    " defaults TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL) STRICT;",
    NULL,
};

static const char *const migration_10[] = {
    /* 10: importers (docs/importers.md) and opening hours from the national
     * service register (PTV).
     * - import_source: a feed or an API query someone added (its kind,
     *   address, the organisation it speaks for and the target centres as
     *   a JSON array of ids), how often it is polled, and how its last run
     *   went: what its owner sees. cursor is Linked Events' incremental
     *   sync (the last run's start, for last_modified_since); etag and
     *   last_modified make the next fetch conditional.
     * - import_item: one row per event of a source (ext_id: the iCalendar
     *   UID, a Linked Events id), the item it became (NULL while refused),
     *   the hash of what it was made from (a changed hash is an edit), its
     *   state and, when refused or skipped, why (JSON text).
     * - centre_hours: what PTV says of a centre: the regular weekly hours
     *   and the dated exceptions (holidays, over-midnight hours kept as
     *   close < open), names and addresses per language. When a row
     *   exists it drives the screens' dark hours (srv_hours.h) instead of
     *   the centre's own opening_hours, which stay as typed. */
    "CREATE TABLE import_source ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK (kind IN ('ical', 'linkedevents', 'ptv')),"
    " name TEXT NOT NULL,"
    " url TEXT NOT NULL,"
    " org_id INTEGER REFERENCES org(id),"
    " centres TEXT NOT NULL DEFAULT '[]',"
    " category TEXT NOT NULL DEFAULT '',"
    " lang TEXT NOT NULL DEFAULT 'fi',"
    " interval_min INTEGER NOT NULL CHECK (interval_min >= 1),"
    " enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),"
    " created_by INTEGER NOT NULL REFERENCES account(id),"
    " created_at INTEGER NOT NULL,"
    " last_run_at INTEGER NOT NULL DEFAULT 0,"
    " last_ok_at INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " next_run_at INTEGER NOT NULL DEFAULT 0,"
    " cursor TEXT, etag TEXT, last_modified TEXT,"
    " counts TEXT,"
    " CHECK ((kind = 'ptv') = (org_id IS NULL))) STRICT;",
    "CREATE INDEX import_source_due ON import_source(enabled, next_run_at);",
    "CREATE TABLE import_item ("
    " source_id INTEGER NOT NULL REFERENCES import_source(id)"
    "  ON DELETE CASCADE,"
    " ext_id TEXT NOT NULL,"
    " item_id INTEGER REFERENCES item(id),"
    " hash TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('active', 'refused',"
    "  'withdrawn', 'skipped')),"
    " title TEXT,"
    " reason TEXT,"
    " seen_at INTEGER NOT NULL,"
    " PRIMARY KEY (source_id, ext_id)) STRICT, WITHOUT ROWID;",
    "CREATE INDEX import_item_item ON import_item(item_id);",
    "CREATE TABLE centre_hours ("
    " centre_id INTEGER PRIMARY KEY REFERENCES centre(id) ON DELETE CASCADE,"
    " source_id INTEGER REFERENCES import_source(id) ON DELETE SET NULL,"
    " weekly TEXT NOT NULL,"
    " exceptions TEXT NOT NULL,"
    " names TEXT NOT NULL,"
    " addresses TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL) STRICT;",
    NULL,
};

static const char *const migration_11[] = {
    /* 11: the loop budget. centre.loop_s: how long one loop of the
     * centre's screens may take before the cards take turns (the
     * manifest's centre.loop_s); 5 minutes unless the coordinator says
     * otherwise. */
    "ALTER TABLE centre ADD COLUMN loop_s INTEGER NOT NULL DEFAULT 300"
    " CHECK (loop_s BETWEEN 60 AND 3600);",
    NULL,
};

static const char *const migration_12[] = {
    /* 12: the sign-in and request limits, shared by every server instance
     * on one database (until now each process counted alone in memory, so
     * N instances behind a load balancer allowed N times the guesses).
     * key is sha256 of the limited name (an e-mail, an address group):
     * no addresses in the table. */
    "CREATE TABLE rate_limit ("
    " scope TEXT NOT NULL,"
    " key BLOB NOT NULL CHECK (length(key) = 32),"
    " failures INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL,"
    " until_at INTEGER NOT NULL,"
    " PRIMARY KEY (scope, key)) STRICT;",
    "CREATE INDEX rate_limit_last ON rate_limit(last_at);",
    NULL,
};

/* 13: the signed manifest itself, with the state it is the bytes of, so
 * that every instance on a shared database (srv_store.h, "Several
 * instances") serves what the publishing instance signed. NULL on rows
 * saved before: written again on the next build. */
static const char *const migration_13[] = {
    "ALTER TABLE pub_state ADD COLUMN manifest TEXT;",
    NULL,
};

/* 14: the server instances on a shared database, by the name each uses
 * on the broker (srv_store.h, "Several instances"). A broker that binds
 * client ids to user names (use_username_as_clientid, as ours does) lets
 * one connection per account: two instances under one account throw
 * each other off every second and lose what was in flight. Each instance
 * has an account of its own; whichever writes the broker's files lists
 * every live instance's. A killed instance's row goes when it has not
 * been seen for a while. */
static const char *const migration_14[] = {
    "CREATE TABLE server_instance ("
    " name TEXT PRIMARY KEY,"
    " started_at INTEGER NOT NULL,"
    " seen_at INTEGER NOT NULL) STRICT;",
    NULL,
};

/* 15: what the publishing instance had to leave out of each centre's
 * manifests (srv_manifest.h, refusals: a card over the loop budget, an
 * alert a player would refuse), in its order, so that every instance on a
 * shared database shows the contact person the same list: the others
 * make no build to learn it from. The rest of what the views read (the
 * cards, the alerts, the opening hours) they read from the saved signed
 * manifests themselves. No foreign key: like pub_state, rows of the
 * publisher, which replaces a centre's list as a whole. */
static const char *const migration_15[] = {
    "CREATE TABLE pub_refusal ("
    " centre_id INTEGER NOT NULL,"
    " n INTEGER NOT NULL,"
    " alert INTEGER NOT NULL CHECK (alert IN (0, 1)),"
    " ref_id INTEGER NOT NULL,"
    " placement_id INTEGER NOT NULL,"
    " reason TEXT NOT NULL,"
    " PRIMARY KEY (centre_id, n)) STRICT;",
    NULL,
};

static const struct migration migrations[] = {
    {migration_1},  {migration_2},  {migration_3},  {migration_4},
    {migration_5},  {migration_6},  {migration_7},  {migration_8},
    {migration_9},  {migration_10}, {migration_11}, {migration_12},
    {migration_13}, {migration_14}, {migration_15},
};

#define N_MIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

int srv_store_schema_version(void)
{
    return N_MIGRATIONS;
}

const char *const *srv_db_sqlite_migration(int version)
{
    return version >= 1 && version <= N_MIGRATIONS
               ? migrations[version - 1].stmts
               : NULL;
}

static int read_version(struct srv_db *db, struct srv_pool *p,
                        struct srv_stmt *s, void *out, void *arg)
{
    (void)db;
    (void)p;
    (void)arg;
    *(int *)out = (int)srv_db_int(s, 0);
    return 0;
}

/* Portable: the version table is the same on both databases (a
 * PostgreSQL database's first row is its first version). */
int srv_db_migrate_to(struct srv_db *db, int upto)
{
    static const char sql_ver[] =
        "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    static const char sql_set[] =
        "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)";
    int have = 0, v, rc;

    rc = srv_db_exec_raw(db, srv_db_is_pg(db)
                                 ? "CREATE TABLE IF NOT EXISTS schema_version ("
                                   " version BIGINT PRIMARY KEY,"
                                   " applied_at BIGINT NOT NULL)"
                                 : "CREATE TABLE IF NOT EXISTS schema_version ("
                                   " version INTEGER PRIMARY KEY,"
                                   " applied_at INTEGER NOT NULL) STRICT");
    if (rc) {
        return rc;
    }
    rc = srv_db_one(db, NULL, srv_db_query(db, sql_ver, ""), read_version, NULL,
                    &have);
    if (rc) {
        taulu_err(TAG, "cannot read the schema version");
        return TAULU_EDB;
    }
    if (have > N_MIGRATIONS) {
        taulu_err(TAG, "database schema %d is newer than this program (%d)",
                  have, N_MIGRATIONS);
        return TAULU_EDB;
    }
    if (have == 0) {
        /* a new database: at the driver's first version */
        have = db->drv->first_version - 1;
    }
    for (v = have + 1; v <= upto && v <= N_MIGRATIONS; v++) {
        const char *const *stmt = db->drv->migration(v);

        if (!stmt) {
            taulu_err(TAG, "no migration %d for %s", v, db->drv->name);
            return TAULU_EDB;
        }
        rc = srv_db_begin(db);
        for (; !rc && *stmt; stmt++) {
            rc = srv_db_exec_raw(db, *stmt);
        }
        if (!rc) {
            rc = srv_db_exec(db, sql_set, "ii", (int64_t)v, taulu_now());
        }
        rc = srv_db_finish(db, rc);
        if (rc) {
            taulu_err(TAG, "migration %d failed", v);
            return rc;
        }
        taulu_info(TAG, "migrated the database to schema %d", v);
    }
    return 0;
}
