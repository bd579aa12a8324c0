-- Change notification: every statement that changes a table some instance
-- caches in memory sends NOTIFY segments_change with the table's topic, so
-- every instance drops what it kept (package change). Statement-level, so
-- an import that touches a million rows sends one notification, and
-- PostgreSQL folds repeats of one payload within a transaction into one;
-- the notification goes out when the transaction commits, never before.

CREATE FUNCTION segments_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('segments_change', TG_ARGV[0]);
    RETURN NULL;
END
$$;

-- The catalogs the drill-down fills each row's group and website from.
CREATE TRIGGER websites_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON websites
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('websites');

CREATE TRIGGER customer_groups_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customer_groups
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('customer_groups');

-- API tokens as bearer requests resolve them. Every column but
-- last_used_at: the throttled last-use write (once a minute per token in
-- use) changes nothing a principal is made of, and must not empty every
-- instance's token cache each time. A column added to api_tokens later
-- belongs in this list when a principal depends on it.
CREATE TRIGGER api_tokens_change
    AFTER INSERT OR UPDATE OF id, name, secret_sha256, role, created_by, created_at, expires_at, revoked_at
        OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('api_tokens');

CREATE TRIGGER api_token_websites_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_token_websites
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('api_tokens');
