// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"bufio"
	"context"
	"io"
	"strconv"

	"github.com/amparo-project/amparo/internal/observations"
)

// rowWriter writes one format: a head, one call per value in the order
// observations.Service.Each gives them, then the end.
type rowWriter interface {
	head() error
	row(o *observations.Observation, m *SeriesMeta) error
	end() error
}

// writeBuffer is how much of an answer is held before it is sent: large
// enough that writes are few, small enough that memory stays flat.
const writeBuffer = 64 << 10

// Write writes the values p selects to w in p's format, straight from the
// database: memory does not grow with the number of values. Once the
// head is written an error can only cut the answer short.
func (s *Service) Write(ctx context.Context, w io.Writer, p *Prepared) error {
	bw := bufio.NewWriterSize(w, writeBuffer)
	var rw rowWriter
	switch p.Format {
	case FormatCSV:
		rw = newPlainCSV(bw, p)
	case FormatSDMXCSV:
		rw = newSDMXCSV(bw)
	case FormatHXL:
		rw = newHXL(bw, p)
	case FormatSDMXJSON:
		sj, err := s.newSDMXJSON(ctx, bw, p)
		if err != nil {
			return err
		}
		rw = sj
	default:
		rw = newPlainJSON(bw, p, s.now())
	}
	if err := rw.head(); err != nil {
		return err
	}
	if len(p.Series) > 0 {
		err := s.obs.Each(ctx, p.observations(), func(o observations.Observation) error {
			m, ok := p.Metas[o.Series]
			if !ok {
				m = SeriesMeta{Code: o.Series}
			}
			return rw.row(&o, &m)
		})
		if err != nil {
			return err
		}
	}
	if err := rw.end(); err != nil {
		return err
	}
	return bw.Flush()
}

// number writes a value in the shortest form that reads back as the same
// float64, without an exponent, which spreadsheets would misread.
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
