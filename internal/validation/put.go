// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"context"
	"errors"
	"fmt"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
)

// MaxPutRows bounds the rows of one small write (a form, an API call);
// files go through the import screen.
const MaxPutRows = 1000

// RulesError says that a write broke a high-importance rule; nothing was
// written. Violations lists every violation found, of any importance.
type RulesError struct{ Violations []Violation }

func (e *RulesError) Error() string {
	return fmt.Sprintf("validation: %d violations of validation rules", len(e.Violations))
}

// Put writes a few observations as one batch of kind (observations.KindForm
// for a form or an API call), checked by the active rules before it
// commits, as an import is: a violation of a high-importance rule fails it
// with a *RulesError; others are answered for the caller to show. Bad rows
// fail it with a *fielderr.Error naming fields "rows.<index>.<field>",
// index from 0, for every bad row. It needs observation.write.
func (s *Service) Put(ctx context.Context, p access.Principal, kind string, rows []observations.Observation) (string, []Violation, error) {
	if s.obs == nil {
		return "", nil, errors.New("validation: Put needs Config.Observations")
	}
	if len(rows) > MaxPutRows {
		return "", nil, fielderr.One("rows", fielderr.CodeTooLong)
	}
	if len(rows) == 0 {
		return "", nil, fielderr.One("rows", CodeRequired)
	}
	var found []Violation
	id, _, err := s.obs.Import(ctx, p, observations.ImportInfo{Kind: kind}, func(b *observations.Batch) error {
		var fe fielderr.Error
		for i, o := range rows {
			if err := b.Add(i+1, o); err != nil {
				var re *observations.RowError
				if !errors.As(err, &re) {
					return err
				}
				field := re.Field
				if field == "" {
					field = "row"
				}
				fe.Add(fmt.Sprintf("rows.%d.%s", re.Line-1, field), re.Code)
			}
		}
		if err := fe.OrNil(); err != nil {
			return err
		}
		var err error
		if found, err = s.RunOnBatch(ctx, b); err != nil {
			return rowError(err)
		}
		if HasHigh(found) {
			return &RulesError{Violations: found}
		}
		return nil
	})
	if err != nil {
		return "", found, rowError(err)
	}
	return id, found, nil
}

// rowError turns a duplicate found when the batch is written into the
// field error of its row.
func rowError(err error) error {
	var re *observations.RowError
	if errors.As(err, &re) && re.Line > 0 {
		field := re.Field
		if field == "" {
			field = "row"
		}
		return fielderr.One(fmt.Sprintf("rows.%d.%s", re.Line-1, field), re.Code)
	}
	return err
}
