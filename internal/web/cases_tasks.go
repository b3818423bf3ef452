// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
)

// caseTasksData is the tasks tab: the case's tasks by due date, and the
// form that adds one.
type caseTasksData struct {
	caseTab
	Tasks []cases.Task
	// Assignees are the users the reader may assign a task to.
	Assignees []option
	// Me is the reader, who may mark the tasks assigned to them done
	// without CanUpdate.
	Me string
}

// caseTasksTab shows the tasks tab. Reading the titles is audited.
func (w *Web) caseTasksTab(rw http.ResponseWriter, r *http.Request) {
	w.renderTasks(rw, r, http.StatusOK, view{})
}

func (w *Web) renderTasks(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, tab, users, ok := w.loadTab(rw, r, "tasks")
	if !ok {
		return
	}
	p := authn.PrincipalFrom(r.Context())
	tasks, err := w.cas.Tasks(r.Context(), p, c.ID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	v.Data = &caseTasksData{caseTab: tab, Tasks: tasks, Assignees: users, Me: p.UserID}
	w.render(rw, r, status, pageCaseTasks, v)
}

// caseTaskAdd adds a task. The due date is a day; the task is due at its
// start (UTC).
func (w *Web) caseTaskAdd(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(map[string]string{"title": "title", "due_at": "due_at", "assignee_id": "assignee_id"}),
		show: func(status int, v view) { w.renderTasks(rw, r, status, v) }}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, "title", "due_at", "assignee_id")
	in := cases.NewTask{Title: form.values["title"], AssigneeID: form.values["assignee_id"]}
	if s := form.values["due_at"]; s != "" {
		due, err := time.Parse(time.DateOnly, s)
		if err != nil {
			form.fields = map[string]string{"due_at": codeInvalidDate}
		}
		in.DueAt = due
	}
	if !w.caseSaved(rw, r, form) {
		return
	}
	t, err := w.cas.AddTask(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(t.CaseID, "tasks"), http.StatusSeeOther)
	}
}

// caseTaskDone marks a task of the case done (done=true) or open again.
// The task must be one of the case's: the case's tasks are read first
// (audited), so that an address naming another case's task answers 404.
func (w *Web) caseTaskDone(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(nil), show: func(status int, v view) { w.renderTasks(rw, r, status, v) }}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	p := authn.PrincipalFrom(r.Context())
	caseID, taskID := r.PathValue("id"), r.PathValue("task")
	tasks, err := w.cas.Tasks(r.Context(), p, caseID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	if !slices.ContainsFunc(tasks, func(t cases.Task) bool { return t.ID == taskID }) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	_, err = w.cas.SetTaskDone(r.Context(), p, taskID, r.PostForm.Get("done") == "true")
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(caseID, "tasks")+"#task-"+taskID, http.StatusSeeOther)
	}
}
