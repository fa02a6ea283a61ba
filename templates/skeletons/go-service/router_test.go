package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealthAnswersOK(t *testing.T) {
	response := httptest.NewRecorder()
	newRouter().ServeHTTP(response, httptest.NewRequest(http.MethodGet, "/health", nil))

	if response.Code != http.StatusOK {
		t.Fatalf("GET /health: status %d, want 200", response.Code)
	}
	var body map[string]string
	if err := json.Unmarshal(response.Body.Bytes(), &body); err != nil {
		t.Fatalf("GET /health: %v", err)
	}
	if body["status"] != "ok" {
		t.Fatalf(`GET /health: status %q, want "ok"`, body["status"])
	}
}

func TestHealthRefusesWrites(t *testing.T) {
	response := httptest.NewRecorder()
	newRouter().ServeHTTP(response, httptest.NewRequest(http.MethodPost, "/health", nil))
	if response.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST /health: status %d, want 405", response.Code)
	}
}

func TestUnknownPathIsNotFound(t *testing.T) {
	response := httptest.NewRecorder()
	newRouter().ServeHTTP(response, httptest.NewRequest(http.MethodGet, "/nope", nil))
	if response.Code != http.StatusNotFound {
		t.Fatalf("GET /nope: status %d, want 404", response.Code)
	}
}
