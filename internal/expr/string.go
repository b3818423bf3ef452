// SPDX-License-Identifier: AGPL-3.0-or-later

package expr

import (
	"strconv"
	"strings"
)

// String is the canonical form of the expression: normalised references,
// numbers in their shortest form, single spaces around binary operators
// and only the parentheses precedence needs. Parsing it gives the same
// expression, so rules store and compare this form.
func (e *Expr) String() string {
	var b strings.Builder
	write(&b, e.root)
	return b.String()
}

func write(b *strings.Builder, n node) {
	switch n := n.(type) {
	case numNode:
		b.WriteString(strconv.FormatFloat(n.v, 'g', -1, 64))
	case refNode:
		b.WriteString(n.ref.String())
	case unaryNode:
		b.WriteString(n.op)
		writeParen(b, n.x, prec(n.x) < precUnary)
	case binaryNode:
		p := precedence[n.op]
		writeParen(b, n.l, prec(n.l) < p)
		b.WriteString(" " + n.op + " ")
		// Left-associative: a right operand of the same precedence keeps
		// its parentheses (a - (b - c)).
		writeParen(b, n.r, prec(n.r) <= p)
	case callNode:
		b.WriteString(n.fn + "(")
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			write(b, a)
		}
		b.WriteString(")")
	}
}

func writeParen(b *strings.Builder, n node, paren bool) {
	if paren {
		b.WriteString("(")
	}
	write(b, n)
	if paren {
		b.WriteString(")")
	}
}

// prec is the binding strength of a node when printed: binary operators
// by their precedence, everything else binds tightest.
func prec(n node) int {
	if bn, ok := n.(binaryNode); ok {
		return precedence[bn.op]
	}
	return precUnary + 1
}
