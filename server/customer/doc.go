// Package customer lists the customers of one segment or of several combined
// (union or intersection): filters, sorts on every report column, keyset
// pages and counts. It reads materialized membership (segment_customers);
// it never evaluates rules.
package customer
