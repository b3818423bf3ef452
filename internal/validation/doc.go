// SPDX-License-Identifier: AGPL-3.0-or-later

// Package validation checks observations against rules in the manner of
// DHIS2: a left expression, an operator and a right expression over the
// series values of one area and one period (package expr), and a strategy
// for values that are missing. "Women plus men equals the total" is
// #{X:SEX=F} + #{X:SEX=M} == #{X}; "a percentage is at most 100" is
// #{X} <= 100.
//
// Rules run on every import, before it commits (RunOnBatch reads the
// batch's uncommitted rows through its transaction, so a high-importance
// violation can fail the import), and on demand over the working values
// (Run), which keeps its report in validation_runs and
// validation_violations.
//
// A rule applies to an (area, period) when its references have values as
// its missing-value strategy asks; a reference without a value counts as
// 0 when the rule is evaluated anyway. An expression that cannot be
// computed (a division by zero) counts as missing too: under never_skip it
// is a violation with that side empty. Comparisons allow for floating-point
// rounding: two values within 1e-9 of the larger, relatively, are equal.
//
// Rules are not personal data; writing them needs indicator.write and is
// audited, as is starting a run.
package validation
