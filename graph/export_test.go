package graph_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/export"
)

type exportResult struct {
	ID, State            string
	RowsWritten          int
	RowCount             *int
	FileName, URL, Error *string
	ExpiresAt            *time.Time
}

const exportMutation = `mutation($in: ExportInput!) { exportSegmentCustomers(input: $in) {
	id state rowsWritten rowCount fileName url expiresAt error } }`

func (a *api) export(in map[string]any) exportResult {
	a.t.Helper()
	var r struct{ ExportSegmentCustomers exportResult }
	a.ok(exportMutation, map[string]any{"in": in}, &r)
	e := r.ExportSegmentCustomers
	require.Equal(a.t, "SUCCEEDED", e.State, "a small export finishes within the mutation's wait: %v", e.Error)
	require.NotNil(a.t, e.URL)
	return e
}

func get(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, b
}

// drillDown returns the rows the report shows for the same arguments, as
// the export writes them.
func (a *api) drillDown(ids []string, mode string, order map[string]any, filter map[string]any) [][]string {
	a.t.Helper()
	return a.drillDownExcluding(ids, nil, mode, order, filter)
}

// drillDownExcluding is drillDown leaving out the members of exclude.
func (a *api) drillDownExcluding(ids, exclude []string, mode string, order map[string]any, filter map[string]any) [][]string {
	a.t.Helper()
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	var out [][]string
	var after *string
	for {
		var r struct {
			SegmentCustomers struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
				Nodes []struct {
					ID, Name, Email    string
					Group              struct{ Name string }
					Phone, Zip, Region *string
					Country            *struct{ Name string }
					CustomerSince      time.Time
				}
			}
		}
		a.ok(`query($ids: [ID!]!, $ex: [ID!], $mode: SegmentSetMode, $order: CustomerOrder, $filter: CustomerFilter, $after: String) {
			segmentCustomers(segmentIds: $ids, excludeSegmentIds: $ex, mode: $mode, orderBy: $order, filter: $filter, first: 200, after: $after) {
			pageInfo { hasNextPage endCursor } nodes { id name email group { name } phone zip region country { name } customerSince } } }`,
			map[string]any{"ids": ids, "ex": exclude, "mode": mode, "order": order, "filter": filter, "after": after}, &r)
		for _, n := range r.SegmentCustomers.Nodes {
			country := ""
			if n.Country != nil {
				country = n.Country.Name
			}
			out = append(out, []string{n.ID, n.Name, n.Email, n.Group.Name, deref(n.Phone), deref(n.Zip), country, deref(n.Region),
				n.CustomerSince.In(stockholm).Format("2006-01-02 15:04:05")})
		}
		if !r.SegmentCustomers.PageInfo.HasNextPage {
			return out
		}
		after = r.SegmentCustomers.PageInfo.EndCursor
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestExportsHoldExactlyTheDrillDown(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	segs := ids(a.segs[:3])
	order := map[string]any{"field": "NAME", "direction": "DESC"}
	filter := map[string]any{"countryCodes": []string{"SE", "NO", "FI"}}
	want := a.drillDown(segs, "UNION", order, filter)
	require.NotEmpty(t, want)

	for _, delim := range []string{"COMMA", "SEMICOLON"} {
		e := a.export(map[string]any{"segmentIds": segs, "mode": "UNION", "format": "CSV", "orderBy": order, "filter": filter, "csvDelimiter": delim})
		require.Equal(t, len(want), e.RowsWritten)
		require.Regexp(t, `^customer-segments-\d+-\d+-\d+-union-\d{8}-\d{4}\.csv$`, *e.FileName)
		code, header, body := get(t, *e.URL)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, "text/csv; charset=utf-8", header.Get("Content-Type"))
		require.Contains(t, header.Get("Content-Disposition"), *e.FileName)
		require.True(t, bytes.HasPrefix(body, []byte("\xef\xbb\xbf")), "UTF-8 byte-order mark for Excel")
		r := csv.NewReader(bytes.NewReader(body[3:]))
		if delim == "SEMICOLON" {
			r.Comma = ';'
		}
		records, err := r.ReadAll()
		require.NoError(t, err)
		require.Equal(t, export.Columns, records[0])
		got := records[1:]
		for _, row := range got {
			for i := range row {
				row[i] = export.UnescapeCSVCell(row[i])
			}
		}
		require.Equal(t, want, got)
	}

	e := a.export(map[string]any{"segmentIds": segs, "mode": "UNION", "format": "EXCEL_XML", "orderBy": order, "filter": filter})
	code, header, body := get(t, *e.URL)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "application/xml", header.Get("Content-Type"))
	require.Contains(t, string(body[:200]), `<?mso-application progid="Excel.Sheet"?>`)
	var book struct {
		Sheets []struct {
			Rows []struct {
				Cells []struct {
					Data struct {
						Type  string `xml:"Type,attr"`
						Value string `xml:",chardata"`
					} `xml:"Data"`
				} `xml:"Cell"`
			} `xml:"Table>Row"`
		} `xml:"Worksheet"`
	}
	require.NoError(t, xml.Unmarshal(body, &book))
	require.Len(t, book.Sheets, 1)
	var got [][]string
	for i, row := range book.Sheets[0].Rows[1:] {
		var cells []string
		for _, c := range row.Cells {
			cells = append(cells, c.Data.Value)
		}
		for len(cells) < len(export.Columns) {
			cells = append(cells, "")
		}
		require.Equal(t, "Number", row.Cells[0].Data.Type, "row %d: ID is a number", i)
		require.Equal(t, "DateTime", row.Cells[8].Data.Type)
		cells[8] = strings.Replace(strings.TrimSuffix(cells[8], ".000"), "T", " ", 1)
		got = append(got, cells)
	}
	require.Equal(t, want, got)
}

func TestDownloadLinks(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	first := a.export(map[string]any{"segmentIds": ids(a.segs[:1]), "format": "CSV"})
	second := a.export(map[string]any{"segmentIds": ids(a.segs[1:2]), "format": "CSV"})
	code, _, _ := get(t, *first.URL)
	require.Equal(t, http.StatusOK, code, "the link works without other credentials")

	tampered := (*first.URL)[:len(*first.URL)-1] + map[bool]string{true: "0", false: "1"}[strings.HasSuffix(*first.URL, "1")]
	code, _, body := get(t, tampered)
	require.Equal(t, http.StatusForbidden, code)
	require.Contains(t, string(body), "not valid")

	// The signature of one export does not open another.
	other := strings.Replace(*first.URL, "/exports/"+first.ID+"/"+*first.FileName, "/exports/"+second.ID+"/"+*second.FileName, 1)
	code, _, _ = get(t, other)
	require.Equal(t, http.StatusForbidden, code)

	// Past retention the file is gone, and exportJob stops offering a link.
	_, err := a.db.Pool.Exec(auth.AsSystem(context.Background()), `UPDATE exports SET delete_after = now() - interval '1 second' WHERE id = $1`, first.ID)
	require.NoError(t, err)
	code, _, body = get(t, *first.URL)
	require.Equal(t, http.StatusGone, code)
	require.Contains(t, string(body), "retention")
	var j struct{ ExportJob exportResult }
	a.ok(`query($id: ID!) { exportJob(id: $id) { id state rowsWritten url expiresAt } }`, map[string]any{"id": first.ID}, &j)
	require.Equal(t, "SUCCEEDED", j.ExportJob.State)
	require.Nil(t, j.ExportJob.URL)

	// An expired link is refused even though the file is kept.
	a.resolver.LinkTTL = time.Second
	a.ok(`query($id: ID!) { exportJob(id: $id) { id state url expiresAt } }`, map[string]any{"id": second.ID}, &j)
	require.NotNil(t, j.ExportJob.URL)
	require.WithinDuration(t, time.Now().Add(time.Second), *j.ExportJob.ExpiresAt, 2*time.Second)
	time.Sleep(2100 * time.Millisecond)
	code, _, body = get(t, *j.ExportJob.URL)
	require.Equal(t, http.StatusForbidden, code)
	require.Contains(t, string(body), "expired")

	a.fails(exportMutation, map[string]any{"in": map[string]any{"segmentIds": []string{"999999"}, "format": "CSV"}}, "NOT_FOUND")
	a.fails(exportMutation, map[string]any{"in": map[string]any{"segmentIds": []string{}, "format": "CSV"}}, "BAD_USER_INPUT")
}
