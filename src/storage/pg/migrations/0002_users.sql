-- salesdesk on PostgreSQL, migration 2: the team (issue 22). The people who work the book are
-- PostgreSQL logins; `users` says which logins are on the team and as what. The login that
-- makes the book (`db init`, or `db migrate` from schema 1) is its first manager.
INSERT INTO schema_migrations(version, name, sqlite_user_version, applied_at)
VALUES (2, '0002_users', 13, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

CREATE TABLE users (
  login        TEXT COLLATE "C" PRIMARY KEY,   -- the PostgreSQL role name, as the server has it
  role         TEXT COLLATE "C" NOT NULL CHECK (role IN ('rep', 'manager')),
  display_name TEXT COLLATE "C",
  added_at     TEXT COLLATE "C" NOT NULL
);
INSERT INTO users(login, role, display_name, added_at)
VALUES (current_user, 'manager', NULL,
        to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

-- The book's two group roles: `salesdesk_<database oid>_team` holds what every member needs
-- on the book, `salesdesk_<database oid>_managers` what only managers may do (change `users`).
-- `team add` grants a login the team's group (and a manager the managers' too) and `team
-- remove` revokes them. Roles are the cluster's, not the database's: a group of its own per
-- book keeps a member of one book out of every other book on the same server. The names are
-- derived, never stored in a table a member may write (a stored name could be pointed at a
-- role of the attacker's choosing, which the next `team add` would grant).
CREATE FUNCTION salesdesk_team_group(kind text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT 'salesdesk_' || oid || '_' || kind FROM pg_database WHERE datname = current_database()
$$;

-- Makes the two groups and grants them their rights on the book; run by the first `team add`
-- (which needs CREATEROLE) as the book's owner, so that `db init` itself needs no CREATEROLE
-- and a single user's book makes no roles. Safe to run again: a later migration that adds a
-- table runs it (as the owner) so the team can use the table.
CREATE FUNCTION salesdesk_team_setup() RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  team text := salesdesk_team_group('team');
  managers text := salesdesk_team_group('managers');
  g text;
BEGIN
  IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'users'::regclass), 'USAGE') THEN
    RAISE EXCEPTION 'the book''s team roles are made by its owner (the login that ran db init), '
                    'or a superuser: they run the first team add';
  END IF;
  FOREACH g IN ARRAY ARRAY[team, managers] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = g) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', g);
    END IF;
  END LOOP;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), team);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), team);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I',
                 current_schema(), team);
  -- Who is on the team and the schema's version: read by all, changed by managers (users)
  -- and by `db migrate` as the owner (schema_migrations) only.
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON users, schema_migrations FROM %I', team);
  EXECUTE format('GRANT INSERT, UPDATE, DELETE ON users TO %I', managers);
  -- Ids come from identity sequences, which undo and import raise (setval) and the id view
  -- reads.
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I',
                 current_schema(), team);
  EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I', current_schema(), team);
END $$;
