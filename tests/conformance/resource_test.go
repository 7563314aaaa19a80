package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func jsonBody(t *testing.T, a resourceAnswer, into any) {
	t.Helper()
	if ct := strings.Join(a.Headers["Content-Type"], ","); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want application/json (headers %v)", ct, a.Headers)
	}
	if err := json.Unmarshal(a.Body, into); err != nil {
		t.Fatalf("body is not JSON: %v (%.200s)", err, a.Body)
	}
}

func TestResourceNodes(t *testing.T) {
	a := shared(t).callResource(t, agentDS(fakes.Agent), "GET", "nodes", nil)
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	var body struct {
		Nodes []struct {
			ID          string `json:"id"`
			MachineGUID string `json:"machineGuid"`
			Hostname    string `json:"hostname"`
		} `json:"nodes"`
	}
	jsonBody(t, a, &body)
	if len(body.Nodes) < 2 || body.Nodes[0].MachineGUID == "" || body.Nodes[0].Hostname == "" {
		t.Fatalf("nodes %+v: the fake Parent and its child, with machine GUIDs and names", body.Nodes)
	}
}

func TestResourceContexts(t *testing.T) {
	for name, s := range map[string]dsSettings{"agent": agentDS(fakes.Agent), "cloud": cloudDS()} {
		t.Run(name, func(t *testing.T) {
			a := shared(t).callResource(t, s, "GET", "contexts", nil)
			if a.Status != http.StatusOK {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			var body struct {
				Contexts []struct {
					ID string `json:"id"`
				} `json:"contexts"`
			}
			jsonBody(t, a, &body)
			found := false
			for _, c := range body.Contexts {
				found = found || c.ID == "system.cpu"
			}
			if !found {
				t.Fatalf("%d contexts without system.cpu", len(body.Contexts))
			}
		})
	}
}

func TestResourceContextDetails(t *testing.T) {
	a := shared(t).callResource(t, agentDS(fakes.Agent), "GET", "context?context=system.cpu", nil)
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	var body struct {
		Context map[string]any `json:"context"`
	}
	jsonBody(t, a, &body)
	if body.Context == nil {
		t.Fatalf("no context in %s", a.Body)
	}
}

func TestResourceSpacesAndRoomsOnCloud(t *testing.T) {
	p := shared(t)
	spaces := p.callResource(t, cloudDS(), "GET", "spaces", nil)
	rooms := p.callResource(t, cloudDS(), "GET", "rooms?spaceId="+fakes.SpaceID, nil)
	for name, a := range map[string]resourceAnswer{"spaces": spaces, "rooms": rooms} {
		if a.Status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", name, a.Status, a.Body)
		}
		var body map[string]any
		jsonBody(t, a, &body)
		if list, isList := body[name].([]any); !isList || len(list) == 0 {
			t.Fatalf("%s: %s", name, a.Body)
		}
	}
}

func TestResourceErrors(t *testing.T) {
	p := shared(t)
	cases := []struct {
		name, method, path string
		s                  dsSettings
		status             int
		says               string
	}{
		{"unknown route", "GET", "no-such-route", agentDS(fakes.Agent), http.StatusNotFound, "known: nodes"},
		{"path traversal", "GET", "../etc/passwd", agentDS(fakes.Agent), http.StatusBadRequest, "Not a valid resource path"},
		{"unknown parameter", "GET", "contexts?bogus=1", agentDS(fakes.Agent), http.StatusBadRequest, "bogus"},
		{"missing parameter", "GET", "context", agentDS(fakes.Agent), http.StatusBadRequest, "context"},
		{"spaces on an agent", "GET", "spaces", agentDS(fakes.Agent), http.StatusBadRequest, "Netdata Cloud"},
		{"unknown context", "GET", "context?context=no.such.context", agentDS(fakes.Agent), http.StatusNotFound, "no.such.context"},
		{"POST", "POST", "nodes", agentDS(fakes.Agent), http.StatusMethodNotAllowed, "GET"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := p.callResource(t, c.s, c.method, c.path, nil)
			if a.Status != c.status {
				t.Fatalf("status %d, want %d: %s", a.Status, c.status, a.Body)
			}
			var body struct {
				Error string `json:"error"`
			}
			jsonBody(t, a, &body)
			if !strings.Contains(body.Error, c.says) {
				t.Fatalf("error %q does not say %q", body.Error, c.says)
			}
			if c.status == http.StatusMethodNotAllowed && strings.Join(a.Headers["Allow"], ",") != "GET" {
				t.Fatalf("405 without Allow: GET (headers %v)", a.Headers)
			}
		})
	}
}

func TestResourceLargeBodyArrivesInSeveralMessages(t *testing.T) {
	a := shared(t).callResource(t, agentDS(fakes.ManyContexts), "GET", "contexts", nil)
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %.300s", a.Status, a.Body)
	}
	// Above grpc-go's default 4 MiB receive limit: only splitting keeps it usable outside Grafana too.
	if len(a.Body) <= 4<<20 {
		t.Fatalf("body of %d bytes: the case needs more than one 4 MiB gRPC message", len(a.Body))
	}
	if a.Messages < 2 {
		t.Fatalf("a %d-byte body in %d message", len(a.Body), a.Messages)
	}
	var body struct {
		Contexts []struct {
			ID string `json:"id"`
		} `json:"contexts"`
	}
	jsonBody(t, a, &body) // the concatenated bodies are one JSON document
	if len(body.Contexts) != fakes.ManyContextsCount {
		t.Fatalf("%d contexts, Netdata has %d", len(body.Contexts), fakes.ManyContextsCount)
	}
}
