// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"

	"github.com/amparo-project/amparo/internal/access"
)

//go:embed data/ratifications.csv
var shippedRatifications []byte

// shippedName is the file name the shipped records are imported under.
const shippedName = "shipped:data/ratifications.csv"

// SeedShipped imports the records shipped in the binary, once per version
// of the file: a file already imported (same SHA-256) is not imported
// again, so corrections made since by people are kept until a release
// ships newer data.
func (s *Service) SeedShipped(ctx context.Context) error {
	sum := sha256.Sum256(shippedRatifications)
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM ratification_imports WHERE file_sha256 = ?`,
		hex.EncodeToString(sum[:])).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	rep, err := s.Import(ctx, access.System, shippedName, shippedRatifications, ImportOptions{})
	if err != nil {
		return fmt.Errorf("commitments: shipped records: %w (%v)", err, rep.Errors)
	}
	return nil
}
