// SPDX-License-Identifier: AGPL-3.0-or-later

// Package expr parses and evaluates expressions in the manner of DHIS2's
// indicator and validation-rule expressions, over the series values of one
// area and one period.
//
// Syntax:
//
//	number        12, 0.5, .5, 1e-3
//	reference     #{SERIES} (the total) or #{SERIES:SEX=F;AGE=Y15T64}
//	arithmetic    + - * / and unary minus, parentheses
//	comparison    == != < <= > >=   (1 when true, 0 when false)
//	logic         && || !           (any non-zero value is true)
//	functions     abs(x) min(a, …) max(a, …) sum(a, …) if(cond, a, b) isNull(#{…})
//
// A reference's disaggregation key is normalised as in the issue 6
// contract: pairs sorted by dimension, `_T` totals omitted, "" for the
// total; so #{X:SEX=_T} and #{X} are the same reference.
//
// Evaluation asks a lookup for each distinct reference once. A reference
// without a value counts in the missing result and evaluates as 0, as in
// DHIS2; the caller's missing-value strategy decides whether the result
// means anything. Division by zero and results that are not finite are
// errors (ErrDivZero, ErrRange), never Inf or NaN. if, && and || evaluate
// only the branch they need, so if(#{B} != 0, #{A} / #{B}, 0) is safe.
// Comparisons inside an expression are exact; tolerance for rounding is
// the validation rules' business.
package expr
