-- A customer's orders by date carry their status and total too, so an
-- incremental refresh reads a candidate's orders from this index alone
-- (an index-only scan) rather than visiting each order's row. A store
-- takes its orders over time, so one customer's orders sit on as many
-- table pages as it has orders; here they are adjacent. At a million
-- customers and 5M orders laid out by date, the measures of a day's
-- 14,000 candidates took 0.7–0.9 s through the rows and 0.2–0.3 s from the
-- index, which grew from 151 to 237 MB.
CREATE INDEX orders_customer_created_covering ON orders (customer_id, created_at) INCLUDE (status, grand_total);
DROP INDEX orders_customer_created;
ALTER INDEX orders_customer_created_covering RENAME TO orders_customer_created;
