// Package observability sets up what the portal reads about this service: Datadog's unified service tags
// on every log line, and errors and panics reported to Sentry. Both are configured by environment
// variables that the Helm chart sets (DD_SERVICE, DD_ENV, DD_VERSION, SENTRY_DSN, SENTRY_ENVIRONMENT).
package observability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Config is read once at start-up.
type Config struct {
	Service     string
	Environment string
	Version     string
	// SentryDSN is empty when errors are not reported (local development).
	SentryDSN string
}

// FromEnvironment reads the configuration; getenv is os.Getenv outside tests.
func FromEnvironment(getenv func(string) string) Config {
	config := Config{
		Service:     firstNonEmpty(getenv("DD_SERVICE"), "${{ values.name }}"),
		Environment: firstNonEmpty(getenv("SENTRY_ENVIRONMENT"), getenv("DD_ENV"), "local"),
		Version:     firstNonEmpty(getenv("DD_VERSION"), "dev"),
		SentryDSN:   getenv("SENTRY_DSN"),
	}
	return config
}

func firstNonEmpty(values ...string) string {
	for _, value := range values {
		if value != "" {
			return value
		}
	}
	return ""
}

// Logger writes JSON lines with the Datadog tags that correlate logs with traces and metrics.
type Logger struct {
	mu     sync.Mutex
	out    io.Writer
	config Config
}

func (c Config) Logger(out io.Writer) *Logger { return &Logger{out: out, config: c} }

func (l *Logger) Info(message string, fields map[string]any)  { l.write("info", message, fields) }
func (l *Logger) Error(message string, fields map[string]any) { l.write("error", message, fields) }

func (l *Logger) write(level, message string, fields map[string]any) {
	line := map[string]any{
		"timestamp":  time.Now().UTC().Format(time.RFC3339Nano),
		"level":      level,
		"message":    message,
		"dd.service": l.config.Service,
		"dd.env":     l.config.Environment,
		"dd.version": l.config.Version,
	}
	for key, value := range fields {
		line[key] = value
	}
	encoded, _ := json.Marshal(line)
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.out.Write(append(encoded, '\n'))
}

// SentryEndpoint is where events for the DSN go, with the header that authenticates them.
func SentryEndpoint(dsn string) (endpoint string, auth string, err error) {
	parsed, err := url.Parse(dsn)
	if err != nil || parsed.User == nil || parsed.Host == "" {
		return "", "", fmt.Errorf("SENTRY_DSN is not a DSN (https://<key>@<host>/<project>)")
	}
	project := strings.Trim(parsed.Path, "/")
	if project == "" {
		return "", "", fmt.Errorf("SENTRY_DSN names no project")
	}
	endpoint = fmt.Sprintf("%s://%s/api/%s/store/", parsed.Scheme, parsed.Host, project)
	auth = fmt.Sprintf("Sentry sentry_version=7, sentry_client=${{ values.name }}/1.0, sentry_key=%s", parsed.User.Username())
	return endpoint, auth, nil
}

// ReportError sends one error event to Sentry; without a DSN it does nothing.
func (c Config) ReportError(client *http.Client, message string) error {
	if c.SentryDSN == "" {
		return nil
	}
	endpoint, auth, err := SentryEndpoint(c.SentryDSN)
	if err != nil {
		return err
	}
	event, _ := json.Marshal(map[string]any{
		"message":     message,
		"level":       "error",
		"platform":    "go",
		"environment": c.Environment,
		"release":     c.Service + "@" + c.Version,
		"tags":        map[string]string{"service": c.Service},
		"timestamp":   time.Now().UTC().Format(time.RFC3339),
	})
	request, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(event))
	if err != nil {
		return err
	}
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("X-Sentry-Auth", auth)
	response, err := client.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	if response.StatusCode >= 300 {
		return fmt.Errorf("sentry answered %d", response.StatusCode)
	}
	return nil
}

// Recover turns a panic in a handler into a 500, a log line and a Sentry event.
func (c Config) Recover(next http.Handler, logger *Logger) http.Handler {
	client := &http.Client{Timeout: 5 * time.Second}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if recovered := recover(); recovered != nil {
				message := fmt.Sprintf("panic serving %s %s: %v", r.Method, r.URL.Path, recovered)
				logger.Error(message, nil)
				if err := c.ReportError(client, message); err != nil {
					logger.Error("sentry report failed", map[string]any{"error": err.Error()})
				}
				w.WriteHeader(http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
