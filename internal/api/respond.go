// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/httpx"
)

// writeList answers the items a domain call returned, each converted by
// conv, in the collection envelope (next is the cursor of the next page,
// "" for none), or the problem matching err.
func writeList[T, J any](a *API, w http.ResponseWriter, r *http.Request, items []T, next string, err error, conv func(T) J) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[J]{Items: make([]J, 0, len(items)), NextCursor: next}
	for _, it := range items {
		out.Items = append(out.Items, conv(it))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// writeOne answers the record a domain call returned, converted by conv,
// with status, or the problem matching err.
func writeOne[T, J any](a *API, w http.ResponseWriter, r *http.Request, status int, v T, err error, conv func(T) J) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, conv(v))
}
