package model

import (
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/segments/segments/server/apperr"
)

// ID is the GraphQL ID scalar bound to int64: every id in this API is a
// numeric database id sent as a string.
type ID = int64

// MarshalID writes an id as a JSON string.
func MarshalID(id int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(strconv.FormatInt(id, 10)))
	})
}

// UnmarshalID reads an id given as a string or an integer.
func UnmarshalID(v any) (int64, error) {
	switch v := v.(type) {
	case string:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return 0, apperr.Invalid("%q is not an id: ids are positive whole numbers such as \"42\"", v)
		}
		return id, nil
	case json.Number:
		return UnmarshalID(string(v))
	case int64:
		return UnmarshalID(strconv.FormatInt(v, 10))
	case int:
		return UnmarshalID(strconv.Itoa(v))
	default:
		return 0, apperr.Invalid("%v is not an id: ids are positive whole numbers such as \"42\"", v)
	}
}

// Time is the Time scalar: RFC 3339, always written in UTC.
type Time = time.Time

// MarshalTime writes t in UTC, RFC 3339 with the precision it has.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalTime reads an RFC 3339 timestamp.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, apperr.Invalid("%v is not a time: use RFC 3339, e.g. \"2025-03-01T09:30:00Z\"", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, apperr.Invalid("%q is not a time: use RFC 3339, e.g. \"2025-03-01T09:30:00Z\"", s)
	}
	return t, nil
}
