// SPDX-License-Identifier: AGPL-3.0-or-later

package testutil

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/amparo-project/amparo/internal/store/storetest"
)

// keepErrors wraps h so that the body of every answer with an error status
// is also written to errs, for the sentinel scan: an error message must
// never echo personal data. It records only when the scan is asked for.
func keepErrors(h http.Handler, errs *SyncBuffer) http.Handler {
	if os.Getenv(storetest.KeepEnv) == "" {
		return h
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&errorTee{ResponseWriter: rw, errs: errs}, r)
	})
}

// errorTee copies the body of an error response to errs.
type errorTee struct {
	http.ResponseWriter
	errs   *SyncBuffer
	status int
}

func (e *errorTee) WriteHeader(status int) {
	e.status = status
	e.ResponseWriter.WriteHeader(status)
}

func (e *errorTee) Write(b []byte) (int, error) {
	if e.status >= 400 {
		_, _ = e.errs.Write(b)
	}
	return e.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flushes,
// deadlines).
func (e *errorTee) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// keepOutput writes the application's log and the error responses into its
// data directory when the sentinel scan is asked for (the directory is then
// kept, see storetest.Dir).
func keepOutput(t testing.TB, dir string, logs, errs *SyncBuffer) {
	if os.Getenv(storetest.KeepEnv) == "" {
		return
	}
	for name, buf := range map[string]*SyncBuffer{"server.log": logs, "errors.txt": errs} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(buf.String()), 0o600); err != nil {
			t.Errorf("testutil: keep %s: %v", name, err)
		}
	}
}
