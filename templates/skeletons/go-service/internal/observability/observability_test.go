package observability

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func environment(values map[string]string) func(string) string {
	return func(key string) string { return values[key] }
}

func TestDatadogTagsComeFromTheEnvironment(t *testing.T) {
	config := FromEnvironment(environment(map[string]string{
		"DD_SERVICE": "${{ values.name }}", "DD_ENV": "staging", "DD_VERSION": "abc123",
	}))
	var out bytes.Buffer
	config.Logger(&out).Info("hello", map[string]any{"request": 1})

	var line map[string]any
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatalf("log line is not JSON: %v", err)
	}
	for key, want := range map[string]string{"dd.service": "${{ values.name }}", "dd.env": "staging", "dd.version": "abc123", "message": "hello"} {
		if line[key] != want {
			t.Errorf("%s = %v, want %q", key, line[key], want)
		}
	}
}

func TestPanicsAreReportedToSentry(t *testing.T) {
	var received map[string]any
	var auth string
	sentry := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/42/store/" {
			t.Errorf("Sentry path %s, want /api/42/store/", r.URL.Path)
		}
		auth = r.Header.Get("X-Sentry-Auth")
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &received)
		w.WriteHeader(http.StatusOK)
	}))
	defer sentry.Close()

	dsn := strings.Replace(sentry.URL, "http://", "http://public-key@", 1) + "/42"
	config := FromEnvironment(environment(map[string]string{"SENTRY_DSN": dsn, "SENTRY_ENVIRONMENT": "production"}))
	var logs bytes.Buffer
	handler := config.Recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }), config.Logger(&logs))

	response := httptest.NewRecorder()
	handler.ServeHTTP(response, httptest.NewRequest(http.MethodGet, "/orders", nil))

	if response.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", response.Code)
	}
	if !strings.Contains(auth, "sentry_key=public-key") {
		t.Errorf("X-Sentry-Auth %q does not carry the DSN's key", auth)
	}
	if received["environment"] != "production" || !strings.Contains(received["message"].(string), "boom") {
		t.Errorf("Sentry event %v", received)
	}
}

func TestWithoutADsnNothingIsSent(t *testing.T) {
	if err := FromEnvironment(environment(nil)).ReportError(http.DefaultClient, "ignored"); err != nil {
		t.Fatalf("ReportError without a DSN: %v", err)
	}
}

func TestMalformedDsnIsAnError(t *testing.T) {
	if _, _, err := SentryEndpoint("not a dsn"); err == nil {
		t.Fatal("want an error for a malformed DSN")
	}
}
