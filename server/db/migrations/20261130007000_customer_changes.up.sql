-- Incremental refresh: which customers can have changed membership since a
-- segment's last refresh.
--
-- Every statement that inserts, updates or deletes customers or orders (or
-- renames the code of a website or customer group, which rules compare)
-- appends the customers it touched to customer_changes, stamped with its
-- transaction id. A refresh records the snapshot it started from
-- (segments.refreshed_snapshot); the next incremental refresh re-evaluates
-- exactly the customers logged by transactions that snapshot did not see
-- (pg_visible_in_snapshot), whatever order they committed in, plus those a
-- day passing can move across a rule's time threshold. A sequence number
-- instead would miss a transaction that took its number before the refresh
-- and committed after it.
--
-- The log is pruned by refreshes up to the oldest snapshot a recently
-- refreshed segment still needs (store_state.changes_kept_from); a segment
-- whose snapshot is older than that is evaluated in full.
--
-- Each statement runs on its own (bun:split), and can run again: the index
-- on orders is built without holding segments locked, so the previous
-- version keeps serving.
CREATE TABLE IF NOT EXISTS customer_changes (
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    customer_id bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS customer_changes_xid ON customer_changes (xid);

--bun:split

ALTER TABLE segments
    ADD COLUMN IF NOT EXISTS refreshed_snapshot pg_snapshot,
    ADD COLUMN IF NOT EXISTS refreshed_time_zone text;

--bun:split

ALTER TABLE store_state ADD COLUMN IF NOT EXISTS changes_kept_from xid8;

--bun:split

-- Day-threshold crossings are found by order date (see segment.Refresher).
CREATE INDEX IF NOT EXISTS orders_created_at ON orders (created_at, customer_id);

--bun:split

-- Seeding an empty store sets segments.skip_change_log and forgets every
-- segment's snapshot (so each is evaluated in full next): the log would
-- hold a row per customer, and nothing needs it.
CREATE OR REPLACE FUNCTION log_customer_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('segments.skip_change_log', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'customers' THEN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO customer_changes (customer_id) SELECT id FROM new_rows;
        ELSE
            -- updated_at alone changing changes no rule's verdict.
            INSERT INTO customer_changes (customer_id)
            SELECT n.id FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
            WHERE (o.website_id, o.group_id, o.email, o.first_name, o.last_name, o.created_at,
                   o.phone, o.zip, o.country, o.region, o.city)
                IS DISTINCT FROM
                  (n.website_id, n.group_id, n.email, n.first_name, n.last_name, n.created_at,
                   n.phone, n.zip, n.country, n.region, n.city);
        END IF;
    ELSIF TG_TABLE_NAME = 'orders' THEN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO customer_changes (customer_id) SELECT DISTINCT customer_id FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO customer_changes (customer_id) SELECT DISTINCT customer_id FROM old_rows;
        ELSE
            -- An order moved to another customer changes both.
            INSERT INTO customer_changes (customer_id)
            SELECT DISTINCT x.customer_id
            FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
            CROSS JOIN LATERAL (VALUES (n.customer_id), (o.customer_id)) x(customer_id)
            WHERE x.customer_id IS NOT NULL
              AND (o.customer_id, o.status, o.grand_total, o.created_at)
                  IS DISTINCT FROM (n.customer_id, n.status, n.grand_total, n.created_at);
        END IF;
    ELSIF TG_TABLE_NAME = 'websites' THEN
        INSERT INTO customer_changes (customer_id)
        SELECT c.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN customers c ON c.website_id = n.id
        WHERE n.code IS DISTINCT FROM o.code;
    ELSIF TG_TABLE_NAME = 'customer_groups' THEN
        INSERT INTO customer_changes (customer_id)
        SELECT c.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN customers c ON c.group_id = n.id
        WHERE n.code IS DISTINCT FROM o.code;
    END IF;
    RETURN NULL;
END
$$;

--bun:split

-- TRUNCATE logs no rows: the segments forget their snapshots instead, and
-- the next refresh of each is full.
CREATE OR REPLACE FUNCTION forget_refresh_snapshots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE segments SET refreshed_snapshot = NULL WHERE refreshed_snapshot IS NOT NULL;
    RETURN NULL;
END
$$;

--bun:split

CREATE OR REPLACE TRIGGER customers_log_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_customer_changes();
CREATE OR REPLACE TRIGGER customers_log_update AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_customer_changes();
CREATE OR REPLACE TRIGGER orders_log_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_customer_changes();
CREATE OR REPLACE TRIGGER orders_log_update AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_customer_changes();
CREATE OR REPLACE TRIGGER orders_log_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION log_customer_changes();
CREATE OR REPLACE TRIGGER websites_log_update AFTER UPDATE ON websites
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_customer_changes();
CREATE OR REPLACE TRIGGER customer_groups_log_update AFTER UPDATE ON customer_groups
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_customer_changes();
CREATE OR REPLACE TRIGGER customers_truncate_forgets AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION forget_refresh_snapshots();
CREATE OR REPLACE TRIGGER orders_truncate_forgets AFTER TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION forget_refresh_snapshots();
