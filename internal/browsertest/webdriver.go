// SPDX-License-Identifier: AGPL-3.0-or-later

// Package browsertest drives the real Amparo server in a real browser
// (Chromium, through chromedriver) to prove that what the unit tests check
// with net/http also works where people use it. It speaks the W3C WebDriver
// protocol (https://www.w3.org/TR/webdriver2/) directly as HTTP and JSON, so
// the suite needs no dependency beyond the standard library; the client
// covers only the commands the tests use.
package browsertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/testutil/syncbuf"
)

// Locator strategies (WebDriver section 12.2).
const (
	ByCSS   = "css selector"
	ByXPath = "xpath"
)

// elementKey is the web element identifier, the key under which WebDriver
// returns a reference to an element (WebDriver section 12.1).
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// Driver is a chromedriver process started by StartDriver.
type Driver struct {
	// URL is the driver's base address, such as http://127.0.0.1:9515.
	URL    string
	cmd    *exec.Cmd
	output *syncbuf.Buffer
	exited chan struct{}
	client *http.Client
}

// StartDriver runs the chromedriver at path on a free port of 127.0.0.1 and
// waits until its /status says it is ready for sessions, or timeout passes.
func StartDriver(path string, timeout time.Duration) (*Driver, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	out := &syncbuf.Buffer{}
	cmd := exec.Command(path, "--port="+strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = out, out
	// The browser inherits chromedriver's output; should one outlive it,
	// Wait must not block on the pipe the browser still holds.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start chromedriver: %w", err)
	}
	d := &Driver{URL: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, output: out,
		exited: make(chan struct{}), client: &http.Client{Timeout: 60 * time.Second}}
	go func() {
		_ = cmd.Wait()
		close(d.exited)
	}()
	deadline := time.Now().Add(timeout)
	for {
		var status struct {
			Ready   bool   `json:"ready"`
			Message string `json:"message"`
		}
		err := d.call(context.Background(), http.MethodGet, d.URL+"/status", nil, &status)
		if err == nil && status.Ready {
			return d, nil
		}
		select {
		case <-d.exited:
			return nil, fmt.Errorf("chromedriver exited before it was ready: %s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			d.Close()
			return nil, fmt.Errorf("chromedriver not ready after %s (last: %v, %q): %s", timeout, err, status.Message, out.String())
		}
	}
}

// Output returns what chromedriver has written so far, for failure reports.
func (d *Driver) Output() string { return d.output.String() }

// Close asks chromedriver to shut down, which also quits any browser a
// session left open, and kills it if it has not exited within five seconds.
func (d *Driver) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// /shutdown is chromedriver's own endpoint, outside the standard; its
	// answer does not matter, only that the process ends.
	_ = d.call(ctx, http.MethodGet, d.URL+"/shutdown", nil, nil)
	select {
	case <-d.exited:
	case <-time.After(5 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.exited
	}
}

// Session is a browser controlled through the driver.
type Session struct {
	d    *Driver
	base string // the driver's URL plus /session/{id}
}

// NewSession starts the browser at binary with args. Console messages are
// collected so that BrowserLog can return them, and a page that takes more
// than 30 seconds to load fails the command rather than the whole test run.
func (d *Driver) NewSession(binary string, args []string) (*Session, error) {
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":        "chrome",
		"goog:chromeOptions": map[string]any{"binary": binary, "args": args},
		"goog:loggingPrefs":  map[string]string{"browser": "ALL"},
		"timeouts":           map[string]int{"pageLoad": 30000, "script": 10000, "implicit": 0},
	}}}
	var created struct {
		SessionID string `json:"sessionId"`
	}
	if err := d.call(context.Background(), http.MethodPost, d.URL+"/session", caps, &created); err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	if created.SessionID == "" {
		return nil, errors.New("new session: the driver returned no session id")
	}
	return &Session{d: d, base: d.URL + "/session/" + created.SessionID}, nil
}

func (s *Session) call(method, path string, body, out any) error {
	return s.d.call(context.Background(), method, s.base+path, body, out)
}

// Delete ends the session and quits the browser.
func (s *Session) Delete() error { return s.call(http.MethodDelete, "", nil, nil) }

// Navigate loads url and waits for the page to load.
func (s *Session) Navigate(url string) error {
	return s.call(http.MethodPost, "/url", map[string]string{"url": url}, nil)
}

// CurrentURL returns the address of the page shown, after any redirects.
func (s *Session) CurrentURL() (string, error) {
	var u string
	err := s.call(http.MethodGet, "/url", nil, &u)
	return u, err
}

// Source returns the page's current DOM serialised as HTML.
func (s *Session) Source() (string, error) {
	var src string
	err := s.call(http.MethodGet, "/source", nil, &src)
	return src, err
}

// Screenshot returns a PNG of the viewport.
func (s *Session) Screenshot() ([]byte, error) {
	var b64 string
	if err := s.call(http.MethodGet, "/screenshot", nil, &b64); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(b64)
}

// Cookie is a cookie the browser holds for the current page's site, as
// WebDriver reports it (section 14.1). The value is left out: the tests
// check how a cookie is kept, and a session token has no place in a log.
type Cookie struct {
	Name     string `json:"name"`
	Path     string `json:"path"`
	Domain   string `json:"domain"`
	Secure   bool   `json:"secure"`
	HTTPOnly bool   `json:"httpOnly"`
	SameSite string `json:"sameSite"`
}

// Cookies returns the cookies the browser would send to the current page.
func (s *Session) Cookies() ([]Cookie, error) {
	var cookies []Cookie
	err := s.call(http.MethodGet, "/cookie", nil, &cookies)
	return cookies, err
}

// LogEntry is one message from the browser's console or network stack.
type LogEntry struct {
	Level     string `json:"level"` // SEVERE, WARNING, INFO, DEBUG
	Message   string `json:"message"`
	Source    string `json:"source"`
	Timestamp int64  `json:"timestamp"`
}

// BrowserLog returns the console messages logged since the last call.
// WebDriver has no standard command for this; chromedriver keeps the
// legacy one.
func (s *Session) BrowserLog() ([]LogEntry, error) {
	var entries []LogEntry
	err := s.call(http.MethodPost, "/se/log", map[string]string{"type": "browser"}, &entries)
	return entries, err
}

// Element is a reference to an element of the page it was found on.
type Element struct {
	s  *Session
	ID string
}

// Find returns the first element matching value under strategy by
// (ByCSS or ByXPath); it fails at once when there is none.
func (s *Session) Find(by, value string) (Element, error) {
	var ref map[string]string
	if err := s.call(http.MethodPost, "/element", map[string]string{"using": by, "value": value}, &ref); err != nil {
		return Element{}, fmt.Errorf("find %s %q: %w", by, value, err)
	}
	return Element{s: s, ID: ref[elementKey]}, nil
}

// FindAll returns every element matching value, in document order.
func (s *Session) FindAll(by, value string) ([]Element, error) {
	var refs []map[string]string
	if err := s.call(http.MethodPost, "/elements", map[string]string{"using": by, "value": value}, &refs); err != nil {
		return nil, fmt.Errorf("find all %s %q: %w", by, value, err)
	}
	out := make([]Element, len(refs))
	for i, ref := range refs {
		out[i] = Element{s: s, ID: ref[elementKey]}
	}
	return out, nil
}

// Click clicks the element's centre, as a person would; when that starts
// a navigation, the driver waits for the new page before its next command.
func (e Element) Click() error {
	return e.s.call(http.MethodPost, "/element/"+e.ID+"/click", map[string]any{}, nil)
}

// Clear empties an input.
func (e Element) Clear() error {
	return e.s.call(http.MethodPost, "/element/"+e.ID+"/clear", map[string]any{}, nil)
}

// SendKeys types text into the element.
func (e Element) SendKeys(text string) error {
	return e.s.call(http.MethodPost, "/element/"+e.ID+"/value", map[string]string{"text": text}, nil)
}

// Text returns the element's rendered text, as a person would read it.
func (e Element) Text() (string, error) {
	var text string
	err := e.s.call(http.MethodGet, "/element/"+e.ID+"/text", nil, &text)
	return text, err
}

// Property returns a DOM property of the element as a string (for example
// an input's "value"), or "" when it is null.
func (e Element) Property(name string) (string, error) {
	var v any
	if err := e.s.call(http.MethodGet, "/element/"+e.ID+"/property/"+name, nil, &v); err != nil {
		return "", err
	}
	if v == nil {
		return "", nil
	}
	if str, ok := v.(string); ok {
		return str, nil
	}
	return fmt.Sprint(v), nil
}

// Error is a WebDriver error response (WebDriver section 6.6).
type Error struct {
	Status  int
	Code    string // such as "no such element"
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("webdriver: %s (HTTP %d): %s", e.Code, e.Status, e.Message)
}

// call sends one command and decodes the "value" of the answer into out
// (when not nil). A POST always carries a JSON object, which the protocol
// requires even for commands without parameters.
func (d *Driver) call(ctx context.Context, method, url string, body, out any) error {
	var rd io.Reader
	if method == http.MethodPost {
		if body == nil {
			body = map[string]any{}
		}
		enc, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	res, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var envelope struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &envelope); err != nil {
		return fmt.Errorf("webdriver: %s %s: HTTP %d, undecodable answer %.200q", method, url, res.StatusCode, raw)
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(envelope.Value, &e)
		return &Error{Status: res.StatusCode, Code: e.Error, Message: e.Message}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(envelope.Value, out)
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
// chromedriver cannot be told to pick one and report it, so another
// process could take it in between; then StartDriver fails plainly.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
