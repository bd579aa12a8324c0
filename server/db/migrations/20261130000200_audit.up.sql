-- The audit log: who did what to which records, from where. Append-only for
-- the application: the role the server runs as may insert and read, and a
-- trigger refuses UPDATE; only the retention sweep deletes, and only rows
-- older than AUDIT_RETENTION.

CREATE TABLE audit_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    -- 'user:7', 'token:3', 'cli', 'schedule', or 'anonymous' (a failed sign-in).
    principal      text NOT NULL,
    -- The principal's display name when the event happened (a user's email,
    -- a token's name), kept because the principal may later be renamed.
    principal_name text NOT NULL DEFAULT '',
    action         text NOT NULL,
    subject_ids    bigint[] NOT NULL DEFAULT '{}',
    -- Never more personal data than an id.
    details        jsonb NOT NULL DEFAULT '{}',
    client_addr    text NOT NULL DEFAULT ''
);

CREATE INDEX audit_events_at ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_action ON audit_events (action, at DESC, id DESC);
CREATE INDEX audit_events_principal ON audit_events (principal, at DESC, id DESC);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
