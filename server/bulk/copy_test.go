package bulk_test

import (
	"encoding/binary"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/bulk"
)

func TestBinaryCopyValues(t *testing.T) {
	t.Parallel()
	m := pgtype.NewMap()
	for _, cents := range []int64{0, 1, 5, 10, 42, 99, 100, 101, 495, 1000, 9999, 10000, 10050, 123456, 1000000, 99999999, 100000000, 123456789012, -1, -12345, math.MaxInt64 / 2} {
		b := bulk.AppendNumericCents(nil, cents)
		require.EqualValues(t, len(b)-4, binary.BigEndian.Uint32(b), "length prefix")
		var n pgtype.Numeric
		require.NoError(t, m.Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, b[4:], &n), cents)
		want := new(big.Rat).SetFrac(big.NewInt(cents), big.NewInt(100))
		got := new(big.Rat).SetInt(n.Int)
		if n.Exp > 0 {
			got.Mul(got, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n.Exp)), nil)))
		} else {
			got.Quo(got, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-n.Exp)), nil)))
		}
		require.Equal(t, want.String(), got.String(), "%d cents", cents)
	}

	at := time.Date(2025, 3, 1, 9, 30, 15, 0, time.UTC)
	b := bulk.AppendTimestamptz(nil, at.Unix())
	var ts time.Time
	require.NoError(t, m.Scan(pgtype.TimestamptzOID, pgtype.BinaryFormatCode, b[4:], &ts))
	require.True(t, at.Equal(ts), ts)

	require.Equal(t, []byte{0xff, 0xff, 0xff, 0xff}, bulk.AppendOptText(nil, ""))
	require.Equal(t, []byte{0, 0, 0, 3, 'a', 'b', 'c'}, bulk.AppendOptText(nil, "abc"))
}

func TestAppendTimeRoundsToMicroseconds(t *testing.T) {
	t.Parallel()
	m := pgtype.NewMap()
	at := time.Date(2025, 3, 1, 9, 30, 15, 123456700, time.UTC)
	var ts time.Time
	require.NoError(t, m.Scan(pgtype.TimestamptzOID, pgtype.BinaryFormatCode, bulk.AppendTime(nil, at)[4:], &ts))
	require.True(t, at.Round(time.Microsecond).Equal(ts), ts)
	require.Equal(t, []byte{0xff, 0xff, 0xff, 0xff}, bulk.AppendTime(nil, time.Time{}))
}
