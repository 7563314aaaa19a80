package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/dataplane/sdata/timeseries"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Grafana Live drives a data source's streams like this: QueryData answers a live query with a frame whose
// meta.channel is `ds/<uid>/<path>`; a browser subscribes to the channel, Grafana calls SubscribeStream with the path,
// then runs one RunStream per channel (and org) for all its subscribers, and cancels it after the last one leaves.
// The fake Agent `live` collects one row per second per series on the wall clock.

const dataPath = "/api/v3/data"

// liveModel is a panel query with the "Live" option on, and a legend the backend renders into displayNameFromDS.
func liveModel(dimensions ...string) map[string]any {
	return map[string]any{
		"context": "system.cpu", "nodes": []string{"parent01"}, "dimensions": dimensions,
		"groupBy": []string{"dimension", "node"}, "legendFormat": "{{dimension}} on {{node}}", "live": true,
	}
}

func liveDS() dsSettings { return dsSettings{URL: fakes.Live, UID: freshUID("live")} }

// liveAnswer is what QueryData answered for a live query: its one wide frame and the stream path in its channel.
type liveAnswer struct {
	frame  *data.Frame
	path   string
	lastAt time.Time
}

// queryLive runs the live query for the last 30 s (up to now, where the stream carries on).
func queryLive(t *testing.T, p *runningPlugin, s dsSettings, model map[string]any) liveAnswer {
	t.Helper()
	now := time.Now()
	qq := query{RefID: "A", Model: model, From: now.Add(-30 * time.Second), To: now, MaxPoints: 30, Interval: time.Second}
	res, _ := p.queryData(t, request(s, false, qq))
	frames := ok(t, res, "A").Frames
	if len(frames) != 1 {
		t.Fatalf("%d frames: a live query answers one frame for its channel", len(frames))
	}
	f := frames[0]
	prefix := "ds/" + s.UID + "/"
	if f.Meta == nil || !strings.HasPrefix(f.Meta.Channel, prefix) {
		t.Fatalf("meta %+v: want a channel under %s", f.Meta, prefix)
	}
	if f.Rows() == 0 {
		t.Fatal("the live query answered no rows")
	}
	return liveAnswer{frame: f, path: strings.TrimPrefix(f.Meta.Channel, prefix),
		lastAt: f.Fields[0].At(f.Rows() - 1).(time.Time)}
}

func (p *runningPlugin) subscribe(t *testing.T, s dsSettings, path string, withDataSource bool) backend.SubscribeStreamStatus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := backend.ToProto().SubscribeStreamRequest(&backend.SubscribeStreamRequest{Path: path, Headers: map[string]string{}})
	req.PluginContext = pluginContext(s, panelUser)
	if !withDataSource {
		req.PluginContext.DataSourceInstanceSettings = nil
	}
	raw, err := p.stream.SubscribeStream(ctx, req)
	if err != nil {
		t.Fatalf("SubscribeStream %q: %v", path, err)
	}
	return backend.FromProto().SubscribeStreamResponse(raw).Status
}

// liveRun is one RunStream as Grafana runs it: every packet decoded with the SDK's frame JSON reader.
type liveRun struct {
	frames chan *data.Frame
	done   chan error
	cancel context.CancelFunc
}

func (p *runningPlugin) runStream(t *testing.T, s dsSettings, path string) *liveRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req := backend.ToProto().RunStreamRequest(&backend.RunStreamRequest{Path: path, Headers: map[string]string{}})
	req.PluginContext = pluginContext(s, panelUser)
	stream, err := p.stream.RunStream(ctx, req)
	if err != nil {
		cancel()
		t.Fatalf("RunStream %q: %v", path, err)
	}
	run := &liveRun{frames: make(chan *data.Frame, 100), done: make(chan error, 1), cancel: cancel}
	t.Cleanup(cancel)
	go func() {
		for {
			packet, err := stream.Recv()
			if err != nil {
				run.done <- err
				return
			}
			var f data.Frame
			if err := json.Unmarshal(backend.FromProto().StreamPacket(packet).Data, &f); err != nil {
				run.done <- errors.New("the SDK cannot read the stream packet as a data frame: " + err.Error() +
					"; packet: " + string(packet.Data))
				return
			}
			run.frames <- &f
		}
	}()
	return run
}

// next waits for n more frames.
func (r *liveRun) next(t *testing.T, n int) []*data.Frame {
	t.Helper()
	var out []*data.Frame
	timeout := time.After(time.Duration(n)*3*time.Second + 10*time.Second)
	for len(out) < n {
		select {
		case f := <-r.frames:
			out = append(out, f)
		case err := <-r.done:
			t.Fatalf("the stream ended after %d of %d frames: %v", len(out), n, err)
		case <-timeout:
			t.Fatalf("%d of %d frames before the timeout", len(out), n)
		}
	}
	return out
}

func rowTimes(f *data.Frame) []time.Time {
	var out []time.Time
	for i := 0; i < f.Rows(); i++ {
		out = append(out, f.Fields[0].At(i).(time.Time))
	}
	return out
}

// seriesOf is what a panel shows of a frame's value fields: name, labels and display name, one line each.
func seriesOf(frames ...*data.Frame) []string {
	var out []string
	for _, f := range frames {
		for _, field := range f.Fields[1:] {
			name := ""
			if field.Config != nil {
				name = field.Config.DisplayNameFromDS
			}
			out = append(out, field.Name+" "+field.Labels.String()+" as "+name)
		}
	}
	sort.Strings(out)
	return out
}

func TestStreamSubscribeAcceptsTheLiveChannelOfItsDataSource(t *testing.T) {
	p := shared(t)
	s := liveDS()
	live := queryLive(t, p, s, liveModel("user", "system"))
	if got := p.subscribe(t, s, live.path, true); got != backend.SubscribeStreamStatusOK {
		t.Fatalf("SubscribeStream %q: status %v, want OK", live.path, got)
	}
}

func TestStreamSubscribeUnknownPathIsNotFound(t *testing.T) {
	p := shared(t)
	s := liveDS()
	live := queryLive(t, p, s, liveModel("user", "system"))
	other := s
	other.UID = freshUID("other")
	cases := []struct {
		name, path string
		s          dsSettings
		withDS     bool
	}{
		{"unknown id", "metrics/AAAAAAAAAAAAAAAAAAAAAA", s, true},
		{"not a metrics path", "other/thing", s, true},
		{"empty path", "", s, true},
		{"path of another data source", live.path, other, true},
		{"no data source", live.path, s, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := p.subscribe(t, c.s, c.path, c.withDS); got != backend.SubscribeStreamStatusNotFound {
				t.Fatalf("SubscribeStream %q: status %v, want NotFound", c.path, got)
			}
		})
	}
}

func TestStreamPublishIsPermissionDenied(t *testing.T) {
	p := shared(t)
	s := liveDS()
	live := queryLive(t, p, s, liveModel("user"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := backend.ToProto().PublishStreamRequest(&backend.PublishStreamRequest{
		Path: live.path, Data: json.RawMessage(`{"value":1}`), Headers: map[string]string{},
	})
	req.PluginContext = pluginContext(s, panelUser)
	raw, err := p.stream.PublishStream(ctx, req)
	if err != nil {
		t.Fatalf("PublishStream: %v", err)
	}
	if got := backend.FromProto().PublishStreamResponse(raw).Status; got != backend.PublishStreamStatusPermissionDenied {
		t.Fatalf("PublishStream: status %v, want PermissionDenied (viewers cannot write to Netdata)", got)
	}
}

func TestStreamRunUnknownPathEndsWithNotFound(t *testing.T) {
	p := shared(t)
	run := p.runStream(t, liveDS(), "metrics/BBBBBBBBBBBBBBBBBBBBBB")
	select {
	case f := <-run.frames:
		t.Fatalf("a frame for a path no live query registered: %v", f)
	case err := <-run.done:
		if status.Code(err) != codes.NotFound || !strings.Contains(err.Error(), "refresh the panel") {
			t.Fatalf("RunStream ended with %v; want NotFound saying to refresh the panel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RunStream of an unknown path neither failed nor sent anything")
	}
}

func TestStreamFramesDecodeAndCarryTheQueryDataSeries(t *testing.T) {
	p := shared(t)
	s := liveDS()
	model := liveModel("user", "system")
	live := queryLive(t, p, s, model)
	// The same query without "Live": the timeseries-multi frames a panel gets.
	still := map[string]any{}
	for k, v := range model {
		still[k] = v
	}
	delete(still, "live")
	res, _ := p.queryData(t, request(s, false, q("A", still)))
	want := seriesOf(ok(t, res, "A").Frames...)
	if got := seriesOf(live.frame); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the live frame's series\n%s\ndiffer from the panel query's\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, name := range want {
		if !strings.Contains(name, " on parent01") {
			t.Fatalf("series %q: the legend {{dimension}} on {{node}} is not rendered", name)
		}
	}

	run := p.runStream(t, s, live.path)
	for i, f := range run.next(t, 2) {
		if got := seriesOf(f); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("stream frame %d series\n%s\nwant QueryData's\n%s", i, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if f.RefID != "A" || len(f.Fields) != len(live.frame.Fields) || f.Fields[0].Name != live.frame.Fields[0].Name {
			t.Fatalf("stream frame %d: refId %q, %d fields; QueryData: refId A, %d fields", i, f.RefID, len(f.Fields), len(live.frame.Fields))
		}
		if f.Fields[0].Type() != data.FieldTypeTime {
			t.Fatalf("stream frame %d: time field is %s, want non-nullable time", i, f.Fields[0].Type())
		}
		for _, v := range f.Fields[1:] {
			if v.Type() != data.FieldTypeNullableFloat64 {
				t.Fatalf("stream frame %d: %s is %s, want nullable float64 like QueryData's", i, v.Name, v.Type())
			}
			if v.Config == nil || v.Config.Unit != "percent" {
				t.Fatalf("stream frame %d: %s config %+v, want unit percent like QueryData's", i, v.Name, v.Config)
			}
		}
		if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesWide || f.Meta.TypeVersion != (data.FrameTypeVersion{0, 1}) {
			t.Fatalf("stream frame %d meta %+v, want timeseries-wide 0.1", i, f.Meta)
		}
		if _, err := f.RowLen(); err != nil {
			t.Fatalf("stream frame %d: %v", i, err)
		}
		reader, err := timeseries.CollectionReaderFromFrames([]*data.Frame{f})
		if err != nil {
			t.Fatalf("stream frame %d: dataplane reader: %v", i, err)
		}
		if c, err := reader.GetCollection(true); err != nil || c.NoData() || len(c.Refs) != len(want) {
			t.Fatalf("stream frame %d: dataplane collection %+v, err %v; want %d series", i, c, err, len(want))
		}
	}
}

func TestStreamSendsOnlyNewRowsOnePerSecondPerSeries(t *testing.T) {
	p := shared(t)
	s := liveDS()
	live := queryLive(t, p, s, liveModel("user", "system", "idle"))
	run := p.runStream(t, s, live.path)
	frames := run.next(t, 4)
	var times []time.Time
	for i, f := range frames {
		if f.Rows() == 0 {
			t.Fatalf("frame %d has no rows: a stream sends a frame only when Netdata has new rows", i)
		}
		for _, v := range f.Fields[1:] {
			for r := 0; r < v.Len(); r++ {
				if v.At(r).(*float64) == nil {
					t.Fatalf("frame %d: %s has no value at %v (every series gets its row each second)", i, v.Name, f.Fields[0].At(r))
				}
			}
		}
		times = append(times, rowTimes(f)...)
	}
	if !times[0].After(live.lastAt) {
		t.Fatalf("first streamed row %v is not after QueryData's last row %v: rows sent twice", times[0], live.lastAt)
	}
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d != time.Second {
			t.Fatalf("rows %v then %v (%v apart): want consecutive seconds, none twice, none missing", times[i-1], times[i], d)
		}
	}
	if len(times) > len(frames)+2 {
		t.Fatalf("%d rows in %d frames: the stream is catching up on old rows instead of one per second", len(times), len(frames))
	}
}

func TestStreamCancelStopsNetdataPolls(t *testing.T) {
	p := shared(t)
	s := liveDS()
	live := queryLive(t, p, s, liveModel("user"))
	before := netdataRequests(t, "live", dataPath, "")
	run := p.runStream(t, s, live.path)
	run.next(t, 2)
	if polled := netdataRequests(t, "live", dataPath, "") - before; polled < 2 {
		t.Fatalf("%d Netdata polls for 2 frames", polled)
	}
	run.cancel()
	// A poll already in flight may still land.
	time.Sleep(500 * time.Millisecond)
	after := netdataRequests(t, "live", dataPath, "")
	time.Sleep(3 * time.Second)
	if n := netdataRequests(t, "live", dataPath, "") - after; n != 0 {
		t.Fatalf("%d Netdata polls in the 3 s after Grafana cancelled the only RunStream; want none", n)
	}
}

func TestStreamSharedPathPollsNetdataOncePerInterval(t *testing.T) {
	p := shared(t)
	s := liveDS()
	live := queryLive(t, p, s, liveModel("user", "system"))
	// Grafana runs one RunStream per channel and org: two orgs watching the same panel.
	a, b := p.runStream(t, s, live.path), p.runStream(t, s, live.path)
	a.next(t, 1)
	b.next(t, 1)
	before := netdataRequests(t, "live", dataPath, "")
	fa, fb := a.next(t, 3), b.next(t, 3)
	polled := netdataRequests(t, "live", dataPath, "") - before
	var ta, tb []time.Time
	for i := range fa {
		ta, tb = append(ta, rowTimes(fa[i])...), append(tb, rowTimes(fb[i])...)
	}
	if len(ta) == 0 || len(ta) != len(tb) || !ta[0].Equal(tb[0]) || !ta[len(ta)-1].Equal(tb[len(tb)-1]) {
		t.Fatalf("the two streams got different rows: %v and %v", ta, tb)
	}
	// Three frames each came from three polls shared by both streams (one more may be in flight).
	if polled < 3 || polled > 4 {
		t.Fatalf("%d Netdata polls for 3 frames on each of 2 streams of one path: want one poll per interval", polled)
	}
	// The first stream leaving does not stop the second.
	a.cancel()
	b.next(t, 2)
	b.cancel()
	time.Sleep(500 * time.Millisecond)
	after := netdataRequests(t, "live", dataPath, "")
	time.Sleep(2500 * time.Millisecond)
	if n := netdataRequests(t, "live", dataPath, "") - after; n != 0 {
		t.Fatalf("%d polls after both streams left", n)
	}
}

func TestStreamDistinctPathsPollSeparately(t *testing.T) {
	p := shared(t)
	s := liveDS()
	one := queryLive(t, p, s, liveModel("user"))
	two := queryLive(t, p, s, liveModel("system"))
	if one.path == two.path {
		t.Fatalf("two different queries share the path %q", one.path)
	}
	a, b := p.runStream(t, s, one.path), p.runStream(t, s, two.path)
	a.next(t, 1)
	b.next(t, 1)
	before := netdataRequests(t, "live", dataPath, "")
	fa, fb := a.next(t, 3), b.next(t, 3)
	polled := netdataRequests(t, "live", dataPath, "") - before
	if polled < 6 || polled > 8 {
		t.Fatalf("%d Netdata polls for 3 frames on each of 2 paths: want one poll per interval per path", polled)
	}
	if seriesOf(fa[0])[0] == seriesOf(fb[0])[0] {
		t.Fatalf("two paths streamed the same series %v", seriesOf(fa[0]))
	}
}
