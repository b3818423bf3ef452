// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import "context"

// eventFilter returns the conditions of f on the violation event aliased
// ev: the quarter it began in (start_first is 'YYYY-MM-DD', which compares
// as it reads) and its country, written, as caseFilter's, so that the
// records drive the query.
func eventFilter(f Filter, ev string) ([]string, []any) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where = append(where, notIndexed(ev+".start_first", "<"))
		args = append(args, f.From.Start().Format(dateLayout))
	}
	if !f.To.IsZero() {
		where = append(where, notIndexed(ev+".start_first", ">="))
		args = append(args, f.To.End().Format(dateLayout))
	}
	if f.Country != "" {
		where = append(where, notIndexed(ev+".country", "<>"))
		args = append(args, f.Country)
	}
	return where, args
}

const dateLayout = "2006-01-02"

// countActs counts the acts of violations by type, with the victim's sex
// or age band as columns ('unknown' for an act without a known victim).
func (s *Service) countActs(ctx context.Context, q Query, t *tally) error {
	sel := []string{"a.act_type"}
	from := "violation_acts a"
	var where []string
	var args []any
	if q.Filter.OrgID != "" {
		where = append(where, "a.org_id = ?")
		args = append(args, q.Filter.OrgID)
	}
	if ew, ea := eventFilter(q.Filter, "ev"); len(ew) > 0 {
		from += " JOIN violation_events ev ON ev.id = a.event_id"
		where, args = append(where, ew...), append(args, ea...)
	}
	person := q.Column == Sex || q.Column == AgeBand
	if person || q.Filter.Nationality != "" {
		from += " LEFT JOIN persons p ON p.id = a.victim_person_id"
	}
	if q.Filter.Nationality != "" {
		where = append(where, notIndexed("p.nationality", "<>"))
		args = append(args, q.Filter.Nationality)
	}
	if person {
		sel = append(sel, "p.sex", "p.birth_year")
	}
	return s.countGrouped(ctx, q, t, groupedSQL(sel, from, where), args, orUnknown)
}

// countPerpetrators counts the perpetrators of violations by category, and
// the employers and recruiters of exploitation cases as those categories.
// A perpetrator has no person to give columns.
func (s *Service) countPerpetrators(ctx context.Context, q Query, t *tally) error {
	from := "violation_perpetrators vp"
	var where []string
	var args []any
	if q.Filter.OrgID != "" {
		where = append(where, "vp.org_id = ?")
		args = append(args, q.Filter.OrgID)
	}
	if ew, ea := eventFilter(q.Filter, "ev"); len(ew) > 0 {
		from += " JOIN violation_events ev ON ev.id = vp.event_id"
		where, args = append(where, ew...), append(args, ea...)
	}
	if q.Filter.Nationality != "" {
		where = append(where, `EXISTS (SELECT 1 FROM violation_acts a JOIN persons p ON p.id = a.victim_person_id
			WHERE a.event_id = vp.event_id AND p.nationality = ?)`)
		args = append(args, q.Filter.Nationality)
	}
	if err := s.countGrouped(ctx, q, t, groupedSQL([]string{"vp.category"}, from, where), args, orUnknown); err != nil {
		return err
	}
	src := recordSource{category: "ep.role", from: "case_exploitation_perpetrators ep", org: "ep.org_id",
		caseID: "ep.case_id"}
	query, qargs := src.sql(q)
	return s.countGrouped(ctx, q, t, query, qargs, orUnknown)
}
