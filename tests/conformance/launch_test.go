package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	goplugin "github.com/hashicorp/go-plugin"
)

const parentHelperEnv = "CONFORMANCE_PARENT_HELPER"

// runParentHelper plays a Grafana that is about to die: it starts the plugin with go-plugin, prints the plugin's
// PID, and waits to be killed.
func runParentHelper() {
	executable = os.Getenv("CONFORMANCE_EXECUTABLE")
	p, err := launch(grafanaEnv())
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(p.cmd.Process.Pid)
	time.Sleep(10 * time.Minute)
}

func processGone(pid int) bool {
	// A reaped process is gone; an unreaped one (our helper's orphan under a PID 1 that does not reap) is a zombie.
	if err := syscall.Kill(pid, 0); err != nil {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && (fields[0] == "Z" || fields[0] == "X")
}

func TestLaunchHandshakeAcceptedByGoPluginClient(t *testing.T) {
	p := startPlugin(t)
	if p.client.Protocol() != goplugin.ProtocolGRPC {
		t.Fatalf("negotiated protocol %q, Grafana allows only grpc", p.client.Protocol())
	}
	if v := p.client.NegotiatedVersion(); v != 2 {
		t.Fatalf("negotiated app protocol version %d, Grafana's plugin set has only 2", v)
	}
	// go-plugin only accepts unix (or tcp) addresses; on Linux the SDK's servers use a unix socket.
	if addr := p.client.ReattachConfig().Addr; addr == nil || addr.Network() != "unix" {
		t.Fatalf("plugin address %v, want a unix socket on linux", addr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := p.diag.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{}); err != nil {
		t.Fatalf("a dispensed client cannot call the plugin: %v", err)
	}
}

func TestLaunchWithoutMagicCookieExitsWithGoPluginMessage(t *testing.T) {
	cmd := exec.Command(executable)
	cmd.Env = append(grafanaEnv(), "PLUGIN_PROTOCOL_VERSIONS=2", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("without the magic cookie the executable kept running")
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("exit code %d, go-plugin servers exit 1", code)
	}
	// go-plugin's server.go text, word for word.
	want := "This binary is a plugin. These are not meant to be executed directly.\n" +
		"Please execute the program that consumes these plugins, which will\n" +
		"load any plugins automatically\n"
	if !strings.Contains(stderr.String(), want) {
		t.Fatalf("stderr %q does not carry go-plugin's message", stderr.String())
	}
	if stdout.String() != "" {
		t.Fatalf("stdout %q: nothing may be printed without the cookie", stdout.String())
	}
}

func TestLaunchKillEndsProcessGracefullyWithinTwoSeconds(t *testing.T) {
	p := startPlugin(t)
	pid := p.cmd.Process.Pid
	started := time.Now()
	p.client.Kill()
	took := time.Since(started)
	if took >= 2*time.Second {
		t.Fatalf("Kill took %v: go-plugin waits 2 s, then SIGKILLs", took)
	}
	if strings.Contains(p.hostLog.String(), "plugin failed to exit gracefully") {
		t.Fatalf("go-plugin had to force-kill the plugin:\n%s", p.hostLog.String())
	}
	if !p.client.Exited() || !processGone(pid) {
		t.Fatal("the process is still running after Kill")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d after Shutdown, want 0", code)
	}
}

func TestLaunchExitsWhenParentDies(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	helper := exec.Command(self, "-test.run=^$")
	helper.Env = append(os.Environ(), parentHelperEnv+"=1", "CONFORMANCE_EXECUTABLE="+executable)
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	helper.Stderr = os.Stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = helper.Process.Kill()
		t.Fatalf("the parent helper printed nothing: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		_ = helper.Process.Kill()
		t.Fatalf("the parent helper printed %q", line)
	}
	if processGone(pid) {
		t.Fatal("the plugin was not running under its parent")
	}
	_ = helper.Process.Kill() // SIGKILL: Grafana crashing tells the plugin nothing
	_ = helper.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("the plugin kept running 10 s after its parent died")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestLaunchStdoutHoldsOnlyTheHandshake(t *testing.T) {
	// Read stdout ourselves: go-plugin's client discards everything after the handshake line.
	cmd := exec.Command(executable)
	cmd.Env = append(grafanaEnv(), "grafana_plugin_type=datasource", "PLUGIN_PROTOCOL_VERSIONS=2",
		"PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stdout.String(), "\n") {
		if time.Now().After(deadline) {
			t.Fatalf("no handshake line; stderr: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Let it run (it logs at debug level), then SIGTERM it: still nothing more on stdout.
	time.Sleep(500 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_, _ = cmd.Process.Wait()
	lines := strings.SplitAfter(stdout.String(), "\n")
	if len(lines) != 2 || lines[1] != "" {
		t.Fatalf("stdout %q: only the handshake line may be written", stdout.String())
	}
	if !regexp.MustCompile(`^1\|2\|unix\|/[^|]+\|grpc\n$`).MatchString(lines[0]) {
		t.Fatalf("handshake %q is not 1|2|unix|<path>|grpc", lines[0])
	}
}

var timestamp6 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$`)

func TestLaunchStderrIsHclogJSONThatGrafanaParses(t *testing.T) {
	p := startPlugin(t)
	p.checkHealth(t, agentDS(fakes.Agent)) // makes it log something
	p.client.Kill()
	lines := strings.Split(strings.TrimSpace(p.stderr.String()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("the plugin logged nothing at debug level")
	}
	for _, line := range lines {
		if len(line) >= 64*1024 {
			t.Fatalf("a log line of %d bytes: go-plugin splits lines at 64 KiB", len(line))
		}
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("stderr line %q is not JSON: Grafana would log it raw at debug level", line)
		}
		// go-plugin's log_entry.go does unchecked .(string) assertions on these: anything else crashes Grafana.
		for _, key := range []string{"@level", "@message"} {
			if _, ok := entry[key].(string); !ok {
				t.Fatalf("%s of %q is not a string", key, line)
			}
		}
		if ts, present := entry["@timestamp"]; present {
			s, ok := ts.(string)
			if !ok || !timestamp6.MatchString(s) {
				t.Fatalf("@timestamp %v does not parse with hclog's 2006-01-02T15:04:05.000000Z07:00", ts)
			}
		}
		switch entry["@level"] {
		case "trace", "debug", "info", "warn", "error":
		default:
			t.Fatalf("@level %v is not one of hclog's levels", entry["@level"])
		}
	}
	// go-plugin turned them into structured host log entries (not raw "plugin output" lines).
	if !strings.Contains(p.hostLog.String(), `"@module":"plugin.`+pluginID) {
		t.Fatalf("the host logger shows no entry of the plugin:\n%s", p.hostLog.String())
	}
}
