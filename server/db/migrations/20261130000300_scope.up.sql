-- Website scope: a principal limited to some websites sees only their
-- customers, counts and history.

-- A segment refresh's numbers on each website (the segment's websites at
-- the time, and any website members left from), so a scoped principal's
-- refresh history counts only its websites. A refresh without rows here
-- (one from before this table) is shown only to principals of every website.
CREATE TABLE segment_refresh_websites (
    refresh_id     bigint NOT NULL REFERENCES segment_refreshes (id) ON DELETE CASCADE,
    website_id     bigint NOT NULL REFERENCES websites (id),
    customer_count bigint NOT NULL,
    added          bigint NOT NULL,
    removed        bigint NOT NULL,
    PRIMARY KEY (refresh_id, website_id)
);

-- The scope of the principal who asked for an export: the worker writes the
-- file under it. NULL: every website (and every export from before scopes).
ALTER TABLE exports
    ADD COLUMN scope_website_ids bigint[],
    ADD CONSTRAINT exports_scope CHECK (scope_website_ids IS NULL OR cardinality(scope_website_ids) > 0);
