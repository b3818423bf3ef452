// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"errors"
	"io"
	"net/http"
)

// Part is one part of a multipart/form-data body: its file name (for a
// file) and its content.
type Part struct {
	FileName string
	Data     []byte
}

// ErrPartTooLarge means a part of a form was over its limit.
var ErrPartTooLarge = errors.New("httpx: a form part is too large")

// ReadParts reads a multipart/form-data body into memory, keeping the parts
// limits names, each of at most its limit in bytes, and skipping any
// other; a name sent twice keeps its first part. Unlike
// http.Request.ParseMultipartForm it never writes a part to a temporary
// file, where an uploaded file of personal data would stay in clear. The
// body's own cap (MaxBody or the route's) still applies; going over it is
// an *http.MaxBytesError.
func ReadParts(r *http.Request, limits map[string]int64) (map[string]Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	out := map[string]Part{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		limit, wanted := limits[p.FormName()]
		if _, seen := out[p.FormName()]; !wanted || seen {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p, limit+1))
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > limit {
			return nil, ErrPartTooLarge
		}
		out[p.FormName()] = Part{FileName: p.FileName(), Data: data}
	}
}
