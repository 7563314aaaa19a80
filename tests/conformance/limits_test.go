package conformance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"google.golang.org/protobuf/proto"
)

func TestLimitsFiftyMiBNetdataAnswerRefusedClearly(t *testing.T) {
	p := shared(t)
	started := time.Now()
	res, _ := p.queryData(t, request(agentDS(fakes.Huge), true, q("A", cpuByDimension)))
	r := res.Responses["A"]
	if r.Error == nil || r.Status < 400 {
		t.Fatalf("status %d, error %v: a 50 MiB answer must be refused", r.Status, r.Error)
	}
	if !strings.Contains(r.Error.Error(), "MiB") {
		t.Fatalf("error %q does not say how large is too large", r.Error)
	}
	// 413: the answer exceeds this data source's limit. The SDK's own status→source rule calls that the plugin's.
	if r.Status != 413 || r.ErrorSource != backend.ErrorSourceFromHTTPStatus(int(r.Status)) {
		t.Fatalf("status %d, error source %q; want 413 with the SDK's source for it", r.Status, r.ErrorSource)
	}
	if took := time.Since(started); took > 20*time.Second {
		t.Fatalf("refusing took %v", took)
	}
	// The process survived it.
	again, _ := p.queryData(t, request(agentDS(fakes.Agent), true, q("B", cpuByNode)))
	ok(t, again, "B")
}

func TestLimitsFramesAboveSixteenMiBArriveAsGrafanaAcceptsThem(t *testing.T) {
	p := shared(t)
	qq := q("A", cpuByDimension)
	qq.From = time.Unix(fakes.BigStartSec, 0)
	qq.To = time.Unix(fakes.BigStartSec+int64(fakes.BigPoints), 0)
	qq.MaxPoints = int64(fakes.BigPoints)
	qq.Interval = time.Second
	res, raw := p.queryData(t, request(agentDS(fakes.Big), true, qq))
	// The SDK's own servers accept 16 MiB; Grafana's client (go-plugin's dial options) receives up to MaxInt32.
	if size := proto.Size(raw); size <= 16<<20 {
		t.Fatalf("answer of %d bytes: the case needs more than 16 MiB", size)
	}
	a := ok(t, res, "A")
	if len(a.Frames) != fakes.BigSeries {
		t.Fatalf("%d frames, Netdata sent %d series", len(a.Frames), fakes.BigSeries)
	}
	for _, f := range a.Frames {
		if n, _ := f.RowLen(); n != fakes.BigPoints {
			t.Fatalf("frame %q has %d rows, Netdata sent %d", f.Name, n, fakes.BigPoints)
		}
	}
}

func TestLimitsFiftyConcurrentQueryDataCallsAnswered(t *testing.T) {
	p := shared(t)
	const calls = 50
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := agentDS(fakes.Agent)
			if i%2 == 1 {
				s = cloudDS()
			}
			ref := fmt.Sprintf("R%d", i)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			raw, err := p.data.QueryData(ctx, request(s, i%3 == 0, q(ref, cpuByNode)))
			if err != nil {
				errs <- fmt.Errorf("call %d: %w", i, err)
				return
			}
			res, err := backend.FromProto().QueryDataResponse(raw)
			if err != nil {
				errs <- fmt.Errorf("call %d: %w", i, err)
				return
			}
			r := res.Responses[ref]
			if r.Status != backend.StatusOK || r.Error != nil || len(r.Frames) == 0 || len(res.Responses) != 1 {
				errs <- fmt.Errorf("call %d: status %d, error %v, %d frames", i, r.Status, r.Error, len(r.Frames))
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
