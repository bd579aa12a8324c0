package bulk

import (
	"encoding/binary"
	"io"
	"time"
)

// PostgreSQL's binary COPY format, written directly: rows are plain
// integers, strings, times and cents, and encoding them by hand instead of
// through pgx's generic per-value encoders (interface boxing, math/big for
// numerics) takes the encoding off the critical path of the load. See
// https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4.

// RowSource appends one row in binary COPY format to b (AppendFieldCount,
// then one Append call per field); false when there are no more rows (and
// nothing was appended).
type RowSource interface {
	AppendRow(b []byte) ([]byte, bool)
}

// Reader is the io.Reader a COPY ... FROM STDIN (FORMAT binary) reads: a
// header, the rows of its source generated on demand, a trailer. Memory
// stays flat whatever the number of rows.
type Reader struct {
	src  RowSource
	buf  []byte
	off  int
	done bool
}

// NewReader returns the binary COPY stream of src's rows.
func NewReader(src RowSource) *Reader {
	r := &Reader{src: src, buf: make([]byte, 0, 128<<10)}
	r.buf = append(r.buf, "PGCOPY\n\xff\r\n\x00"...)
	r.buf = binary.BigEndian.AppendUint32(r.buf, 0) // flags
	r.buf = binary.BigEndian.AppendUint32(r.buf, 0) // header extension length
	return r
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	if r.off > 0 {
		r.buf = append(r.buf[:0], r.buf[r.off:]...)
		r.off = 0
	}
	for len(r.buf) < len(p) && !r.done {
		var more bool
		r.buf, more = r.src.AppendRow(r.buf)
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

// AppendFieldCount starts a row of n fields.
func AppendFieldCount(b []byte, n int) []byte { return binary.BigEndian.AppendUint16(b, uint16(n)) }

// AppendNull appends a NULL field.
func AppendNull(b []byte) []byte { return binary.BigEndian.AppendUint32(b, 0xffffffff) }

// AppendInt8 appends a bigint field.
func AppendInt8(b []byte, v int64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64(v))
}

// AppendText appends a text (or char) field.
func AppendText(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// AppendOptText appends a text field, NULL when s is empty.
func AppendOptText(b []byte, s string) []byte {
	if s == "" {
		return AppendNull(b)
	}
	return AppendText(b, s)
}

// postgresEpoch is 2000-01-01T00:00:00Z in Unix seconds.
const postgresEpoch = 946_684_800

// AppendTimestamptz appends a timestamptz field for Unix time sec:
// microseconds since 2000-01-01 UTC.
func AppendTimestamptz(b []byte, sec int64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64((sec-postgresEpoch)*1_000_000))
}

// AppendNumericCents appends a numeric field worth cents/100, with two
// decimals: base-10000 digits, most significant first, with no leading or
// trailing zero digits, weight being the power of 10000 of the first.
func AppendNumericCents(b []byte, cents int64) []byte {
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

// AppendInt8OrNull appends a bigint field, NULL when ok is false.
func AppendInt8OrNull(b []byte, v int64, ok bool) []byte {
	if !ok {
		return AppendNull(b)
	}
	return AppendInt8(b, v)
}

// AppendTime appends a timestamptz field (microseconds since 2000-01-01
// UTC, rounded as PostgreSQL rounds text input), NULL for the zero time.
// Unix microseconds cover every year a file can spell (0000-9999) without
// the overflow of time.Duration.
func AppendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return AppendNull(b)
	}
	us := t.Unix()*1_000_000 + int64((t.Nanosecond()+500)/1000) - postgresEpoch*1_000_000
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64(us))
}
