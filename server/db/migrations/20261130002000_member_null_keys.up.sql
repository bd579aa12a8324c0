-- Which of a member's nullable sort keys (phone, ZIP, country, region) are
-- NULL. A drill-down sorted by one of them lists the members without a
-- value after (ascending) or before (descending) the others; without these
-- flags it found them by walking every customer without a value and asking
-- whether each is a member — for a segment whose members all have a phone,
-- all 200,000 customers of a million without one, before answering the
-- first descending page or the last ascending one. With them it reads the
-- segment's members without a value from a partial index of just those.
--
-- A refresh sets the flags of the members it adds, as its evaluation read
-- the customers (or, when store data changed since, as the transaction that
-- adds them reads them), holding customers in SHARE mode while it writes
-- (see segment.Refresher); the trigger below keeps them current when an
-- import or edit gives a member's customer a value or takes it away. NULL
-- means "not known" and is listed as possibly NULL: rows written by a
-- binary that predates the flags stay listed, and the page statement checks
-- the customer's own column as well.
--
-- Each statement runs on its own (bun:split), so the table is locked
-- against readers only for the instant of ALTER TABLE, not while the
-- backfill (about 100 s per 2.6 million members on 2 cores) and the index
-- builds run: instances of the previous version keep serving pages. Each
-- statement can run again, should the migration stop halfway.
ALTER TABLE segment_customers
    ADD COLUMN IF NOT EXISTS null_phone boolean,
    ADD COLUMN IF NOT EXISTS null_zip boolean,
    ADD COLUMN IF NOT EXISTS null_country boolean,
    ADD COLUMN IF NOT EXISTS null_region boolean;

--bun:split

UPDATE segment_customers sc
SET null_phone = c.phone IS NULL, null_zip = c.zip IS NULL,
    null_country = c.country IS NULL, null_region = c.region IS NULL
FROM customers c
WHERE c.id = sc.customer_id AND sc.null_phone IS NULL;

--bun:split

CREATE INDEX IF NOT EXISTS segment_customers_null_phone ON segment_customers (segment_id, customer_id) WHERE null_phone IS NOT FALSE;

--bun:split

CREATE INDEX IF NOT EXISTS segment_customers_null_zip ON segment_customers (segment_id, customer_id) WHERE null_zip IS NOT FALSE;

--bun:split

CREATE INDEX IF NOT EXISTS segment_customers_null_country ON segment_customers (segment_id, customer_id) WHERE null_country IS NOT FALSE;

--bun:split

CREATE INDEX IF NOT EXISTS segment_customers_null_region ON segment_customers (segment_id, customer_id) WHERE null_region IS NOT FALSE;

--bun:split

CREATE OR REPLACE FUNCTION segment_customers_null_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE segment_customers
    SET null_phone = NEW.phone IS NULL, null_zip = NEW.zip IS NULL,
        null_country = NEW.country IS NULL, null_region = NEW.region IS NULL
    WHERE customer_id = NEW.id;
    RETURN NULL;
END
$$;

--bun:split

-- Only when a key gains or loses its value: an import that rewrites a
-- million customers with the same NULLs runs the function for none of them.
DROP TRIGGER IF EXISTS customers_null_keys ON customers;

--bun:split

CREATE TRIGGER customers_null_keys
    AFTER UPDATE OF phone, zip, country, region ON customers
    FOR EACH ROW
    WHEN ((OLD.phone IS NULL) <> (NEW.phone IS NULL) OR (OLD.zip IS NULL) <> (NEW.zip IS NULL)
       OR (OLD.country IS NULL) <> (NEW.country IS NULL) OR (OLD.region IS NULL) <> (NEW.region IS NULL))
    EXECUTE FUNCTION segment_customers_null_keys();
