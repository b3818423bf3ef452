// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"io"
	"mime"
	"net/http"
	"time"
)

// streamIdle is how long a streamed download may go without a byte
// written before the connection is dropped.
const streamIdle = time.Minute

// DownloadStream answers 200 with a file to save, as Download does, whose
// bytes write produces as they are sent: a file too large to make in
// memory first, such as an export of a hundred thousand cases. The
// server's write timeout would cut such a file short, so each write moves
// the connection's deadline on instead, and a stalled client is dropped
// after streamIdle. Once the header is sent, write's error can no longer
// change the answer: the caller logs it, and the receiver is left with a
// short file.
func DownloadStream(w http.ResponseWriter, contentType, name string, write func(io.Writer) error) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.WriteHeader(http.StatusOK)
	return write(&deadlineWriter{w: w, rc: http.NewResponseController(w)})
}

// deadlineWriter moves the connection's write deadline before each write.
type deadlineWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	// A writer without deadlines (a test recorder) needs none moved.
	_ = d.rc.SetWriteDeadline(time.Now().Add(streamIdle))
	return d.w.Write(p)
}
