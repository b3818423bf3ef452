// SPDX-License-Identifier: AGPL-3.0-or-later

package expr

import (
	"errors"
	"math"
)

var (
	// ErrDivZero is the result of dividing by zero.
	ErrDivZero = errors.New("expr: division by zero")
	// ErrRange is the result of a computation that is not a finite number.
	ErrRange = errors.New("expr: result is not a finite number")
)

// Eval computes the expression. lookup gives the value of a reference and
// whether it has one; Eval calls it at most once per distinct reference,
// and for every reference, whichever branches are taken, so that missing
// counts the expression's references without a value the same way each
// time. A missing reference (or one whose value is not a finite number)
// evaluates as 0. err is ErrDivZero or ErrRange;
// value is then 0.
func (e *Expr) Eval(lookup func(Ref) (float64, bool)) (value float64, missing int, err error) {
	vals := make(map[Ref]float64, len(e.refs))
	for _, r := range e.refs {
		v, ok := lookup(r)
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			missing++
			v = math.NaN() // marks missing for isNull; read as 0 below
		}
		vals[r] = v
	}
	ev := evaluator{vals: vals}
	v, err := ev.eval(e.root)
	if err != nil {
		return 0, missing, err
	}
	return v, missing, nil
}

type evaluator struct{ vals map[Ref]float64 }

func (ev evaluator) ref(r Ref) float64 {
	v := ev.vals[r]
	if math.IsNaN(v) {
		return 0
	}
	return v
}

func (ev evaluator) eval(n node) (float64, error) {
	switch n := n.(type) {
	case numNode:
		return n.v, nil
	case refNode:
		return ev.ref(n.ref), nil
	case unaryNode:
		x, err := ev.eval(n.x)
		if err != nil {
			return 0, err
		}
		if n.op == "!" {
			return boolean(x == 0), nil
		}
		return -x, nil
	case binaryNode:
		return ev.binary(n)
	case callNode:
		return ev.call(n)
	}
	panic("expr: unknown node")
}

func (ev evaluator) binary(n binaryNode) (float64, error) {
	l, err := ev.eval(n.l)
	if err != nil {
		return 0, err
	}
	// && and || look at the right side only when they need it.
	switch n.op {
	case "&&":
		if l == 0 {
			return 0, nil
		}
		r, err := ev.eval(n.r)
		return boolean(r != 0), err
	case "||":
		if l != 0 {
			return 1, nil
		}
		r, err := ev.eval(n.r)
		return boolean(r != 0), err
	}
	r, err := ev.eval(n.r)
	if err != nil {
		return 0, err
	}
	var v float64
	switch n.op {
	case "+":
		v = l + r
	case "-":
		v = l - r
	case "*":
		v = l * r
	case "/":
		if r == 0 {
			return 0, ErrDivZero
		}
		v = l / r
	case "==":
		return boolean(l == r), nil
	case "!=":
		return boolean(l != r), nil
	case "<":
		return boolean(l < r), nil
	case "<=":
		return boolean(l <= r), nil
	case ">":
		return boolean(l > r), nil
	case ">=":
		return boolean(l >= r), nil
	}
	return finite(v)
}

func (ev evaluator) call(n callNode) (float64, error) {
	switch n.fn {
	case "if":
		c, err := ev.eval(n.args[0])
		if err != nil {
			return 0, err
		}
		if c != 0 {
			return ev.eval(n.args[1])
		}
		return ev.eval(n.args[2])
	case "isNull":
		return boolean(math.IsNaN(ev.vals[n.args[0].(refNode).ref])), nil
	}
	args := make([]float64, len(n.args))
	for i, a := range n.args {
		v, err := ev.eval(a)
		if err != nil {
			return 0, err
		}
		args[i] = v
	}
	switch n.fn {
	case "abs":
		return math.Abs(args[0]), nil
	case "min":
		m := args[0]
		for _, v := range args[1:] {
			m = math.Min(m, v)
		}
		return m, nil
	case "max":
		m := args[0]
		for _, v := range args[1:] {
			m = math.Max(m, v)
		}
		return m, nil
	case "sum":
		s := 0.0
		for _, v := range args {
			s += v
		}
		return finite(s)
	}
	panic("expr: unknown function " + n.fn)
}

func boolean(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func finite(v float64) (float64, error) {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, ErrRange
	}
	return v, nil
}
