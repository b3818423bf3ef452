// SPDX-License-Identifier: AGPL-3.0-or-later

// Package syncbuf is a bytes.Buffer that goroutines may write to while a
// test reads it: servers' logs and child processes' output. It imports
// nothing of Amparo's, so any package's tests can use it.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is safe for concurrent Write and String.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
