// Package metrictest reads metrics the way Prometheus does, for tests: a
// scrape of a /metrics handler or URL, parsed, with the value of a series
// looked up by name and labels.
package metrictest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
)

// Scrape is one scrape's metric families by name.
type Scrape map[string]*dto.MetricFamily

// Serve scrapes h (a metrics handler) in the text format.
func Serve(t testing.TB, h http.Handler) Scrape {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return Parse(t, rec.Body)
}

// Get scrapes url in the text format.
func Get(t testing.TB, url string) Scrape {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return Parse(t, resp.Body)
}

// Parse reads the text exposition format.
func Parse(t testing.TB, r io.Reader) Scrape {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	require.NoError(t, err)
	return fams
}

// Series returns the series of family name whose labels include labels
// (name, value pairs).
func (s Scrape) Series(name string, labels ...string) []*dto.Metric {
	f := s[name]
	if f == nil {
		return nil
	}
	var out []*dto.Metric
	for _, m := range f.GetMetric() {
		if matches(m, labels) {
			out = append(out, m)
		}
	}
	return out
}

func matches(m *dto.Metric, labels []string) bool {
	for i := 0; i+1 < len(labels); i += 2 {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == labels[i] && l.GetValue() == labels[i+1] {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Value adds up the values of the series of family name whose labels
// include labels: counters' and gauges' values, histograms' counts.
func (s Scrape) Value(name string, labels ...string) float64 {
	var sum float64
	for _, m := range s.Series(name, labels...) {
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		case m.Untyped != nil:
			sum += m.GetUntyped().GetValue()
		}
	}
	return sum
}

// Sum adds up the sums of the histograms of family name whose labels
// include labels.
func (s Scrape) Sum(name string, labels ...string) float64 {
	var sum float64
	for _, m := range s.Series(name, labels...) {
		sum += m.GetHistogram().GetSampleSum()
	}
	return sum
}
