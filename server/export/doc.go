// Package export turns the drill-down into files: the customers of one or
// more segments (union or intersection, with the drill-down's filter and
// order) as CSV (RFC 4180, UTF-8 with a byte-order mark) or Excel XML
// (SpreadsheetML 2003), formats described in docs/files.md.
//
// It holds:
//
//   - the file writers (NewCSV, NewSpreadsheetML), which know nothing of the
//     database, so the formats are tested byte for byte;
//   - the Service: an export is a row of the exports table and a run of the
//     job model (server/job, docs/jobs.md): Enqueue creates it with its job
//     in the caller's transaction, a worker on any instance writes the file
//     from one REPEATABLE READ snapshot into the bucket (Kinds), and Wait
//     lets the mutation answer small exports finished. An export
//     interrupted by a shutdown is handed back and written again by the
//     next worker; a half-written file is never published. ExportTo is the
//     command line's export, written once, straight to a local file. An
//     export keeps the website scope of the principal who asked: the worker
//     writes it acting for that principal (docs/security.md), and Find shows
//     it only to that principal and to admins;
//   - the storage of finished files (OpenBucket, gocloud.dev/blob: a local
//     folder, or an S3-compatible bucket written by multipart upload and
//     tested against gofakes3 through package s3test) and their retention
//     (DeleteExpired, a periodic job of the leader);
//   - signed download links (Signer, SigningKey) and the download handler.
//
// Both writers stream: each Write encodes one row into a reused buffer and
// hands it to a bufio.Writer, so memory stays flat whether the export has ten
// rows or ten million, and a row costs no heap allocation.
//
// Format decisions that users can see (and the README documents):
//
//   - CSV: a cell that starts with '=', '+', '-', '@', TAB or CR gets a leading
//     apostrophe so spreadsheet programs never run it as a formula (OWASP "CSV
//     injection"); a phone "+46 70 123 45 67" therefore reads
//     "'+46 70 123 45 67". A cell that already starts with one or more
//     apostrophes followed by one of those characters gets one more apostrophe,
//     which keeps the rule reversible: UnescapeCSVCell removes exactly one
//     leading apostrophe from such a cell and gives back the original value.
//   - CSV: embedded CR and LF are written verbatim inside a quoted field (RFC
//     4180 allows it); rows end with CRLF.
//   - Excel XML: values are written unchanged as String cells (string cells are
//     never formulas, so no prefix is needed); characters XML 1.0 forbids
//     (control characters other than TAB, LF and CR, U+FFFE, U+FFFF and bytes
//     that are not UTF-8) are removed because no XML reader would accept them.
//     LF and CR are written as character references so XML line-end
//     normalisation cannot change them.
//   - Excel XML: an empty value is written as an empty <Cell/> (a blank cell,
//     not an empty string) so columns stay aligned without ss:Index bookkeeping.
//   - Both: Customer Since is shown in the store's time zone; SpreadsheetML
//     datetimes carry no zone. A zero time is written as an empty cell.
//   - Excel XML: a worksheet holds at most 1,048,575 data rows (Excel's
//     1,048,576-row limit minus the header); further rows go to "Customers 2",
//     "Customers 3", ..., each with its own header row.
package export
