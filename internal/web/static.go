// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// asset is a file served from the binary under a name that carries a hash
// of its content, so a browser may cache it for good: a changed file gets a
// new name.
type asset struct {
	name        string // "app.<hash>.css"
	url         string // "/static/" + name
	contentType string
	body        []byte
}

// staticPrefix is the path the assets are served under.
const staticPrefix = "/static/"

func newAsset(base, ext, contentType string, body []byte) *asset {
	sum := sha256.Sum256(body)
	name := base + "." + hex.EncodeToString(sum[:8]) + ext
	return &asset{name: name, url: staticPrefix + name, contentType: contentType, body: body}
}

// serveStatic answers GET /static/{file}: the stylesheet under its current
// hashed name, and 404 for any other name, an old hash included (a page
// naming an old hash is from an older binary, and the old file is gone).
// The no-store default is replaced, as the file holds no personal data and
// its name changes with its content.
func (w *Web) serveStatic(rw http.ResponseWriter, r *http.Request) {
	if r.PathValue("file") != w.static.name {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", w.static.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	rw.WriteHeader(http.StatusOK)
	_, _ = rw.Write(w.static.body) // A failed write means the client left; there is no one to tell.
}

// noFavicon answers the request browsers make for /favicon.ico on their own
// with "no content", so that it is neither an error in the browser's console
// nor a 404 in the metrics. Amparo ships no icon.
func noFavicon(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}
