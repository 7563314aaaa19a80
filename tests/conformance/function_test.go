package conformance

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/grafana/dataplane/sdata/timeseries"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Netdata functions (queryType function) and logs (queryType logs), netdata-api-extra.md §5.

func fnQuery(refID, queryType string, model map[string]any) query {
	qq := q(refID, model)
	qq.Model["queryType"] = queryType
	qq.QueryType = queryType
	return qq
}

// netdataColumns is the column order Netdata itself gives a function's table (by index, without dummy columns).
func netdataColumns(t *testing.T, function string) []string {
	t.Helper()
	res, err := http.Get(fakes.Agent + "/api/v3/function?function=" + function)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Columns map[string]struct {
			Index int  `json:"index"`
			Dummy bool `json:"dummy"`
		} `json:"columns"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("%s: %v", function, err)
	}
	var keys []string
	for k, c := range body.Columns {
		if !c.Dummy {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return body.Columns[keys[i]].Index < body.Columns[keys[j]].Index })
	return keys
}

func TestFunctionTablesDecodeAsDataplaneTables(t *testing.T) {
	p := shared(t)
	for _, name := range []string{"mount-points", "block-devices", "network-interfaces"} {
		t.Run(name, func(t *testing.T) {
			res, _ := p.queryData(t, request(agentDS(fakes.Agent), false, fnQuery("F", "function", map[string]any{"function": name})))
			frames := ok(t, res, "F").Frames
			if len(frames) != 1 {
				t.Fatalf("%d frames, want one table", len(frames))
			}
			f := frames[0]
			if typ, v := f.TypeInfo(""); typ != data.FrameTypeTable || v.IsZero() {
				t.Fatalf("frame type %q version %v, want table with a version", typ, v)
			}
			rows, err := f.RowLen()
			if err != nil || rows == 0 {
				t.Fatalf("rows %d, %v: a table has equal-length fields and rows", rows, err)
			}
			var got []string
			for _, field := range f.Fields {
				got = append(got, field.Name)
				if typ := field.Type(); typ != data.FieldTypeNullableFloat64 && typ != data.FieldTypeNullableString {
					t.Fatalf("column %s is %s", field.Name, typ)
				}
				if field.Config == nil || field.Config.DisplayNameFromDS == "" {
					t.Fatalf("column %s has no display name (Netdata's column name)", field.Name)
				}
			}
			if want := netdataColumns(t, name); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("columns %v, want Netdata's order %v", got, want)
			}
			if !strings.Contains(f.Meta.ExecutedQueryString, "function="+name) {
				t.Fatalf("executedQueryString %q does not name the function", f.Meta.ExecutedQueryString)
			}
		})
	}
}

func TestFunctionProcessesWith412IsAPerQueryErrorNamingTheToken(t *testing.T) {
	p := shared(t)
	before := netdataRequests(t, "agent", "/api/v3/function", "processes")
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), false,
		fnQuery("P", "function", map[string]any{"function": "processes"}),
		fnQuery("M", "function", map[string]any{"function": "mount-points"})))
	if len(ok(t, res, "M").Frames) != 1 {
		t.Fatal("mount-points failed next to processes")
	}
	r := res.Responses["P"]
	if r.Status != 412 || r.Error == nil || len(r.Frames) != 0 {
		t.Fatalf("processes: status %d, error %v, %d frames; want 412 with an error", r.Status, r.Error, len(r.Frames))
	}
	msg := r.Error.Error()
	if !strings.Contains(msg, "bearer token of a claimed agent") || !strings.Contains(msg, "Netdata Cloud") {
		t.Fatalf("message %q does not say which token works", msg)
	}
	if r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("error source %q, want downstream", r.ErrorSource)
	}
	if n := netdataRequests(t, "agent", "/api/v3/function", "processes") - before; n != 1 {
		t.Fatalf("Netdata asked %d times for processes; a 412 is never retried", n)
	}
}

func bearerDS() dsSettings {
	return dsSettings{URL: fakes.BearerAgent, Token: fakes.BearerToken, UID: freshUID("bearer")}
}

var logLevels = map[string]bool{"emerg": true, "alert": true, "critical": true, "error": true, "warning": true,
	"notice": true, "info": true, "debug": true, "unknown": true}

func TestLogsFrameIsADataplaneLogLinesFrame(t *testing.T) {
	p := shared(t)
	// Explore asks for the lines and, as a supplementary query, the volume: each answer holds one of them.
	lines := map[string]any{
		"function": "systemd-journal", "labelFields": []string{"_SYSTEMD_UNIT", "SYSLOG_IDENTIFIER"}, "limit": 20,
	}
	volume := map[string]any{"function": "systemd-journal", "logsVolume": true}
	res, _ := p.queryData(t, request(bearerDS(), false, fnQuery("L", "logs", lines), fnQuery("V", "logs", volume)))
	frames := ok(t, res, "L").Frames
	if len(frames) != 1 {
		t.Fatalf("%d frames, want the log lines alone", len(frames))
	}
	f := frames[0]
	if typ, v := f.TypeInfo(""); typ != data.FrameTypeLogLines || v != (data.FrameTypeVersion{0, 0}) {
		t.Fatalf("frame type %q %v, want log-lines 0.0", typ, v)
	}
	// The logs data plane: timestamp (time) and body (string), both non-nullable; severity and id strings;
	// labels json.RawMessage.
	want := []struct {
		name string
		typ  data.FieldType
	}{
		{"timestamp", data.FieldTypeTime}, {"body", data.FieldTypeString}, {"severity", data.FieldTypeString},
		{"id", data.FieldTypeString}, {"labels", data.FieldTypeJSON},
	}
	if len(f.Fields) != len(want) {
		t.Fatalf("%d fields, want %d", len(f.Fields), len(want))
	}
	for i, w := range want {
		if f.Fields[i].Name != w.name || f.Fields[i].Type() != w.typ {
			t.Fatalf("field %d is %s %s, want %s %s", i, f.Fields[i].Name, f.Fields[i].Type(), w.name, w.typ)
		}
	}
	if f.Rows() != 20 {
		t.Fatalf("%d rows for limit 20", f.Rows())
	}
	ids := map[string]bool{}
	for r := 0; r < f.Rows(); r++ {
		if level := f.Fields[2].At(r).(string); !logLevels[level] {
			t.Fatalf("row %d: severity %q is not a Grafana log level", r, level)
		}
		id := f.Fields[3].At(r).(string)
		if ids[id] {
			t.Fatalf("row %d: id %q twice", r, id)
		}
		ids[id] = true
		var labels map[string]string
		if err := json.Unmarshal(f.Fields[4].At(r).(json.RawMessage), &labels); err != nil {
			t.Fatalf("row %d: labels are not a JSON object of strings: %v", r, err)
		}
		if labels["_SYSTEMD_UNIT"] == "" && labels["SYSLOG_IDENTIFIER"] == "" {
			t.Fatalf("row %d: labels %v lack the chosen fields", r, labels)
		}
	}
	volumeFrames := ok(t, res, "V").Frames
	for _, vf := range volumeFrames {
		if typ, _ := vf.TypeInfo(""); typ == data.FrameTypeLogLines {
			t.Fatal("the volume answer holds log lines too")
		}
	}
	reader, err := timeseries.CollectionReaderFromFrames(volumeFrames)
	if err != nil {
		t.Fatalf("volume frames: dataplane reader: %v", err)
	}
	if c, err := reader.GetCollection(true); err != nil || c.NoData() {
		t.Fatalf("volume frames: %+v, %v", c, err)
	}
}

func TestLogsAnonymousIs412NamingTheToken(t *testing.T) {
	p := shared(t)
	res, _ := p.queryData(t, request(agentDS(fakes.Agent), false,
		fnQuery("L", "logs", map[string]any{"function": "systemd-journal"})))
	r := res.Responses["L"]
	if r.Status != 412 || r.Error == nil || !strings.Contains(r.Error.Error(), "bearer token of a claimed agent") {
		t.Fatalf("anonymous logs: status %d, error %v", r.Status, r.Error)
	}
}
