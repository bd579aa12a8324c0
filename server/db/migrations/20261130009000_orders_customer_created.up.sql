-- Orders by customer and date: a customer's orders as before, and also
-- whether it has one after a given instant in one probe. An incremental
-- refresh asks that of each customer whose order a day passing carries
-- across a DAYS_SINCE_LAST_ORDER threshold: only those whose latest order
-- it is can change verdict (at a million customers and a rule on 180
-- days, about 1,400 of 7,600 a day). It also reads a customer's orders
-- from a date. The index replaces the one on customer_id alone.
CREATE INDEX orders_customer_created ON orders (customer_id, created_at);
DROP INDEX orders_customer;
