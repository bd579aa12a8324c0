// Package erasure deletes customers on request (a data subject's right to
// erasure): Customers reads a file of customer ids (formats in
// docs/files.md) and deletes those customers with their orders and segment
// memberships, which the database cascades.
//
// The file is staged and checked the way imports are (package csvimport:
// every bad line listed, nothing deleted if there is one), then one
// transaction deletes, takes the erased members out of their segments'
// stored counts (in all and per website) and bitmaps (package bitmap), and
// stamps the store's data as changed, so segments computed before show as
// stale until their next refresh and kept combined counts are counted
// again. Ids that are no customer's are reported, not an error, so the
// same file can run twice.
package erasure
