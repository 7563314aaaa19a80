package conformance

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// realV1URL is the real Netdata 1.37.1 Parent that .ci/run starts (tests/real-netdata/netdata.sh). Without it the
// cases skip on a developer machine and fail in CI, where it must be there.
func realV1URL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("NETDATA_V1_URL")
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but NETDATA_V1_URL is not: .ci/run must start the real Netdata before this suite")
		}
		t.Skip("NETDATA_V1_URL is not set (no real Netdata 1.37.1 running)")
	}
	return url
}

func TestRealNetdataV1Health(t *testing.T) {
	url := realV1URL(t)
	res := shared(t).checkHealth(t, agentDS(url))
	if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "Netdata 1.37.1: v1 API") {
		t.Fatalf("status %v: %s", res.Status, res.Message)
	}
}

func TestRealNetdataV1SystemCPUDecodes(t *testing.T) {
	url := realV1URL(t)
	qq := q("A", map[string]any{"context": "system.cpu", "groupBy": []string{"dimension"}})
	qq.From, qq.To = time.Now().Add(-2*time.Minute), time.Now()
	res, _ := shared(t).queryData(t, request(agentDS(url), true, qq))
	frames := ok(t, res, "A").Frames
	if len(frames) == 0 {
		t.Fatal("no series for system.cpu from the real Netdata")
	}
	for _, f := range frames {
		checkSeriesFrame(t, f, "A")
	}
}
