// Package conformance checks the TypeScript backend executable against the code Grafana itself runs: hashicorp's
// go-plugin client configured the way Grafana configures it, the plugin SDK's generated pluginv2 clients, its
// protobuf conversions and its Arrow frame decoder, and the data-plane readers Grafana's expressions use.
package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

const pluginID = "seed-netdata-datasource"

// fakeURLs is what tests/conformance/fake/main.ts prints.
type fakeURLs struct {
	Agent       string `json:"agent"`
	Cloud       string `json:"cloud"`
	CloudToken  string `json:"cloudToken"`
	SpaceID     string `json:"spaceId"`
	RoomID      string `json:"roomId"`
	BearerAgent string `json:"bearerAgent"`
	BearerToken string `json:"bearerToken"`
	Status401   string `json:"status401"`
	Status403   string `json:"status403"`
	TooOld      string `json:"tooOld"`
	TLS         string `json:"tls"`
	Refused     string `json:"refused"`
	Huge        string `json:"huge"`
	Big         string `json:"big"`
	BigStartSec int64  `json:"bigStartSec"`
	BigPoints   int    `json:"bigPoints"`
	BigSeries   int    `json:"bigSeries"`
	// ManyContexts is a Parent with ManyContextsCount contexts.
	ManyContexts      string `json:"manyContexts"`
	ManyContextsCount int    `json:"manyContextsCount"`
	// Live is an Agent only the stream tests use; Requests counts what a fake recorded (not a Netdata API).
	Live     string `json:"live"`
	Requests string `json:"requests"`
}

var (
	fakes      fakeURLs
	executable string
)

func TestMain(m *testing.M) {
	if os.Getenv(parentHelperEnv) != "" {
		runParentHelper()
		return
	}
	executable = envOr("CONFORMANCE_EXECUTABLE", "../../dist/gpx_netdata_linux_amd64")
	if abs, err := filepath.Abs(executable); err == nil {
		executable = abs
	}
	if _, err := os.Stat(executable); err != nil {
		fmt.Fprintf(os.Stderr, "conformance: no backend executable at %s (run npm run test:conformance): %v\n", executable, err)
		os.Exit(2)
	}
	stop, err := startFakes(envOr("CONFORMANCE_FAKE", "../../.cache/conformance/fake.cjs"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "conformance: %v\n", err)
		os.Exit(2)
	}
	code := m.Run()
	stopShared()
	stop()
	os.Exit(code)
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// startFakes runs the bundled fake Netdata servers and reads their URLs; closing its stdin stops it.
func startFakes(bundle string) (func(), error) {
	if _, err := os.Stat(bundle); err != nil {
		return nil, fmt.Errorf("no fake Netdata bundle at %s (run npm run test:conformance): %w", bundle, err)
	}
	cmd := exec.Command("node", bundle)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the fake Netdata: %w", err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("the fake Netdata printed no URLs: %w", err)
	}
	if err := json.Unmarshal([]byte(line), &fakes); err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("the fake Netdata printed %q: %w", line, err)
	}
	return func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
		}
	}, nil
}

// grafanaEnv is what Grafana puts in cmd.Env for a data source plugin (grafana-backend-protocol.md §1.2) before
// go-plugin appends the magic cookie and PLUGIN_* variables. The host environment is not passed (SkipHostEnv).
func grafanaEnv() []string {
	return []string{"GF_VERSION=12.4.10", "GF_EDITION=Open Source", "GF_PLUGIN_LOG_LEVEL=debug"}
}

// handshake is Grafana's HandshakeConfig, built from the SDK's constants (its own variable is unexported).
var handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// pluginSet is Grafana's versioned plugin set for protocol version 2, made of the SDK's grpcplugin plugins.
func pluginSet() map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		grpcplugin.ProtocolVersion: {
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"stream":      &grpcplugin.StreamGRPCPlugin{},
		},
	}
}

// syncBuffer collects output written from go-plugin's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runningPlugin is the executable started and dispensed the way Grafana does it.
type runningPlugin struct {
	client *goplugin.Client
	cmd    *exec.Cmd
	diag   grpcplugin.DiagnosticsClient
	data   grpcplugin.DataClient
	res    grpcplugin.ResourceClient
	stream grpcplugin.StreamClient
	// stderr is a raw copy of the plugin's stderr; hostLog is what go-plugin's client logged (JSON).
	stderr  *syncBuffer
	hostLog *syncBuffer
}

func newClient(env []string, stderr, hostLog io.Writer) (*goplugin.Client, *exec.Cmd) {
	cmd := exec.Command(executable)
	cmd.Env = env
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "plugin." + pluginID,
		Level:      hclog.Trace,
		Output:     hostLog,
		JSONFormat: true,
	})
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  handshake,
		VersionedPlugins: pluginSet(),
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           logger,
		SkipHostEnv:      true,
		Stderr:           stderr,
	})
	return client, cmd
}

// startPlugin launches a fresh plugin process; it is killed when the test ends.
func startPlugin(t testing.TB) *runningPlugin {
	t.Helper()
	p, err := launch(grafanaEnv())
	if err != nil {
		t.Fatalf("starting the plugin as Grafana does: %v", err)
	}
	t.Cleanup(p.client.Kill)
	return p
}

func launch(env []string) (*runningPlugin, error) {
	stderr, hostLog := &syncBuffer{}, &syncBuffer{}
	client, cmd := newClient(env, stderr, hostLog)
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("%w; stderr: %s", err, stderr.String())
	}
	p := &runningPlugin{client: client, cmd: cmd, stderr: stderr, hostLog: hostLog}
	targets := map[string]any{"diagnostics": &p.diag, "data": &p.data, "resource": &p.res, "stream": &p.stream}
	for name, target := range targets {
		raw, err := rpc.Dispense(name)
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispensing %s: %w", name, err)
		}
		switch dst := target.(type) {
		case *grpcplugin.DiagnosticsClient:
			*dst = raw.(grpcplugin.DiagnosticsClient)
		case *grpcplugin.DataClient:
			*dst = raw.(grpcplugin.DataClient)
		case *grpcplugin.ResourceClient:
			*dst = raw.(grpcplugin.ResourceClient)
		case *grpcplugin.StreamClient:
			*dst = raw.(grpcplugin.StreamClient)
		}
	}
	return p, nil
}

var (
	sharedOnce   sync.Once
	sharedPlugin *runningPlugin
	sharedErr    error
)

// shared is one plugin process for the tests that do not test the process itself (Grafana keeps one too).
func shared(t testing.TB) *runningPlugin {
	t.Helper()
	sharedOnce.Do(func() { sharedPlugin, sharedErr = launch(grafanaEnv()) })
	if sharedErr != nil {
		t.Fatalf("starting the shared plugin: %v", sharedErr)
	}
	if sharedPlugin.client.Exited() {
		t.Fatalf("the shared plugin process exited; its stderr:\n%s", sharedPlugin.stderr.String())
	}
	return sharedPlugin
}

func stopShared() {
	if sharedPlugin != nil {
		sharedPlugin.client.Kill()
	}
}

// dsSettings describes one data source instance.
type dsSettings struct {
	URL       string
	Transport string // agent (default) or cloud
	Token     string
	SpaceID   string
	RoomID    string
	UID       string
	Timeout   int
}

var uidSeq struct {
	sync.Mutex
	n int
}

func freshUID(prefix string) string {
	uidSeq.Lock()
	defer uidSeq.Unlock()
	uidSeq.n++
	return fmt.Sprintf("%s-%d", prefix, uidSeq.n)
}

func agentDS(url string) dsSettings { return dsSettings{URL: url, UID: freshUID("agent")} }

func cloudDS() dsSettings {
	return dsSettings{
		URL: fakes.Cloud, Transport: "cloud", Token: fakes.CloudToken, SpaceID: fakes.SpaceID, RoomID: fakes.RoomID,
		UID: freshUID("cloud"),
	}
}

// pluginContext is the PluginContext Grafana sends, as the SDK converts it to protobuf. user == nil is what an
// alert evaluation (Grafana's own backend) sends.
func pluginContext(s dsSettings, user *backend.User) *pluginv2.PluginContext {
	jsonData := map[string]any{"transport": "agent"}
	if s.Transport != "" {
		jsonData["transport"] = s.Transport
	}
	if s.SpaceID != "" {
		jsonData["spaceId"] = s.SpaceID
	}
	if s.RoomID != "" {
		jsonData["roomId"] = s.RoomID
	}
	if s.Timeout > 0 {
		jsonData["timeout"] = s.Timeout
	}
	raw, _ := json.Marshal(jsonData)
	secure := map[string]string{}
	if s.Token != "" {
		secure["token"] = s.Token
	}
	return backend.ToProto().PluginContext(backend.PluginContext{
		OrgID:         1,
		PluginID:      pluginID,
		PluginVersion: "1.0.0",
		User:          user,
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: s.UID, Name: "Netdata", URL: s.URL, JSONData: raw,
			DecryptedSecureJSONData: secure, Updated: time.UnixMilli(1),
		},
	})
}

var panelUser = &backend.User{Login: "admin", Name: "Admin", Email: "admin@localhost", Role: "Admin"}

// query is one DataQuery; model is the frontend query model (refId is added).
type query struct {
	RefID     string
	Model     map[string]any
	Raw       []byte // sent as is when set (malformed JSON)
	From, To  time.Time
	MaxPoints int64
	Interval  time.Duration
	QueryType string
}

// window ends in the past so the fake's data is complete.
func window() (time.Time, time.Time) {
	now := time.Now()
	return now.Add(-10 * time.Minute), now.Add(-30 * time.Second)
}

func q(refID string, model map[string]any) query {
	from, to := window()
	return query{RefID: refID, Model: model, From: from, To: to, MaxPoints: 60, Interval: 10 * time.Second}
}

func (qq query) toSDK() backend.DataQuery {
	js := qq.Raw
	if js == nil {
		m := map[string]any{"refId": qq.RefID, "datasource": map[string]string{"type": pluginID, "uid": "netdata"}}
		for k, v := range qq.Model {
			m[k] = v
		}
		js, _ = json.Marshal(m)
	}
	return backend.DataQuery{
		RefID: qq.RefID, QueryType: qq.QueryType, MaxDataPoints: qq.MaxPoints, Interval: qq.Interval,
		TimeRange: backend.TimeRange{From: qq.From, To: qq.To}, JSON: js,
	}
}

// request builds a QueryDataRequest as a panel (user, no FromAlert) or as an alert evaluation (no user, FromAlert).
func request(s dsSettings, alerting bool, queries ...query) *pluginv2.QueryDataRequest {
	user := panelUser
	headers := map[string]string{"http_X-Grafana-Org-Id": "1"}
	if alerting {
		user = nil
		headers = map[string]string{"FromAlert": "true"}
	}
	req := &backend.QueryDataRequest{PluginContext: backend.PluginContext{}, Headers: headers}
	for _, qq := range queries {
		req.Queries = append(req.Queries, qq.toSDK())
	}
	proto := backend.ToProto().QueryDataRequest(req)
	proto.PluginContext = pluginContext(s, user)
	return proto
}

// queryData runs the request and converts the answer with the SDK (which Arrow-decodes every frame).
func (p *runningPlugin) queryData(t testing.TB, req *pluginv2.QueryDataRequest) (*backend.QueryDataResponse, *pluginv2.QueryDataResponse) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	raw, err := p.data.QueryData(ctx, req)
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	res, err := backend.FromProto().QueryDataResponse(raw)
	if err != nil {
		t.Fatalf("the SDK cannot convert the QueryData answer: %v", err)
	}
	return res, raw
}

// netdataRequests is how many requests the fake named `fake` (agent, bearerAgent, live) has recorded for the path,
// and for the `function=` argument when fn is not empty.
func netdataRequests(t testing.TB, fake, path, fn string) int {
	t.Helper()
	u := url.Values{"path": {path}}
	if fn != "" {
		u.Set("function", fn)
	}
	res, err := http.Get(fakes.Requests + "/" + fake + "?" + u.Encode())
	if err != nil {
		t.Fatalf("asking the fake Netdata for its request count: %v", err)
	}
	defer res.Body.Close()
	var body struct{ Count int }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("request count: HTTP %d, %v", res.StatusCode, err)
	}
	return body.Count
}

func (p *runningPlugin) checkHealth(t testing.TB, s dsSettings) *backend.CheckHealthResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	raw, err := p.diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pluginContext(s, panelUser)})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	return backend.FromProto().CheckHealthResponse(raw)
}

// resourceAnswer is what Grafana's resource handler makes of the stream: status and headers of the first
// message, the bodies of all of them.
type resourceAnswer struct {
	Status   int
	Headers  map[string][]string
	Body     []byte
	Messages int
}

func (p *runningPlugin) callResource(t testing.TB, s dsSettings, method, pathAndQuery string, body []byte) resourceAnswer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	path := strings.SplitN(pathAndQuery, "?", 2)[0]
	req := backend.ToProto().CallResourceRequest(&backend.CallResourceRequest{
		Path: path, Method: method, URL: pathAndQuery, Body: body,
		Headers: map[string][]string{"Accept": {"application/json"}, "X-Grafana-Org-Id": {"1"}},
	})
	req.PluginContext = pluginContext(s, panelUser)
	stream, err := p.res.CallResource(ctx, req)
	if err != nil {
		t.Fatalf("CallResource: %v", err)
	}
	var ans resourceAnswer
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("CallResource stream: %v", err)
		}
		r := backend.FromProto().CallResourceResponse(msg)
		if ans.Messages == 0 {
			ans.Status = r.Status
			ans.Headers = r.Headers
		}
		ans.Body = append(ans.Body, r.Body...)
		ans.Messages++
	}
	if ans.Messages == 0 {
		t.Fatalf("CallResource %s sent no message (Grafana would answer nothing)", pathAndQuery)
	}
	return ans
}
