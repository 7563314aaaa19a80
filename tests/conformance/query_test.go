package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/grafana/dataplane/sdata/timeseries"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var cpuByNode = map[string]any{"context": "system.cpu", "groupBy": []string{"node"}, "aggregation": "sum"}
var cpuByDimension = map[string]any{"context": "system.cpu", "groupBy": []string{"dimension"}}

func ok(t *testing.T, res *backend.QueryDataResponse, refID string) backend.DataResponse {
	t.Helper()
	r, found := res.Responses[refID]
	if !found {
		t.Fatalf("no response for refId %s", refID)
	}
	if r.Error != nil || r.Status != backend.StatusOK {
		t.Fatalf("refId %s: status %d, error %v", refID, r.Status, r.Error)
	}
	return r
}

// checkSeriesFrame asserts one timeseries-multi frame: a non-nullable time field, then one nullable float64
// field with labels and a config the SDK reads.
func checkSeriesFrame(t *testing.T, f *data.Frame, refID string) {
	t.Helper()
	if f.RefID != refID {
		t.Fatalf("frame refId %q, want %q", f.RefID, refID)
	}
	if len(f.Fields) != 2 {
		t.Fatalf("frame %q has %d fields, timeseries-multi wants time + one number", f.Name, len(f.Fields))
	}
	tf, vf := f.Fields[0], f.Fields[1]
	if tf.Type() != data.FieldTypeTime {
		t.Fatalf("first field is %s, want non-nullable time", tf.Type())
	}
	if vf.Type() != data.FieldTypeNullableFloat64 {
		t.Fatalf("value field is %s, want nullable float64", vf.Type())
	}
	if len(vf.Labels) == 0 {
		t.Fatal("the value field has no labels")
	}
	if vf.Config == nil || vf.Config.DisplayNameFromDS == "" {
		t.Fatalf("value field %q has no config.displayNameFromDS", vf.Name)
	}
	if tf.Len() == 0 {
		t.Fatal("no rows")
	}
	var prev time.Time
	for i := 0; i < tf.Len(); i++ {
		ts := tf.At(i).(time.Time)
		if i > 0 && !ts.After(prev) {
			t.Fatalf("time field not strictly ascending at row %d: %v after %v", i, ts, prev)
		}
		prev = ts
	}
	if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
		t.Fatalf("meta %+v, want type timeseries-multi", f.Meta)
	}
	if f.Meta.TypeVersion != (data.FrameTypeVersion{0, 1}) {
		t.Fatalf("typeVersion %v, want [0 1]", f.Meta.TypeVersion)
	}
	if !strings.Contains(f.Meta.ExecutedQueryString, "/api/v3/data") && !strings.Contains(f.Meta.ExecutedQueryString, "/data") {
		t.Fatalf("executedQueryString %q does not show the Netdata request", f.Meta.ExecutedQueryString)
	}
}

func TestQueryPanelFramesDecodeWithTheSDK(t *testing.T) {
	p := shared(t)
	from, to := window()
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), false, q("A", cpuByNode)))
	a := ok(t, res, "A")
	if len(a.Frames) < 2 {
		t.Fatalf("%d frames, the fake Parent has a child: want one per node", len(a.Frames))
	}
	for _, f := range a.Frames {
		checkSeriesFrame(t, f, "A")
		first := f.Fields[0].At(0).(time.Time)
		last := f.Fields[0].At(f.Fields[0].Len() - 1).(time.Time)
		// Read as nanoseconds: a millisecond column would decode to 1970.
		if first.Before(from.Add(-time.Minute)) || last.After(to.Add(time.Minute)) {
			t.Fatalf("times %v..%v outside the query window %v..%v", first, last, from, to)
		}
		if f.Fields[1].Labels["node"] == "" || f.Fields[1].Labels["machine_guid"] == "" {
			t.Fatalf("labels %v lack node/machine_guid", f.Fields[1].Labels)
		}
		if f.Fields[1].Config.Unit != "percent" {
			t.Fatalf("config.unit %q, Netdata's percentage is Grafana's percent", f.Fields[1].Config.Unit)
		}
	}
}

func TestQueryAlertingSameFramesAsPanel(t *testing.T) {
	p := shared(t)
	s := agentDS(fakes.Agent)
	qq := q("A", cpuByDimension)
	panel, _ := p.queryData(t, request(s, false, qq))
	alert, _ := p.queryData(t, request(s, true, qq))
	pf, af := ok(t, panel, "A").Frames, ok(t, alert, "A").Frames
	if len(pf) != len(af) || len(af) == 0 {
		t.Fatalf("panel %d frames, alerting %d", len(pf), len(af))
	}
	for i := range af {
		checkSeriesFrame(t, af[i], "A")
		if af[i].Fields[1].Labels.String() != pf[i].Fields[1].Labels.String() {
			t.Fatalf("series %d: alerting labels %v, panel labels %v", i, af[i].Fields[1].Labels, pf[i].Fields[1].Labels)
		}
	}
}

func TestQueryEveryResponseHasAValidStatus(t *testing.T) {
	p := shared(t)
	_, raw := p.queryData(t, request(agentDS(fakes.Agent), true,
		q("A", cpuByNode), q("B", map[string]any{"context": ""}), q("C", map[string]any{"context": "no.such.context"})))
	if len(raw.Responses) != 3 {
		t.Fatalf("%d responses for 3 queries", len(raw.Responses))
	}
	for ref, r := range raw.Responses {
		// Grafana maps 0 (and anything outside 100-599) to 500 "unknown".
		if r.Status < 100 || r.Status > 599 {
			t.Fatalf("refId %s: status %d", ref, r.Status)
		}
		if (r.Error != "") != (r.Status >= 400) {
			t.Fatalf("refId %s: status %d with error %q", ref, r.Status, r.Error)
		}
	}
}

func TestQueryDataplaneTimeseriesMultiIsValid(t *testing.T) {
	p := shared(t)
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), true, q("A", cpuByDimension)))
	frames := ok(t, res, "A").Frames
	reader, err := timeseries.CollectionReaderFromFrames(frames)
	if err != nil {
		t.Fatalf("dataplane reader refuses the frames: %v", err)
	}
	if _, multi := reader.(*timeseries.MultiFrame); !multi {
		t.Fatalf("dataplane reader %T, want the timeseries-multi one", reader)
	}
	c, err := reader.GetCollection(true)
	if err != nil {
		t.Fatalf("dataplane validation: %v", err)
	}
	if c.Warning != nil || c.NoData() || len(c.Refs) != len(frames) {
		t.Fatalf("collection: %d refs for %d frames, nodata %v, warning %v", len(c.Refs), len(frames), c.NoData(), c.Warning)
	}
	for _, ref := range c.Refs {
		if _, _, err := ref.NullableFloat64Point(0); err != nil {
			t.Fatalf("series %s: %v", ref.GetMetricName(), err)
		}
	}
}

func TestQueryFrameMetaTypeVersionAndExecutedQueryString(t *testing.T) {
	p := shared(t)
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), false, q("A", cpuByNode)))
	for _, f := range ok(t, res, "A").Frames {
		if f.Meta.TypeVersion.IsZero() {
			t.Fatal("typeVersion [0,0]: Grafana's expressions would not use the dataplane reader")
		}
		if !strings.Contains(f.Meta.ExecutedQueryString, "system.cpu") {
			t.Fatalf("executedQueryString %q does not name the context", f.Meta.ExecutedQueryString)
		}
	}
}

func TestQueryCloudFramesDecode(t *testing.T) {
	p := shared(t)
	res, _ := p.queryData(t, request(cloudDS(), true, q("A", cpuByNode)))
	a := ok(t, res, "A")
	if len(a.Frames) == 0 {
		t.Fatal("no frames from Cloud")
	}
	for _, f := range a.Frames {
		checkSeriesFrame(t, f, "A")
	}
}

func TestQueryBadQueryFailsAloneWith400AndErrorSource(t *testing.T) {
	p := shared(t)
	bad := q("BAD", nil)
	bad.Raw = []byte(`{"refId":"BAD","context":`)
	empty := q("EMPTY", map[string]any{"context": ""})
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), true, q("A", cpuByNode), bad, empty, q("C", cpuByDimension)))
	for _, ref := range []string{"A", "C"} {
		if len(ok(t, res, ref).Frames) == 0 {
			t.Fatalf("%s: no frames next to a bad query", ref)
		}
	}
	for _, ref := range []string{"BAD", "EMPTY"} {
		r := res.Responses[ref]
		if r.Status != http.StatusBadRequest || r.Error == nil {
			t.Fatalf("%s: status %d, error %v; want 400 with an error", ref, r.Status, r.Error)
		}
		if r.ErrorSource != backend.ErrorSourcePlugin {
			t.Fatalf("%s: error source %q, want plugin", ref, r.ErrorSource)
		}
		if len(r.Frames) != 0 {
			t.Fatalf("%s: frames next to an error", ref)
		}
	}
}

func TestQueryNetdataFailureIsDownstream(t *testing.T) {
	p := shared(t)
	res, _ := p.queryData(t, request(agentDS(fakes.Refused), true, q("A", cpuByNode)))
	r := res.Responses["A"]
	if r.Error == nil || r.Status < 500 {
		t.Fatalf("status %d, error %v: want a 5xx with an error", r.Status, r.Error)
	}
	if r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("error source %q, want downstream", r.ErrorSource)
	}
}

func TestQueryEmptyResultIsEmptyFrameNotError(t *testing.T) {
	p := shared(t)
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), true, q("A", map[string]any{"context": "no.such.context"})))
	a := ok(t, res, "A")
	if len(a.Frames) != 1 || len(a.Frames[0].Fields) != 0 {
		t.Fatalf("%d frames; want one frame without fields", len(a.Frames))
	}
	f := a.Frames[0]
	if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti || f.Meta.TypeVersion.IsZero() {
		t.Fatalf("meta %+v: an empty timeseries-multi frame still carries its type", f.Meta)
	}
	if len(f.Meta.Notices) == 0 || f.Meta.Notices[0].Severity != data.NoticeSeverityInfo ||
		!strings.Contains(f.Meta.Notices[0].Text, "no.such.context") {
		t.Fatalf("notices %+v: want an info notice naming the context", f.Meta.Notices)
	}
	reader, err := timeseries.CollectionReaderFromFrames(a.Frames)
	if err != nil {
		t.Fatalf("dataplane reader: %v", err)
	}
	c, err := reader.GetCollection(true)
	if err != nil || !c.NoData() {
		t.Fatalf("dataplane: nodata %v, err %v; Grafana's alerting wants NoData here", c.NoData(), err)
	}
}

func TestAlertingSeriesHaveUniqueLabelSets(t *testing.T) {
	p := shared(t)
	models := []map[string]any{
		cpuByDimension,
		cpuByNode,
		{"context": "system.cpu", "groupBy": []string{"dimension", "node"}},
		{"context": "system.cpu", "groupBy": []string{"instance"}},
	}
	for i, m := range models {
		t.Run(fmt.Sprint(m["groupBy"]), func(t *testing.T) {
			ref := fmt.Sprintf("Q%d", i)
			res, _ := p.queryData(t, request(agentDS(fakes.Agent), true, q(ref, m)))
			frames := ok(t, res, ref).Frames
			if len(frames) == 0 {
				t.Fatal("no series")
			}
			seen := map[string]bool{}
			for _, f := range frames {
				for _, field := range f.Fields {
					if field.Type().Numeric() {
						key := field.Labels.String()
						if seen[key] {
							t.Fatalf("two series share the labels %s: Grafana's expressions fail on duplicates", key)
						}
						seen[key] = true
					}
				}
			}
			reader, err := timeseries.CollectionReaderFromFrames(frames)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := reader.GetCollection(true); err != nil {
				t.Fatalf("dataplane: %v", err)
			}
		})
	}
}

func TestQueryLegendFormatRenderedByBackend(t *testing.T) {
	p := shared(t)
	m := map[string]any{"context": "system.cpu", "groupBy": []string{"dimension", "node"},
		"legendFormat": "{{dimension}} on {{node}}"}
	// As an alert evaluation / public dashboard would send it: nothing rendered the names in a browser.
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), true, q("A", m)))
	frames := ok(t, res, "A").Frames
	if len(frames) == 0 {
		t.Fatal("no series")
	}
	for _, f := range frames {
		v := f.Fields[1]
		want := v.Labels["dimension"] + " on " + v.Labels["node"]
		if v.Labels["dimension"] == "" || v.Labels["node"] == "" {
			t.Fatalf("labels %v lack dimension/node", v.Labels)
		}
		if v.Config == nil || v.Config.DisplayNameFromDS != want {
			got := ""
			if v.Config != nil {
				got = v.Config.DisplayNameFromDS
			}
			t.Fatalf("displayNameFromDS %q, want %q", got, want)
		}
	}
}

func TestQueryMetaAndConfigUseOnlyKeysTheSDKKnows(t *testing.T) {
	// The SDK reads frame meta and field config into Go structs and silently drops keys it does not know: a
	// misspelt key would never reach Grafana. Decode the plugin's raw Arrow metadata strictly.
	p := shared(t)
	_, raw := p.queryData(t, request(agentDS(fakes.Agent), false, q("A", cpuByNode),
		q("E", map[string]any{"context": "no.such.context"})))
	frames := append(raw.Responses["A"].Frames, raw.Responses["E"].Frames...)
	if len(frames) < 2 {
		t.Fatalf("%d frames", len(frames))
	}
	strict := func(what, js string, into any) {
		dec := json.NewDecoder(strings.NewReader(js))
		dec.DisallowUnknownFields()
		if err := dec.Decode(into); err != nil {
			t.Fatalf("%s %s: %v", what, js, err)
		}
	}
	for _, b := range frames {
		r, err := ipc.NewFileReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("not an Arrow IPC file: %v", err)
		}
		md := r.Schema().Metadata()
		if i := md.FindKey("meta"); i >= 0 {
			strict("frame meta", md.Values()[i], &data.FrameMeta{})
		} else {
			t.Fatal("frame without meta")
		}
		for _, f := range r.Schema().Fields() {
			if i := f.Metadata.FindKey("config"); i >= 0 {
				strict("field config of "+f.Name, f.Metadata.Values()[i], &data.FieldConfig{})
			}
			if i := f.Metadata.FindKey("labels"); i >= 0 {
				strict("labels of "+f.Name, f.Metadata.Values()[i], &map[string]string{})
			}
		}
		r.Close()
	}
}
