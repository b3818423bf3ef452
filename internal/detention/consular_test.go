// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNormalizeNotification(t *testing.T) {
	now := at(t, "2026-03-10T12:00:00Z")
	arrest := at(t, "2026-03-01T08:00:00Z")
	valid := NotificationInput{Nationality: "gt", Consulate: " Consulado de Guatemala en Tapachula ", ArrestedAt: arrest,
		ToldAt: new(arrest.Add(time.Hour)), Requested: new(true), NotifiedAt: new(arrest.Add(5 * time.Hour)),
		FirstContactAt: new(arrest.Add(48 * time.Hour))}
	cases := []struct {
		name string
		edit func(*NotificationInput)
		want []FieldError
	}{
		{"valid", func(*NotificationInput) {}, nil},
		{"only the arrest", func(n *NotificationInput) {
			*n = NotificationInput{Nationality: "GTM", ArrestedAt: arrest}
		}, nil},
		{"told at the arrest", func(n *NotificationInput) { n.ToldAt = new(arrest) }, nil},
		{"consulate learnt before the person was told", func(n *NotificationInput) {
			n.ToldAt, n.NotifiedAt = new(arrest.Add(9*time.Hour)), new(arrest.Add(time.Hour))
		}, nil},
		{"missing nationality", func(n *NotificationInput) { n.Nationality = "" }, []FieldError{{Field: "nationality", Code: CodeRequired}}},
		{"unknown nationality", func(n *NotificationInput) { n.Nationality = "QQ" }, []FieldError{{Field: "nationality", Code: CodeUnknownCountry}}},
		{"national of the detaining state", func(n *NotificationInput) { n.Nationality = "484" }, []FieldError{{Field: "nationality", Code: CodeSameCountry}}},
		{"long consulate", func(n *NotificationInput) { n.Consulate = strings.Repeat("c", maxConsulate+1) }, []FieldError{{Field: "consulate", Code: CodeTooLong}}},
		{"missing arrest", func(n *NotificationInput) { n.ArrestedAt = time.Time{} }, []FieldError{{Field: "arrested_at", Code: CodeRequired}}},
		{"future arrest", func(n *NotificationInput) {
			n.ArrestedAt = now.Add(time.Second)
			n.ToldAt, n.NotifiedAt, n.FirstContactAt = nil, nil, nil
		},
			[]FieldError{{Field: "arrested_at", Code: CodeFuture}}},
		{"told before arrest", func(n *NotificationInput) { n.ToldAt = new(arrest.Add(-time.Microsecond)) }, []FieldError{{Field: "told_at", Code: CodeBeforeArrest}}},
		{"told in the future", func(n *NotificationInput) { n.ToldAt = new(now.Add(time.Microsecond)) }, []FieldError{{Field: "told_at", Code: CodeFuture}}},
		{"notified before arrest", func(n *NotificationInput) { n.NotifiedAt = new(arrest.Add(-time.Hour)) }, []FieldError{{Field: "notified_at", Code: CodeBeforeArrest}}},
		{"contact before arrest", func(n *NotificationInput) { n.FirstContactAt = new(arrest.Add(-time.Hour)) }, []FieldError{{Field: "first_contact_at", Code: CodeBeforeArrest}}},
		{"zero told", func(n *NotificationInput) { n.ToldAt = &time.Time{} }, []FieldError{{Field: "told_at", Code: CodeInvalidDate}}},
		{"everything wrong", func(n *NotificationInput) {
			*n = NotificationInput{Consulate: "\x07", ToldAt: new(now.Add(time.Hour)), FirstContactAt: &time.Time{}}
		}, []FieldError{{Field: "nationality", Code: CodeRequired}, {Field: "consulate", Code: CodeControlChars}, {Field: "arrested_at", Code: CodeRequired},
			{Field: "told_at", Code: CodeFuture}, {Field: "first_contact_at", Code: CodeInvalidDate}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := valid
			c.edit(&n)
			_, errs := NormalizeNotification(n, "MEX", now)
			if !reflect.DeepEqual(errs, c.want) {
				t.Errorf("errors = %v, want %v", errs, c.want)
			}
		})
	}
	zone := time.FixedZone("CST", -6*3600)
	in := NotificationInput{Nationality: "320", Consulate: " X ", ArrestedAt: time.Date(2026, 3, 1, 2, 0, 0, 999, zone),
		Requested: new(false)}
	out, errs := NormalizeNotification(in, "MEX", now)
	want := NotificationInput{Nationality: "GTM", Consulate: "X", ArrestedAt: at(t, "2026-03-01T08:00:00Z"), Requested: new(false)}
	if errs != nil || !reflect.DeepEqual(out, want) {
		t.Errorf("normalised %+v (%v), want %+v", out, errs, want)
	}
	if out.Requested == in.Requested {
		t.Error("the input's requested pointer is shared with the output")
	}
}

func TestNormalizeMandatoryCountry(t *testing.T) {
	const today = "2026-03-10"
	valid := MandatoryCountry{DetainingCountry: "us", Nationality: "chn", Source: "https://example.org/treaty", AsOf: "2025-01-01"}
	cases := []struct {
		name string
		edit func(*MandatoryCountry)
		want []FieldError
	}{
		{"valid", func(*MandatoryCountry) {}, nil},
		{"same country", func(m *MandatoryCountry) { m.Nationality = "USA" }, []FieldError{{Field: "nationality", Code: CodeSameCountry}}},
		{"unknown detaining", func(m *MandatoryCountry) { m.DetainingCountry = "UX" },
			[]FieldError{{Field: "detaining_country", Code: CodeUnknownCountry}}},
		{"missing both", func(m *MandatoryCountry) { m.DetainingCountry, m.Nationality = "", "" },
			[]FieldError{{Field: "detaining_country", Code: CodeRequired}, {Field: "nationality", Code: CodeRequired}}},
		{"missing source", func(m *MandatoryCountry) { m.Source = "" }, []FieldError{{Field: "source", Code: CodeRequired}}},
		{"future as_of", func(m *MandatoryCountry) { m.AsOf = "2027-01-01" }, []FieldError{{Field: "as_of", Code: CodeFuture}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := valid
			c.edit(&m)
			_, errs := NormalizeMandatoryCountry(m, today)
			if !reflect.DeepEqual(errs, c.want) {
				t.Errorf("errors = %v, want %v", errs, c.want)
			}
		})
	}
	out, _ := NormalizeMandatoryCountry(MandatoryCountry{DetainingCountry: "us", Nationality: "cn", Source: " s "}, today)
	if want := (MandatoryCountry{DetainingCountry: "USA", Nationality: "CHN", Source: "s", AsOf: today}); out != want {
		t.Errorf("normalised %+v, want %+v", out, want)
	}
}

func TestAssess(t *testing.T) {
	arrest := at(t, "2026-03-01T08:00:00Z")
	deadline := arrest.Add(72 * time.Hour) // 2026-03-04T08:00Z
	rel := func(d time.Duration) *time.Time { return new(arrest.Add(d)) }
	cases := []struct {
		name      string
		told      *time.Time
		requested *bool
		notified  *time.Time
		mandatory bool
		cfg       Config
		now       time.Time
		want      Compliance
	}{
		{"told and notified in time on request", rel(time.Hour), new(true), rel(2 * time.Hour), false, Config{}, deadline.Add(time.Hour),
			Compliance{Told: StatusInTime, NotificationRequired: Yes, Notified: StatusInTime}},
		{"told exactly at the limit", rel(72 * time.Hour), new(true), rel(72 * time.Hour), false, Config{}, deadline.Add(time.Hour),
			Compliance{Told: StatusInTime, NotificationRequired: Yes, Notified: StatusInTime}},
		{"a microsecond late", rel(72*time.Hour + time.Microsecond), new(true), rel(72*time.Hour + time.Microsecond), false, Config{},
			deadline.Add(time.Hour), Compliance{Told: StatusLate, NotificationRequired: Yes, Notified: StatusLate}},
		{"nothing yet, within the limit", nil, nil, nil, false, Config{}, deadline,
			Compliance{Told: StatusPending, NotificationRequired: Unknown, Notified: StatusUndetermined}},
		{"nothing, limit passed", nil, nil, nil, false, Config{}, deadline.Add(time.Microsecond),
			Compliance{Told: StatusOverdue, NotificationRequired: Unknown, Notified: StatusUndetermined}},
		{"asked, not notified, limit passed", rel(time.Hour), new(true), nil, false, Config{}, deadline.Add(time.Microsecond),
			Compliance{Told: StatusInTime, NotificationRequired: Yes, Notified: StatusOverdue}},
		{"asked, not notified, within the limit", rel(time.Hour), new(true), nil, false, Config{}, deadline,
			Compliance{Told: StatusInTime, NotificationRequired: Yes, Notified: StatusPending}},
		{"declined: not required", rel(time.Hour), new(false), nil, false, Config{}, deadline.Add(time.Hour),
			Compliance{Told: StatusInTime, NotificationRequired: No, Notified: StatusNotRequired}},
		{"declined but notified", rel(time.Hour), new(false), rel(3 * time.Hour), false, Config{}, deadline.Add(time.Hour),
			Compliance{Told: StatusInTime, NotificationRequired: No, Notified: StatusNotRequired, NotifiedAgainstWish: true}},
		{"mandatory, declined, notified", rel(time.Hour), new(false), rel(3 * time.Hour), true, Config{}, deadline.Add(time.Hour),
			Compliance{Mandatory: true, Told: StatusInTime, NotificationRequired: Yes, Notified: StatusInTime}},
		{"mandatory, wish unknown, not notified", nil, nil, nil, true, Config{}, deadline.Add(time.Hour),
			Compliance{Mandatory: true, Told: StatusOverdue, NotificationRequired: Yes, Notified: StatusOverdue}},
		{"wish unknown, notified anyway", rel(time.Hour), nil, rel(2 * time.Hour), false, Config{}, deadline.Add(time.Hour),
			Compliance{Told: StatusInTime, NotificationRequired: Unknown, Notified: StatusUndetermined}},
		{"24-hour organisation", rel(25 * time.Hour), new(true), rel(24 * time.Hour), false, Config{ConsularHours: 24}, deadline,
			Compliance{Told: StatusLate, NotificationRequired: Yes, Notified: StatusInTime}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := Notification{NotificationInput: NotificationInput{Nationality: "GTM", ArrestedAt: arrest,
				ToldAt: c.told, Requested: c.requested, NotifiedAt: c.notified}}
			got := Assess(n, c.mandatory, c.cfg, c.now)
			want := c.want
			d := arrest.Add(time.Duration(c.cfg.WithDefaults().ConsularHours) * time.Hour)
			want.ToldDeadline, want.NotifyDeadline = d, d
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Assess =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
	// The arrest given in another zone gives a deadline in UTC.
	n := Notification{NotificationInput: NotificationInput{ArrestedAt: at(t, "2026-03-01T02:00:00-06:00")}}
	if c := Assess(n, false, Config{}, arrest); !c.ToldDeadline.Equal(deadline) || c.ToldDeadline.Location() != time.UTC {
		t.Errorf("deadline %v, want %v in UTC", c.ToldDeadline, deadline)
	}
}

func TestStatusDone(t *testing.T) {
	for s, want := range map[Status]bool{StatusInTime: true, StatusLate: true, StatusOverdue: false, StatusPending: false,
		StatusNotRequired: false, StatusUndetermined: false} {
		if s.Done() != want {
			t.Errorf("%s.Done() = %v", s, !want)
		}
	}
}

func TestConsularAlerts(t *testing.T) {
	arrest := at(t, "2026-03-01T08:00:00Z")
	after := arrest.Add(72*time.Hour + time.Microsecond)
	open := Episode{ID: "ep", OrgID: "org", CaseID: "case", PersonID: "p",
		EpisodeInput: EpisodeInput{FacilityCountry: "MEX", Start: arrest}}
	closed := open
	closed.End = new(arrest.Add(100 * time.Hour))
	cases := []struct {
		name      string
		ep        Episode
		told      *time.Time
		requested *bool
		notified  *time.Time
		mandatory bool
		now       time.Time
		want      []AlertKind
	}{
		{"within the limit", open, nil, nil, nil, false, arrest.Add(72 * time.Hour), nil},
		{"not told, limit passed", open, nil, nil, nil, false, after, []AlertKind{AlertConsularRightNotTold}},
		{"not told, mandatory", open, nil, nil, nil, true, after, []AlertKind{AlertConsularRightNotTold, AlertConsulateNotNotified}},
		{"told late: no alert", open, new(arrest.Add(80 * time.Hour)), new(false), nil, false, after.Add(10 * time.Hour), nil},
		{"asked, not notified", open, new(arrest), new(true), nil, false, after, []AlertKind{AlertConsulateNotNotified}},
		{"asked, notified late", open, new(arrest), new(true), new(after), false, after, nil},
		{"declined", open, new(arrest), new(false), nil, false, after, nil},
		{"wish not recorded", open, new(arrest), nil, nil, false, after, nil},
		{"closed episode", closed, nil, new(true), nil, true, closed.End.Add(time.Hour), nil},
		{"closed after now: still open", closed, nil, nil, nil, false, after, []AlertKind{AlertConsularRightNotTold}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := Notification{ID: "n", NotificationInput: NotificationInput{Nationality: "GTM", ArrestedAt: arrest,
				ToldAt: c.told, Requested: c.requested, NotifiedAt: c.notified}}
			got := ConsularAlerts(c.ep, n, c.mandatory, Config{}, c.now)
			if !reflect.DeepEqual(kinds(got), c.want) {
				t.Fatalf("alerts = %v, want %v", kinds(got), c.want)
			}
			for _, a := range got {
				d := arrest.Add(72 * time.Hour)
				if a.NotificationID != "n" || a.EpisodeID != "ep" || a.CaseID != "case" || a.OrgID != "org" ||
					a.Priority != PriorityHigh || !a.Since.Equal(d) || !a.Due.Equal(d) {
					t.Errorf("alert %+v", a)
				}
			}
		})
	}
}

func TestComplianceRates(t *testing.T) {
	rec := func(nat, auth string, told, notified Status, required Answer, against bool) ComplianceRecord {
		return ComplianceRecord{Nationality: nat, Authority: auth, Compliance: Compliance{Told: told, Notified: notified,
			NotificationRequired: required, NotifiedAgainstWish: against}}
	}
	records := []ComplianceRecord{
		rec("GTM", "INM", StatusInTime, StatusInTime, Yes, false),
		rec("GTM", "INM", StatusLate, StatusLate, Yes, false),
		rec("GTM", "SSPC", StatusOverdue, StatusOverdue, Yes, false),
		rec("GTM", "", StatusPending, StatusPending, Yes, false),
		rec("HND", "INM", StatusInTime, StatusNotRequired, No, true),
		rec("HND", "INM", StatusInTime, StatusUndetermined, Unknown, false),
		rec("SLV", "", StatusPending, StatusUndetermined, Unknown, false),
	}
	byNat := ComplianceRates(records, ByNationality)
	want := []ComplianceRate{
		{Key: "GTM", Records: 4, ToldInTime: 1, ToldLate: 1, NotTold: 1, ToldPending: 1, NotificationRequired: 4,
			NotifiedInTime: 1, NotifiedLate: 1, NotNotified: 1, NotifyPending: 1,
			ToldRate: Ratio{1, 3}, NotifiedRate: Ratio{1, 3}},
		{Key: "HND", Records: 2, ToldInTime: 2, NotificationNotRequired: 1, NotificationUndetermined: 1,
			NotifiedAgainstWish: 1, ToldRate: Ratio{2, 2}, NotifiedRate: Ratio{0, 0}},
		{Key: "SLV", Records: 1, ToldPending: 1, NotificationUndetermined: 1, ToldRate: Ratio{0, 0}, NotifiedRate: Ratio{0, 0}},
	}
	if !reflect.DeepEqual(byNat, want) {
		t.Errorf("by nationality\n%+v\nwant\n%+v", byNat, want)
	}

	byAuth := ComplianceRates(records, ByAuthority)
	var keys []string
	for _, r := range byAuth {
		keys = append(keys, r.Key)
	}
	if !reflect.DeepEqual(keys, []string{"", "INM", "SSPC"}) {
		t.Fatalf("authority keys %q", keys)
	}
	if inm := byAuth[1]; inm.Records != 4 || inm.ToldRate != (Ratio{3, 4}) || inm.NotifiedRate != (Ratio{1, 2}) {
		t.Errorf("INM %+v", inm)
	}
	if unknown := byAuth[0]; unknown.Records != 2 || unknown.ToldRate != (Ratio{0, 0}) {
		t.Errorf("unrecorded authority %+v", unknown)
	}

	total := ComplianceRates(records, ByTotal)
	if len(total) != 1 || total[0].Key != "" || total[0].Records != 7 || total[0].ToldRate != (Ratio{3, 5}) ||
		total[0].NotifiedRate != (Ratio{1, 3}) || total[0].NotificationRequired != 4 {
		t.Errorf("total %+v", total)
	}
	if got := ComplianceRates(nil, ByNationality); len(got) != 0 {
		t.Errorf("no records gave %v", got)
	}

	for _, c := range []struct {
		r    Ratio
		v    float64
		okay bool
	}{{Ratio{1, 4}, 0.25, true}, {Ratio{0, 3}, 0, true}, {Ratio{3, 3}, 1, true}, {Ratio{0, 0}, 0, false}} {
		if v, ok := c.r.Value(); v != c.v || ok != c.okay {
			t.Errorf("%+v.Value() = %v, %v", c.r, v, ok)
		}
	}
}

// TestComplianceFromAssess runs the two together, as the service does.
func TestComplianceFromAssess(t *testing.T) {
	arrest := at(t, "2026-03-01T00:00:00Z")
	now := arrest.AddDate(0, 1, 0)
	var records []ComplianceRecord
	for i, n := range []NotificationInput{
		{Nationality: "GTM", ArrestedAt: arrest, ToldAt: new(arrest.Add(time.Hour)), Requested: new(true), NotifiedAt: new(arrest.Add(time.Hour))},
		{Nationality: "GTM", ArrestedAt: arrest, ToldAt: new(arrest.Add(100 * time.Hour)), Requested: new(true)},
		{Nationality: "CHN", ArrestedAt: arrest},
	} {
		c := Assess(Notification{NotificationInput: n}, i == 2, Config{}, now)
		records = append(records, ComplianceRecord{Nationality: n.Nationality, Authority: "A", Compliance: c})
	}
	got := ComplianceRates(records, ByNationality)
	if got[0].Key != "CHN" || got[0].NotNotified != 1 || got[0].NotTold != 1 || got[0].NotifiedRate != (Ratio{0, 1}) {
		t.Errorf("CHN %+v", got[0])
	}
	if got[1].Key != "GTM" || got[1].ToldRate != (Ratio{1, 2}) || got[1].NotifiedRate != (Ratio{1, 2}) {
		t.Errorf("GTM %+v", got[1])
	}
}
