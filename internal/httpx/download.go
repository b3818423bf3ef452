// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"mime"
	"net/http"
	"strconv"
)

// Download answers 200 with data as a file to save, named name: never
// shown inline in the site's origin, with contentType, which the browser
// may not second-guess (SecurityHeaders sets nosniff on every answer). The
// name is encoded as RFC 6266 and RFC 2231 say, so that any name, in any
// script, reaches the browser as it is and cannot break the header.
func Download(w http.ResponseWriter, contentType, name string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data) // A failed write means the client left; there is no one to tell.
}
