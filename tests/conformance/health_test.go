package conformance

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// healthDetails is the part of jsonDetails Grafana's data source page shows under the message (message and
// verboseMessage); the other keys say which step failed.
type healthDetails struct {
	Step           string `json:"step"`
	VerboseMessage string `json:"verboseMessage"`
	Kind           string `json:"kind"`
	UpstreamStatus int    `json:"upstreamStatus"`
}

func details(t *testing.T, res *backend.CheckHealthResult) healthDetails {
	t.Helper()
	if len(res.JSONDetails) == 0 {
		t.Fatalf("no jsonDetails with %q: Grafana shows only the message", res.Message)
	}
	var d healthDetails
	if err := json.Unmarshal(res.JSONDetails, &d); err != nil {
		t.Fatalf("jsonDetails %q is not a JSON object: %v", res.JSONDetails, err)
	}
	return d
}

func expectHealthError(t *testing.T, s dsSettings, step string, message ...string) healthDetails {
	t.Helper()
	res := shared(t).checkHealth(t, s)
	if res.Status != backend.HealthStatusError {
		t.Fatalf("status %v (%q), want ERROR", res.Status, res.Message)
	}
	for _, m := range message {
		if !strings.Contains(res.Message, m) {
			t.Fatalf("message %q does not say %q", res.Message, m)
		}
	}
	d := details(t, res)
	if d.Step != step {
		t.Fatalf("jsonDetails step %q, want %q (%s)", d.Step, step, res.JSONDetails)
	}
	if d.VerboseMessage == "" {
		t.Fatalf("jsonDetails has no verboseMessage: %s", res.JSONDetails)
	}
	return d
}

func TestHealthOKAgent(t *testing.T) {
	res := shared(t).checkHealth(t, agentDS(fakes.Agent))
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("status %v: %s", res.Status, res.Message)
	}
	if !strings.HasPrefix(res.Message, "Connected to Netdata v2.9.0 (API v3) at "+fakes.Agent) {
		t.Fatalf("message %q", res.Message)
	}
	var d map[string]any
	if err := json.Unmarshal(res.JSONDetails, &d); err != nil || d["transport"] != "agent" || d["api"] != float64(3) {
		t.Fatalf("jsonDetails %s (%v)", res.JSONDetails, err)
	}
}

func TestHealthOKCloud(t *testing.T) {
	res := shared(t).checkHealth(t, cloudDS())
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("status %v: %s", res.Status, res.Message)
	}
	if !strings.Contains(res.Message, `room "All nodes"`) {
		t.Fatalf("message %q does not name the room", res.Message)
	}
}

func TestHealthErrorDNS(t *testing.T) {
	d := expectHealthError(t, agentDS("http://netdata.invalid:19999"), "connect", "netdata.invalid")
	if d.Kind != "dns" {
		t.Fatalf("kind %q, want dns", d.Kind)
	}
}

func TestHealthErrorConnectionRefused(t *testing.T) {
	d := expectHealthError(t, agentDS(fakes.Refused), "connect", strings.TrimPrefix(fakes.Refused, "http://"))
	if d.Kind != "refused" {
		t.Fatalf("kind %q, want refused", d.Kind)
	}
}

func TestHealthErrorTLS(t *testing.T) {
	d := expectHealthError(t, agentDS(fakes.TLS), "connect")
	if d.Kind != "tls" {
		t.Fatalf("kind %q, want tls (%s)", d.Kind, d.VerboseMessage)
	}
}

func TestHealthError401(t *testing.T) {
	d := expectHealthError(t, agentDS(fakes.Status401), "data", "401")
	if d.UpstreamStatus != 401 {
		t.Fatalf("upstreamStatus %d", d.UpstreamStatus)
	}
}

func TestHealthError403(t *testing.T) {
	d := expectHealthError(t, agentDS(fakes.Status403), "data", "403")
	if d.UpstreamStatus != 403 {
		t.Fatalf("upstreamStatus %d", d.UpstreamStatus)
	}
}

func TestHealthError412BearerProtection(t *testing.T) {
	d := expectHealthError(t, agentDS(fakes.BearerAgent), "data", "412", "bearer protection", "no token is set")
	if d.UpstreamStatus != 412 {
		t.Fatalf("upstreamStatus %d", d.UpstreamStatus)
	}
	// With the token the same agent is healthy.
	s := agentDS(fakes.BearerAgent)
	s.Token = fakes.BearerToken
	if res := shared(t).checkHealth(t, s); res.Status != backend.HealthStatusOk {
		t.Fatalf("with the bearer token: %v %s", res.Status, res.Message)
	}
}

func TestHealthErrorCloudTokenRejected(t *testing.T) {
	s := cloudDS()
	s.Token = "not-the-token"
	d := expectHealthError(t, s, "token", "401")
	if d.UpstreamStatus != 401 {
		t.Fatalf("upstreamStatus %d", d.UpstreamStatus)
	}
}

func TestHealthErrorAgentTooOld(t *testing.T) {
	d := expectHealthError(t, agentDS(fakes.TooOld), "info", "too old", "dev")
	if d.Kind != "too-old" {
		t.Fatalf("kind %q, want too-old", d.Kind)
	}
}
