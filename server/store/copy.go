package store

import (
	"encoding/binary"
	"io"
)

// PostgreSQL's binary COPY format, written directly: the seed's rows are
// plain integers, strings, times and cents, and encoding them by hand
// instead of through pgx's generic per-value encoders (interface boxing,
// math/big for numerics) takes the generator off the critical path of the
// load. See https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4.

// rowSource appends one row in binary COPY format to b; false when there
// are no more rows (and nothing was appended).
type rowSource interface {
	appendRow(b []byte) ([]byte, bool)
}

// copyReader is the io.Reader pgconn.CopyFrom reads a binary COPY stream
// from: a header, the rows of src generated on demand, a trailer.
type copyReader struct {
	src  rowSource
	buf  []byte
	off  int
	done bool
}

func newCopyReader(src rowSource) *copyReader {
	r := &copyReader{src: src, buf: make([]byte, 0, 128<<10)}
	r.buf = append(r.buf, "PGCOPY\n\xff\r\n\x00"...)
	r.buf = binary.BigEndian.AppendUint32(r.buf, 0) // flags
	r.buf = binary.BigEndian.AppendUint32(r.buf, 0) // header extension length
	return r
}

func (r *copyReader) Read(p []byte) (int, error) {
	if r.off > 0 {
		r.buf = append(r.buf[:0], r.buf[r.off:]...)
		r.off = 0
	}
	for len(r.buf) < len(p) && !r.done {
		var more bool
		r.buf, more = r.src.appendRow(r.buf)
		if !more {
			r.done = true
			r.buf = binary.BigEndian.AppendUint16(r.buf, 0xffff) // trailer: -1 fields
		}
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.off = n
	return n, nil
}

func appendFieldCount(b []byte, n int) []byte { return binary.BigEndian.AppendUint16(b, uint16(n)) }

func appendNull(b []byte) []byte { return binary.BigEndian.AppendUint32(b, 0xffffffff) }

// appendInt8 appends a bigint field.
func appendInt8(b []byte, v int64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64(v))
}

// appendText appends a text (or char) field.
func appendText(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// appendOptText appends a text field, NULL when s is empty.
func appendOptText(b []byte, s string) []byte {
	if s == "" {
		return appendNull(b)
	}
	return appendText(b, s)
}

// postgresEpoch is 2000-01-01T00:00:00Z in Unix seconds.
const postgresEpoch = 946_684_800

// appendTimestamptz appends a timestamptz field for Unix time sec:
// microseconds since 2000-01-01 UTC.
func appendTimestamptz(b []byte, sec int64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64((sec-postgresEpoch)*1_000_000))
}

// appendNumericCents appends a numeric field worth cents/100, with two
// decimals: base-10000 digits, most significant first, with no leading or
// trailing zero digits, weight being the power of 10000 of the first.
func appendNumericCents(b []byte, cents int64) []byte {
	var sign uint16
	u := uint64(cents)
	if cents < 0 {
		sign, u = 0x4000, uint64(-cents)
	}
	ip, frac := u/100, u%100
	var digits [7]uint16 // up to 5 integer digits and 1 fraction digit
	var ipd [5]uint16
	k := 0
	for ; ip > 0; ip /= 10000 {
		ipd[k] = uint16(ip % 10000)
		k++
	}
	n := 0
	for i := k - 1; i >= 0; i-- {
		digits[n] = ipd[i]
		n++
	}
	weight := k - 1
	if frac != 0 {
		digits[n] = uint16(frac * 100)
		n++
	}
	for n > 0 && digits[n-1] == 0 {
		n--
	}
	if n == 0 {
		weight, sign = 0, 0
	}
	b = binary.BigEndian.AppendUint32(b, uint32(8+2*n))
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
	b = binary.BigEndian.AppendUint16(b, sign)
	b = binary.BigEndian.AppendUint16(b, 2) // display scale
	for _, d := range digits[:n] {
		b = binary.BigEndian.AppendUint16(b, d)
	}
	return b
}
