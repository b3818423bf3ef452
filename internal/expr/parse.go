// SPDX-License-Identifier: AGPL-3.0-or-later

package expr

import (
	"sort"
)

// Expr is a parsed expression. It is immutable and safe for concurrent use.
type Expr struct {
	root node
	refs []Ref
}

// node kinds of the syntax tree.
type node interface{ isNode() }

type numNode struct{ v float64 }
type refNode struct{ ref Ref }
type unaryNode struct {
	op string // "-" or "!"
	x  node
}
type binaryNode struct {
	op   string
	l, r node
}
type callNode struct {
	fn   string
	args []node
}

func (numNode) isNode()    {}
func (refNode) isNode()    {}
func (unaryNode) isNode()  {}
func (binaryNode) isNode() {}
func (callNode) isNode()   {}

// precedence of binary operators, loosest first; all are left-associative.
var precedence = map[string]int{
	"||": 1,
	"&&": 2,
	"==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
	"+": 4, "-": 4,
	"*": 5, "/": 5,
}

// precUnary binds tighter than every binary operator.
const precUnary = 6

// arity of each function: minimum and maximum argument counts (-1 = any).
var functions = map[string][2]int{
	"abs":    {1, 1},
	"min":    {1, -1},
	"max":    {1, -1},
	"sum":    {1, -1},
	"if":     {3, 3},
	"isNull": {1, 1},
}

// Parse reads an expression. The error is a *SyntaxError giving the
// position and the reason.
func Parse(s string) (*Expr, error) {
	if len(s) > MaxLen {
		return nil, &SyntaxError{Pos: MaxLen + 1, Reason: "expression longer than 2000 characters"}
	}
	p := &parser{lex: lexer{src: s}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, &SyntaxError{Pos: 1, Reason: "empty expression"}
	}
	root, err := p.binary(1, 0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected()
	}
	e := &Expr{root: root}
	// The canonical form may be longer than the input (spaces, numbers
	// written out); it must fit the same limit so that it parses again.
	if len(e.String()) > MaxLen {
		return nil, &SyntaxError{Pos: 1, Reason: "expression longer than 2000 characters when written out in full"}
	}
	e.refs = collectRefs(root)
	return e, nil
}

// MustParse is Parse for expressions written in the program or its
// shipped data; it panics on an error, which a test catches.
func MustParse(s string) *Expr {
	e, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return e
}

type parser struct {
	lex lexer
	tok token
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) errAt(pos int, reason string) error {
	return &SyntaxError{Pos: pos + 1, Reason: reason}
}

func (p *parser) unexpected() error {
	switch p.tok.kind {
	case tokEOF:
		return p.errAt(p.tok.pos, "unexpected end of expression")
	case tokNum:
		return p.errAt(p.tok.pos, "unexpected number")
	case tokRef:
		return p.errAt(p.tok.pos, "unexpected reference")
	}
	return p.errAt(p.tok.pos, "unexpected "+p.tok.text)
}

func (p *parser) isOp(text string) bool { return p.tok.kind == tokOp && p.tok.text == text }

// binary parses operators of precedence minPrec and tighter (precedence
// climbing). depth counts nesting for MaxDepth.
func (p *parser) binary(minPrec, depth int) (node, error) {
	left, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokOp {
		prec, ok := precedence[p.tok.text]
		if !ok || prec < minPrec {
			break
		}
		op := p.tok.text
		if err := p.advance(); err != nil {
			return nil, err
		}
		right, err := p.binary(prec+1, depth)
		if err != nil {
			return nil, err
		}
		left = binaryNode{op: op, l: left, r: right}
	}
	return left, nil
}

func (p *parser) unary(depth int) (node, error) {
	if depth >= MaxDepth {
		return nil, p.errAt(p.tok.pos, "expression nested too deeply")
	}
	if p.isOp("-") || p.isOp("!") {
		op := p.tok.text
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return unaryNode{op: op, x: x}, nil
	}
	return p.primary(depth)
}

func (p *parser) primary(depth int) (node, error) {
	t := p.tok
	switch t.kind {
	case tokNum:
		return numNode{v: t.num}, p.advance()
	case tokRef:
		return refNode{ref: t.ref}, p.advance()
	case tokIdent:
		return p.call(depth)
	case tokOp:
		if t.text == "(" {
			if err := p.advance(); err != nil {
				return nil, err
			}
			x, err := p.binary(1, depth+1)
			if err != nil {
				return nil, err
			}
			if !p.isOp(")") {
				return nil, p.errAt(p.tok.pos, "missing )")
			}
			return x, p.advance()
		}
	}
	return nil, p.unexpected()
}

func (p *parser) call(depth int) (node, error) {
	name, pos := p.tok.text, p.tok.pos
	ar, ok := functions[name]
	if !ok {
		return nil, p.errAt(pos, "unknown function "+name)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if !p.isOp("(") {
		return nil, p.errAt(p.tok.pos, name+" needs ( after it")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	var args []node
	if !p.isOp(")") {
		for {
			argPos := p.tok.pos
			a, err := p.binary(1, depth+1)
			if err != nil {
				return nil, err
			}
			if name == "isNull" {
				if _, isRef := a.(refNode); !isRef {
					return nil, p.errAt(argPos, "isNull takes one reference #{…}")
				}
			}
			args = append(args, a)
			if !p.isOp(",") {
				break
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
	}
	if !p.isOp(")") {
		return nil, p.errAt(p.tok.pos, "missing ) after arguments of "+name)
	}
	if len(args) < ar[0] || (ar[1] >= 0 && len(args) > ar[1]) {
		return nil, p.errAt(pos, arityReason(name, ar))
	}
	return callNode{fn: name, args: args}, p.advance()
}

func arityReason(name string, ar [2]int) string {
	switch {
	case ar[0] == ar[1] && ar[0] == 1:
		return name + " takes one argument"
	case ar[0] == ar[1]:
		return name + " takes three arguments"
	}
	return name + " takes at least one argument"
}

// Refs returns the distinct references of the expression, sorted by
// series then disaggregation key. The slice is the caller's.
func (e *Expr) Refs() []Ref {
	return append([]Ref(nil), e.refs...)
}

func collectRefs(root node) []Ref {
	seen := map[Ref]bool{}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case refNode:
			seen[n.ref] = true
		case unaryNode:
			walk(n.x)
		case binaryNode:
			walk(n.l)
			walk(n.r)
		case callNode:
			for _, a := range n.args {
				walk(a)
			}
		}
	}
	walk(root)
	refs := make([]Ref, 0, len(seen))
	for r := range seen {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].Series != refs[j].Series {
			return refs[i].Series < refs[j].Series
		}
		return refs[i].Disagg < refs[j].Disagg
	})
	return refs
}
