// Command ${{ values.name }}: ${{ values.description }}
package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/${{ values.repository }}/internal/observability"
)

func main() {
	obs := observability.FromEnvironment(os.Getenv)
	logger := obs.Logger(os.Stdout)

	server := &http.Server{
		Addr:              ":" + portFromEnvironment(),
		Handler:           obs.Recover(newRouter(), logger),
		ReadHeaderTimeout: 5 * time.Second,
	}

	go func() {
		logger.Info("listening", map[string]any{"addr": server.Addr})
		if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("server stopped", map[string]any{"error": err.Error()})
			os.Exit(1)
		}
	}()

	// Kubernetes sends SIGTERM before it stops the pod: finish the requests in flight, then exit.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := server.Shutdown(ctx); err != nil {
		logger.Error("shutdown", map[string]any{"error": err.Error()})
	}
}

func portFromEnvironment() string {
	if port := os.Getenv("PORT"); port != "" {
		return port
	}
	return "8080"
}
