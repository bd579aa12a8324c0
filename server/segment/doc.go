// Package segment owns segments: reading and listing them, checking segment
// ids from clients, and refreshing membership by evaluating each segment's
// rule inside PostgreSQL.
//
// Membership (segment_customers) is written only by Refresh, one
// transaction per segment, so a reader sees a segment's old member set or
// its new one, never a mix.
package segment
