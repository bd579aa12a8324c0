-- Report data changed: every statement that changes what the report reads
-- (membership, segments and their counts and history, customers, the
-- store's change stamp) sends NOTIFY segments_change 'report' when its
-- transaction commits. An instance with a read replica hears it and reads
-- the primary's WAL position again before its next report read, so the
-- replica serves that read only once it has replayed the change (package
-- db's read side, wired by package change). Statement-level, and folded
-- within a transaction, like the catalog triggers. segment_set_counts is
-- left out: kept counts are derived, and written by reads.
CREATE TRIGGER segments_report_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON segments
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('report');

CREATE TRIGGER segment_websites_report_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON segment_websites
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('report');

CREATE TRIGGER segment_customers_report_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON segment_customers
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('report');

CREATE TRIGGER segment_website_counts_report_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON segment_website_counts
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('report');

CREATE TRIGGER segment_refreshes_report_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON segment_refreshes
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('report');

CREATE TRIGGER customers_report_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('report');

CREATE TRIGGER store_state_report_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON store_state
    FOR EACH STATEMENT EXECUTE FUNCTION segments_notify_change('report');
