// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// hostAllowed reports whether u's host is on the outbound allow-list: an
// entry is a host name, matched whatever the port, or host:port.
func (s *Service) hostAllowed(u *url.URL) bool {
	host, hostPort := strings.ToLower(u.Hostname()), strings.ToLower(u.Host)
	for _, a := range s.outbound.AllowHosts {
		a = strings.ToLower(strings.TrimSpace(a))
		if a != "" && (a == host || a == hostPort) {
			return true
		}
	}
	return false
}

var errRedirect = errors.New("opendata: the source redirected to another address")

// newClient is the harvest's HTTP client: certificates checked, every
// stage bounded in time, and redirects followed only within the same
// scheme and host.
func (s *Service) newClient() *http.Client {
	tr := s.outbound.Transport
	if tr == nil {
		tr = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 2 * time.Minute,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          4,
			IdleConnTimeout:       time.Minute,
		}
	}
	return &http.Client{Transport: tr, Timeout: s.outbound.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 || req.URL.Scheme != via[0].URL.Scheme || req.URL.Host != via[0].URL.Host {
				return errRedirect
			}
			return nil
		}}
}

// fetched is a source's answer.
type fetched struct {
	notModified bool
	etag        string
	body        io.ReadCloser
}

// fetchError is a failed fetch, said in a few words for the source's page.
type fetchError struct{ detail string }

func (e *fetchError) Error() string { return "opendata: harvest: " + e.detail }

// dataURL is where a source's selection is fetched from, as SDMX-CSV.
func dataURL(base string, series, areas []string) string {
	q := url.Values{"format": {string(FormatSDMXCSV)}}
	if len(series) > 0 {
		q.Set("series", strings.Join(series, ","))
	}
	if len(areas) > 0 {
		q.Set("area", strings.Join(areas, ","))
	}
	return base + "/api/v1/opendata/data?" + q.Encode()
}

// fetch asks a source for its data, conditionally on etag. The caller
// closes the body.
func (s *Service) fetch(ctx context.Context, base string, series, areas []string, etag string) (*fetched, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, &fetchError{"the address must be https://host"}
	}
	if !s.hostAllowed(u) {
		return nil, ErrHostNotAllowed
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, dataURL(base, series, areas), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", MediaSDMXCSV+"; version="+sdmxVersion)
	req.Header.Set("User-Agent", "Amparo-harvest/1")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	res, err := s.client.Do(req)
	if err != nil {
		if errors.Is(err, errRedirect) {
			return nil, &fetchError{"redirected to another address"}
		}
		return nil, &fetchError{"could not reach the source"}
	}
	switch res.StatusCode {
	case http.StatusNotModified:
		res.Body.Close()
		return &fetched{notModified: true, etag: etag}, nil
	case http.StatusOK:
	default:
		res.Body.Close()
		return nil, &fetchError{fmt.Sprintf("HTTP %d", res.StatusCode)}
	}
	if mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type")); err != nil || mt != MediaSDMXCSV {
		res.Body.Close()
		return nil, &fetchError{"the answer is not SDMX-CSV"}
	}
	return &fetched{etag: res.Header.Get("ETag"), body: &cappedBody{r: res.Body, left: s.outbound.MaxBytes}}, nil
}

// cappedBody fails a body longer than its limit rather than cutting it
// short, which would import part of the data.
type cappedBody struct {
	r    io.ReadCloser
	left int64
}

var errTooLarge = &fetchError{"the answer is larger than the limit"}

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cappedBody) Close() error { return c.r.Close() }
