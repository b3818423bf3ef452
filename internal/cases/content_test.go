// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/vault"
)

// sentinel returns a unique marker for a sensitive fixture field
// (SECURITY-BAR 9: SNTL-<field>-<id>).
func sentinel(field string) string { return "SNTL-" + field + "-" + ids.New() }

// pngWith is a file that starts like a PNG and carries text after the
// signature.
func pngWith(text string) []byte {
	return append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), text...)
}

func TestSealedContentRoundTripsAndStaysSealed(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		id := f.c1.ID
		noteText := sentinel("note") + "\nsegunda línea — تجربة"
		title := sentinel("task")
		fileName := sentinel("filename") + ".png"
		content := pngWith(sentinel("content"))

		note, err := e.svc.AddNote(ctx, f.cw1, id, "  "+noteText+"\n")
		if err != nil || note.Body != noteText || note.AuthorID != f.cw1.UserID || note.CaseID != id {
			t.Fatalf("AddNote: %+v %v", note, err)
		}
		e.clock.Advance(time.Minute)
		second, err := e.svc.AddNote(ctx, f.sup1, id, "second note")
		if err != nil {
			t.Fatal(err)
		}
		due := e.clock.Now().Add(72 * time.Hour)
		task, err := e.svc.AddTask(ctx, f.cw1, id, cases.NewTask{Title: title, DueAt: due})
		if err != nil || task.Title != title || task.AssigneeID != f.cw1.UserID || !task.DueAt.Equal(due) || task.DoneAt != nil {
			t.Fatalf("AddTask: %+v %v", task, err)
		}
		att, err := e.svc.AddAttachment(ctx, f.cw1, id, `C:\scans\`+fileName, content)
		if err != nil || att.Name != fileName || att.MediaType != cases.MediaPNG || att.Size != int64(len(content)) {
			t.Fatalf("AddAttachment: %+v %v", att, err)
		}

		for _, p := range []access.Principal{f.cw1, f.sup1} {
			notes, err := e.svc.Notes(ctx, p, id)
			if err != nil || len(notes) != 2 || notes[0] != second || notes[1] != note {
				t.Errorf("Notes: %+v %v", notes, err)
			}
			tasks, err := e.svc.Tasks(ctx, p, id)
			if err != nil || len(tasks) != 1 || tasks[0] != task {
				t.Errorf("Tasks: %+v %v; want %+v", tasks, err, task)
			}
			list, err := e.svc.Attachments(ctx, p, id)
			if err != nil || len(list) != 1 || list[0] != att {
				t.Errorf("Attachments: %+v %v", list, err)
			}
			got, body, err := e.svc.OpenAttachment(ctx, p, att.ID)
			if err != nil || got != att || !bytes.Equal(body, content) {
				t.Errorf("OpenAttachment: %+v %v", got, err)
			}
		}
		for _, p := range []access.Principal{f.cw2, f.sup2, f.outsiderSup} {
			_, err := e.svc.Notes(ctx, p, id)
			wantErr(t, err, cases.ErrNotFound)
			_, err = e.svc.Tasks(ctx, p, id)
			wantErr(t, err, cases.ErrNotFound)
			_, err = e.svc.Attachments(ctx, p, id)
			wantErr(t, err, cases.ErrNotFound)
			_, _, err = e.svc.OpenAttachment(ctx, p, att.ID)
			wantErr(t, err, cases.ErrNotFound)
		}

		// Every write and every read of sealed content is in the case's
		// history, by field name.
		h := e.history(f.cw1, id)
		want := []string{"case.create:number,owner_id,status,team_id,risk,concerns", "case.note_add:note", "case.note_add:note",
			"case.task_add:task,task.title,task.assignee_id,task.due_at",
			"case.attachment_add:attachment,attachment.name,attachment.content"}
		for range 2 {
			want = append(want, "case.read:note", "case.read:task.title", "case.read:attachment.name",
				"case.read:attachment.name,attachment.content")
		}
		if !slices.Equal(h, want) {
			t.Errorf("history\n%v\nwant\n%v", h, want)
		}

		// Nothing sensitive is in clear anywhere in the database, the audit
		// log included.
		markers := []string{noteText[:31], title, fileName, string(content[16:])}
		if e.db.SQLitePath != "" {
			for _, suffix := range []string{"", "-wal"} {
				b, err := os.ReadFile(e.db.SQLitePath + suffix)
				if err != nil && !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
				for _, m := range append(markers, "SNTL-") {
					if bytes.Contains(b, []byte(m)) {
						t.Errorf("%q is in clear in the database file%s", m, suffix)
					}
				}
			}
		}
		for _, q := range []string{`SELECT body_enc FROM case_notes`, `SELECT title_enc FROM case_tasks`,
			`SELECT name_enc FROM case_attachments`, `SELECT content_enc FROM case_attachments`} {
			rows, err := e.db.Query(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					t.Fatal(err)
				}
				if bytes.Contains(b, []byte("SNTL-")) {
					t.Errorf("%s holds a sentinel in clear", q)
				}
			}
			_ = rows.Close()
		}
		entries, _, err := e.audit.List(ctx, audit.Filter{Limit: audit.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			if strings.Contains(strings.Join(en.Fields, ","), "SNTL") {
				t.Errorf("audit entry %d holds a sentinel", en.Seq)
			}
		}

		// A sealed value copied to another row does not open there.
		if _, err := e.db.Exec(ctx, `UPDATE case_notes SET body_enc = (SELECT body_enc FROM case_notes WHERE id = ?) WHERE id = ?`,
			note.ID, second.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Notes(ctx, f.cw1, id)
		wantErr(t, err, vault.ErrTampered)
		e.checkCopies()
	})
}

func TestErasedCaseKeyLeavesMarkers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		id := f.c1.ID
		if _, err := e.svc.AddNote(ctx, f.cw1, id, "note"); err != nil {
			t.Fatal(err)
		}
		att, err := e.svc.AddAttachment(ctx, f.cw1, id, "scan.pdf", []byte("%PDF-1.4\n"))
		if err != nil {
			t.Fatal(err)
		}
		var keyID string
		if err := e.db.Scan(e.db.QueryRow(ctx, `SELECT data_key_id FROM cases WHERE id = ?`, id), &keyID); err != nil {
			t.Fatal(err)
		}
		if err := e.vault.EraseKey(ctx, e.db, keyID); err != nil {
			t.Fatal(err)
		}
		notes, err := e.svc.Notes(ctx, f.cw1, id)
		if err != nil || len(notes) != 1 || notes[0].Body != cases.ErasedMarker {
			t.Errorf("notes after erasure: %+v %v", notes, err)
		}
		list, err := e.svc.Attachments(ctx, f.cw1, id)
		if err != nil || len(list) != 1 || list[0].Name != cases.ErasedMarker {
			t.Errorf("attachments after erasure: %+v %v", list, err)
		}
		_, _, err = e.svc.OpenAttachment(ctx, f.cw1, att.ID)
		wantErr(t, err, vault.ErrErased)
		_, err = e.svc.AddNote(ctx, f.cw1, id, "more")
		wantErr(t, err, vault.ErrErased)
	})
}

func TestAttachmentChecks(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		id := f.c1.ID
		pdf := []byte("%PDF-1.7\n")
		rows := []struct {
			name, file  string
			content     []byte
			field, code string
		}{
			{"empty", "a.pdf", nil, "content", cases.CodeEmpty},
			{"too large", "a.pdf", append(slices.Clone(pdf), make([]byte, cases.MaxAttachmentSize)...), "content", cases.CodeTooLarge},
			{"gif", "a.gif", []byte("GIF89a..."), "content", cases.CodeUnsupportedType},
			{"html named pdf", "a.pdf", []byte("<html><script>alert(1)</script>"), "content", cases.CodeUnsupportedType},
			{"no name", "  ", pdf, "name", cases.CodeRequired},
			{"only a folder", "scans/", pdf, "name", cases.CodeRequired},
			{"control character", "a\x00.pdf", pdf, "name", cases.CodeControlChars},
			{"long name", strings.Repeat("n", cases.MaxFileNameLength) + ".pdf", pdf, "name", cases.CodeTooLong},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				_, err := e.svc.AddAttachment(ctx, f.cw1, id, r.file, r.content)
				wantValidation(t, err, r.field, r.code)
			})
		}
		for _, c := range []struct {
			content []byte
			want    string
		}{
			{append([]byte{0xFF, 0xD8, 0xFF, 0xE1}, "Exif"...), cases.MediaJPEG},
			{pngWith("x"), cases.MediaPNG},
			{pdf, cases.MediaPDF},
			{append(slices.Clone(pdf), make([]byte, cases.MaxAttachmentSize-len(pdf))...), cases.MediaPDF},
		} {
			a, err := e.svc.AddAttachment(ctx, f.cw1, id, "file", c.content)
			if err != nil || a.MediaType != c.want || a.Size != int64(len(c.content)) {
				t.Errorf("%s: %+v %v", c.want, a, err)
			}
		}
		_, _, err := e.svc.OpenAttachment(ctx, f.cw1, ids.New())
		wantErr(t, err, cases.ErrNotFound)
	})
}

func TestTasksAndDueTasks(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		now := e.clock.Now()
		analyst := e.member(f.cw1.OrgID, access.RoleAnalyst, "")
		add := func(p access.Principal, caseID string, in cases.NewTask) cases.Task {
			t.Helper()
			task, err := e.svc.AddTask(ctx, p, caseID, in)
			if err != nil {
				t.Fatalf("AddTask: %v", err)
			}
			return task
		}
		for _, r := range []struct {
			name        string
			in          cases.NewTask
			field, code string
		}{
			{"no title", cases.NewTask{DueAt: now}, "title", cases.CodeRequired},
			{"no due date", cases.NewTask{Title: "call"}, "due_at", cases.CodeRequired},
			{"title with a line break", cases.NewTask{Title: "call\nback", DueAt: now}, "title", cases.CodeControlChars},
			{"assignee of another organisation", cases.NewTask{Title: "call", DueAt: now, AssigneeID: f.outsider.UserID}, "assignee_id", cases.CodeNotFound},
			{"assignee who cannot read cases", cases.NewTask{Title: "call", DueAt: now, AssigneeID: analyst.UserID}, "assignee_id", cases.CodeCannotAccess},
			{"caseworker who cannot read this case", cases.NewTask{Title: "call", DueAt: now, AssigneeID: f.cw2.UserID}, "assignee_id", cases.CodeCannotAccess},
			{"supervisor of another team", cases.NewTask{Title: "call", DueAt: now, AssigneeID: f.sup2.UserID}, "assignee_id", cases.CodeCannotAccess},
		} {
			t.Run(r.name, func(t *testing.T) {
				_, err := e.svc.AddTask(ctx, f.sup1, f.c1.ID, r.in)
				wantValidation(t, err, r.field, r.code)
			})
		}

		overdue := add(f.sup1, f.c1.ID, cases.NewTask{Title: "visit the detention centre", DueAt: now.Add(-24 * time.Hour)})
		soon := add(f.cw1, f.c1.ID, cases.NewTask{Title: "call the consulate", DueAt: now.Add(48 * time.Hour)})
		later := add(f.cw1, f.c1.ID, cases.NewTask{Title: "follow up", DueAt: now.Add(30 * 24 * time.Hour)})
		forSup := add(f.cw1, f.c1.ID, cases.NewTask{Title: "review the plan", DueAt: now, AssigneeID: f.sup1.UserID})
		onC2 := add(f.sup1, f.c2.ID, cases.NewTask{Title: "book an interpreter", DueAt: now.Add(time.Hour), AssigneeID: f.sup1.UserID})
		if overdue.AssigneeID != f.cw1.UserID {
			t.Errorf("a task without assignee goes to the case's owner, not %q", overdue.AssigneeID)
		}

		dueIDs := func(p access.Principal, until time.Time) []string {
			t.Helper()
			list, err := e.svc.DueTasks(ctx, p, until, 0)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, d := range list {
				out = append(out, d.ID)
				if d.Title == "" || d.CaseNumber == "" {
					t.Errorf("due task %+v lacks its title or case number", d)
				}
			}
			return out
		}
		week := now.Add(7 * 24 * time.Hour)
		if got := dueIDs(f.cw1, week); !slices.Equal(got, []string{overdue.ID, soon.ID}) {
			t.Errorf("caseworker's week: %v", got)
		}
		if got := dueIDs(f.sup1, week); !slices.Equal(got, []string{forSup.ID, onC2.ID}) {
			t.Errorf("supervisor's week: %v", got)
		}
		if got := dueIDs(f.outsider, week); len(got) != 0 {
			t.Errorf("another organisation's week: %v", got)
		}

		// Done tasks leave the inbox, and come back when opened again.
		done, err := e.svc.SetTaskDone(ctx, f.cw1, soon.ID, true)
		if err != nil || done.DoneAt == nil || done.DoneBy != f.cw1.UserID || done.Title != soon.Title {
			t.Fatalf("done: %+v %v", done, err)
		}
		if got := dueIDs(f.cw1, week); !slices.Equal(got, []string{overdue.ID}) {
			t.Errorf("after done: %v", got)
		}
		if again, err := e.svc.SetTaskDone(ctx, f.cw1, soon.ID, false); err != nil || again.DoneAt != nil {
			t.Fatalf("undone: %+v %v", again, err)
		}
		_, err = e.svc.SetTaskDone(ctx, f.cw2, soon.ID, true)
		wantErr(t, err, cases.ErrNotFound)
		_, err = e.svc.SetTaskDone(ctx, f.cw1, ids.New(), true)
		wantErr(t, err, cases.ErrNotFound)

		// Moving the due date and the assignee.
		nextWeek, title := now.Add(8*24*time.Hour), "follow up with the lawyer"
		to := f.sup1.UserID
		upd, err := e.svc.UpdateTask(ctx, f.sup1, later.ID, cases.TaskChanges{DueAt: &now, Title: &title})
		if err != nil || !upd.DueAt.Equal(now) || upd.Title != title {
			t.Fatalf("UpdateTask: %+v %v", upd, err)
		}
		if _, err := e.svc.UpdateTask(ctx, f.sup1, later.ID, cases.TaskChanges{AssigneeID: &to, DueAt: &nextWeek}); err != nil {
			t.Fatal(err)
		}
		bad := f.cw2.UserID
		_, err = e.svc.UpdateTask(ctx, f.sup1, later.ID, cases.TaskChanges{AssigneeID: &bad})
		wantValidation(t, err, "assignee_id", cases.CodeCannotAccess)
		_, err = e.svc.UpdateTask(ctx, f.cw2, later.ID, cases.TaskChanges{Title: &title})
		wantErr(t, err, cases.ErrNotFound)
		if got := dueIDs(f.sup1, week.Add(2*24*time.Hour)); !slices.Equal(got, []string{forSup.ID, onC2.ID, later.ID}) {
			t.Errorf("supervisor's inbox after reassignment: %v", got)
		}
		// Tasks of a closed case leave the inbox.
		if _, err := e.svc.RequestClosure(ctx, f.cw2, f.c2.ID, cases.ClosureDuplicate); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ApproveClosure(ctx, f.sup1, f.c2.ID); err != nil {
			t.Fatal(err)
		}
		if got := dueIDs(f.sup1, week); !slices.Equal(got, []string{forSup.ID}) {
			t.Errorf("inbox with a closed case: %v", got)
		}
		tasks, err := e.svc.Tasks(ctx, f.cw1, f.c1.ID)
		if err != nil || len(tasks) != 4 || tasks[0].ID != overdue.ID || tasks[3].ID != later.ID {
			t.Errorf("Tasks by due date: %v", err)
		}
		// Reading the inbox is a read of the titles, audited per case.
		entries, _, err := e.audit.List(ctx, audit.Filter{ActorID: f.outsider.UserID})
		if err != nil || len(entries) != 0 {
			t.Errorf("an empty inbox audited %d reads (%v)", len(entries), err)
		}
		h := e.history(f.cw1, f.c1.ID)
		for _, w := range []string{"case.task_done:task.done", "case.task_undone:task.done",
			"case.task_update:task.title,task.due_at", "case.task_update:task.assignee_id,task.due_at"} {
			if !slices.Contains(h, w) {
				t.Errorf("history lacks %q: %v", w, h)
			}
		}
		e.checkCopies()
	})
}

func TestAnotherOrganisationGetsNotFound(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		id := f.c1.ID
		task, err := e.svc.AddTask(ctx, f.cw1, id, cases.NewTask{Title: "t", DueAt: e.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		att, err := e.svc.AddAttachment(ctx, f.cw1, id, "a.pdf", []byte("%PDF-1.4"))
		if err != nil {
			t.Fatal(err)
		}
		person := e.person(f.outsider.OrgID)
		risk, title, owner := cases.RiskLow, "x", f.outsider.UserID
		calls := map[string]func(p access.Principal) error{
			"Get":   func(p access.Principal) error { _, err := e.svc.Get(ctx, p, id); return err },
			"Reach": func(p access.Principal) error { _, err := e.svc.Reach(ctx, p, id, cases.PermRead); return err },
			"Update": func(p access.Principal) error {
				_, err := e.svc.Update(ctx, p, id, cases.Changes{Risk: &risk})
				return err
			},
			"Update owner": func(p access.Principal) error {
				_, err := e.svc.Update(ctx, p, id, cases.Changes{OwnerID: &owner})
				return err
			},
			"ChangeStatus": func(p access.Principal) error {
				_, err := e.svc.ChangeStatus(ctx, p, id, cases.StatusAssessment)
				return err
			},
			"RequestClosure": func(p access.Principal) error {
				_, err := e.svc.RequestClosure(ctx, p, id, cases.ClosureOther)
				return err
			},
			"ApproveClosure": func(p access.Principal) error { _, err := e.svc.ApproveClosure(ctx, p, id); return err },
			"RejectClosure":  func(p access.Principal) error { _, err := e.svc.RejectClosure(ctx, p, id); return err },
			"LinkPerson": func(p access.Principal) error {
				_, err := e.svc.LinkPerson(ctx, p, id, cases.PersonLinkInput{PersonID: person, Role: cases.RolePrincipal})
				return err
			},
			"UnlinkPerson": func(p access.Principal) error { _, err := e.svc.UnlinkPerson(ctx, p, id, person); return err },
			"AddNote":      func(p access.Principal) error { _, err := e.svc.AddNote(ctx, p, id, "n"); return err },
			"Notes":        func(p access.Principal) error { _, err := e.svc.Notes(ctx, p, id); return err },
			"AddTask": func(p access.Principal) error {
				_, err := e.svc.AddTask(ctx, p, id, cases.NewTask{Title: "t", DueAt: e.clock.Now()})
				return err
			},
			"UpdateTask": func(p access.Principal) error {
				_, err := e.svc.UpdateTask(ctx, p, task.ID, cases.TaskChanges{Title: &title})
				return err
			},
			"SetTaskDone": func(p access.Principal) error { _, err := e.svc.SetTaskDone(ctx, p, task.ID, true); return err },
			"Tasks":       func(p access.Principal) error { _, err := e.svc.Tasks(ctx, p, id); return err },
			"AddAttachment": func(p access.Principal) error {
				_, err := e.svc.AddAttachment(ctx, p, id, "a.pdf", []byte("%PDF-"))
				return err
			},
			"Attachments":      func(p access.Principal) error { _, err := e.svc.Attachments(ctx, p, id); return err },
			"OpenAttachment":   func(p access.Principal) error { _, _, err := e.svc.OpenAttachment(ctx, p, att.ID); return err },
			"History":          func(p access.Principal) error { _, err := e.svc.History(ctx, p, id); return err },
			"OfferTransfer":    func(p access.Principal) error { _, err := e.svc.OfferTransfer(ctx, p, id, p.OrgID); return err },
			"HistoryPage":      func(p access.Principal) error { _, _, err := e.svc.HistoryPage(ctx, p, id, 0, 10); return err },
			"Reach for update": func(p access.Principal) error { _, err := e.svc.Reach(ctx, p, id, cases.PermUpdate); return err },
		}
		before := e.history(f.cw1, id)
		for name, call := range calls {
			for _, p := range []access.Principal{f.outsider, f.outsiderSup} {
				t.Run(name+"/"+p.Role, func(t *testing.T) { wantErr(t, call(p), cases.ErrNotFound) })
			}
		}
		if h := e.history(f.cw1, id); !slices.Equal(h, before) {
			t.Errorf("refused calls changed the history: %v", h)
		}
		got, err := e.svc.Get(ctx, f.cw1, id)
		if err != nil || got.Status != cases.StatusNew || got.Risk != f.c1.Risk || got.OwnerID != f.cw1.UserID {
			t.Errorf("refused calls changed the case: %+v %v", got, err)
		}
	})
}
