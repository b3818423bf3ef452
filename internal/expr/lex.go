// SPDX-License-Identifier: AGPL-3.0-or-later

package expr

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxLen is the longest expression Parse accepts, in bytes. Expressions
// are written by people; the limit keeps a hostile one from costing much.
const MaxLen = 2000

// MaxDepth bounds the nesting of parentheses, calls and unary operators,
// so that parsing and evaluation never recurse deeply.
const MaxDepth = 40

// SyntaxError says where (1-based byte position) and why an expression is
// invalid. It never quotes more of the input than the offending token.
type SyntaxError struct {
	Pos    int
	Reason string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("expr: position %d: %s", e.Pos, e.Reason)
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokNum
	tokRef
	tokIdent
	tokOp // operators and punctuation: + - * / ( ) , == != < <= > >= && || !
)

type token struct {
	kind tokKind
	pos  int // 0-based byte offset
	text string
	num  float64
	ref  Ref
}

type lexer struct {
	src string
	pos int
}

func (l *lexer) errf(pos int, format string, args ...any) error {
	return &SyntaxError{Pos: pos + 1, Reason: fmt.Sprintf(format, args...)}
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	c := l.src[l.pos]
	switch {
	case isDigit(c) || c == '.':
		return l.number()
	case c == '#':
		return l.reference()
	case isLetter(c):
		for l.pos < len(l.src) && (isLetter(l.src[l.pos]) || isDigit(l.src[l.pos]) || l.src[l.pos] == '_') {
			l.pos++
		}
		return token{kind: tokIdent, pos: start, text: l.src[start:l.pos]}, nil
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "&&", "||"} {
		if strings.HasPrefix(l.src[l.pos:], op) {
			l.pos += 2
			return token{kind: tokOp, pos: start, text: op}, nil
		}
	}
	if strings.IndexByte("+-*/(),<>!", c) >= 0 {
		l.pos++
		return token{kind: tokOp, pos: start, text: string(c)}, nil
	}
	if c == '=' {
		return token{}, l.errf(start, "use == to compare")
	}
	if c < 0x20 || c >= 0x7f {
		return token{}, l.errf(start, "unexpected character")
	}
	return token{}, l.errf(start, "unexpected character %q", c)
}

func (l *lexer) number() (token, error) {
	start := l.pos
	digits := 0
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
		digits++
	}
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		l.pos++
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
			digits++
		}
	}
	if digits == 0 {
		return token{}, l.errf(start, "a number needs digits")
	}
	if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
		l.pos++
		if l.pos < len(l.src) && (l.src[l.pos] == '+' || l.src[l.pos] == '-') {
			l.pos++
		}
		expDigits := 0
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
			expDigits++
		}
		if expDigits == 0 {
			return token{}, l.errf(start, "exponent needs digits")
		}
	}
	if l.pos < len(l.src) && (isLetter(l.src[l.pos]) || l.src[l.pos] == '_' || l.src[l.pos] == '.') {
		return token{}, l.errf(l.pos, "unexpected character after number")
	}
	text := l.src[start:l.pos]
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return token{}, l.errf(start, "number out of range")
	}
	return token{kind: tokNum, pos: start, text: text, num: v}, nil
}

func (l *lexer) reference() (token, error) {
	start := l.pos
	if !strings.HasPrefix(l.src[l.pos:], "#{") {
		return token{}, l.errf(start, "a reference is written #{SERIES}")
	}
	end := strings.IndexByte(l.src[l.pos:], '}')
	if end < 0 {
		return token{}, l.errf(start, "reference not closed by }")
	}
	body := l.src[l.pos+2 : l.pos+end]
	l.pos += end + 1
	ref, reason := ParseRef(body)
	if reason != "" {
		return token{}, l.errf(start, "%s", reason)
	}
	return token{kind: tokRef, pos: start, ref: ref}, nil
}

func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
