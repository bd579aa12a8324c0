-- Report data changed: every statement that changes what the report reads
-- (membership, segments and their counts and history, customers, the
-- store's change stamp) sends NOTIFY segments_change 'report' when its
-- transaction commits. An instance with a read replica hears it and reads
-- the primary's WAL position again before its next report read, so the
-- replica serves that read only once it has replayed the change (package
-- db's read side, wired by package change). Statement-level, and folded
-- within a transaction, like the catalog triggers. segment_set_counts is
-- left out: kept counts are derived, and written by reads.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['segments', 'segment_websites', 'segment_customers', 'segment_website_counts',
                             'segment_refreshes', 'customers', 'store_state'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
            FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change(''report'')', t || '_report_change', t);
    END LOOP;
END
$$;
