// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/i18n"
)

// Error codes of the framework forms, about the whole form.
const (
	errFrameworkExists = "framework_exists"
	errNodeExists      = "node_exists"
	errLinkExists      = "link_exists"
)

// langField names a language of the titles and summaries, in that
// language, for the form's labels.
type langField struct{ Code, Name, Dir string }

func langFields() []langField {
	out := make([]langField, 0, len(i18n.Languages))
	for _, l := range i18n.Languages {
		out = append(out, langField{Code: l.Code, Name: l.Name, Dir: l.Dir})
	}
	return out
}

// textValues reads the six titles or summaries of a form, field.<lang>.
func textValues(form url.Values, field string, values map[string]string) map[string]string {
	m := map[string]string{}
	for _, l := range frameworks.Languages {
		v := form.Get(field + "." + l)
		values[field+"."+l] = v
		m[l] = v
	}
	return m
}

// textFormValues puts texts into a form's values.
func textFormValues(values map[string]string, field string, m map[string]string) {
	for l, v := range m {
		values[field+"."+l] = v
	}
}

// frameworkFormData is the form that adds or edits a framework, or one
// of its nodes (Node true).
type frameworkFormData struct {
	Node bool
	// Code is the framework's or node's code, "" when adding.
	Code string
	// Framework is the node's framework; Parents are the nodes it may go
	// under.
	Framework fwView
	Parents   []option
	Langs     []langField
}

func (w *Web) frameworkNewForm(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, pageFrameworkForm, view{Data: &frameworkFormData{Langs: langFields()}})
}

// editableFramework reads the framework the path names, refusing a
// shipped one.
func (w *Web) editableFramework(r *http.Request) (frameworks.Framework, error) {
	f, err := w.fw.Framework(r.Context(), r.PathValue("code"))
	if err == nil && f.Shipped {
		err = frameworks.ErrShipped
	}
	return f, err
}

func (w *Web) frameworkEditForm(rw http.ResponseWriter, r *http.Request) {
	f, err := w.editableFramework(r)
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	values := map[string]string{"symbol": f.Symbol}
	textFormValues(values, "title", f.Titles)
	textFormValues(values, "summary", f.Summaries)
	w.render(rw, r, http.StatusOK, pageFrameworkForm, view{Data: &frameworkFormData{Code: f.Code, Langs: langFields()}, Values: values})
}

func (w *Web) frameworkCreate(rw http.ResponseWriter, r *http.Request) { w.saveFramework(rw, r, "") }

func (w *Web) frameworkUpdate(rw http.ResponseWriter, r *http.Request) {
	if _, err := w.editableFramework(r); err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	w.saveFramework(rw, r, r.PathValue("code"))
}

func (w *Web) saveFramework(rw http.ResponseWriter, r *http.Request, code string) {
	data := &frameworkFormData{Code: code, Langs: langFields()}
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageFrameworkForm, view{Data: data, Error: errBadRequest})
		return
	}
	values := map[string]string{"code": strings.TrimSpace(r.PostForm.Get("code")), "symbol": r.PostForm.Get("symbol")}
	in := frameworks.FrameworkInput{Code: values["code"], Symbol: values["symbol"],
		Titles: textValues(r.PostForm, "title", values), Summaries: textValues(r.PostForm, "summary", values)}
	p := authn.PrincipalFrom(r.Context())
	var f frameworks.Framework
	var err error
	if code == "" {
		f, err = w.fw.CreateFramework(r.Context(), p, in)
	} else {
		f, err = w.fw.UpdateFramework(r.Context(), p, code, in)
	}
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve):
		w.render(rw, r, http.StatusUnprocessableEntity, pageFrameworkForm, view{Data: data, Fields: fieldMap(ve), Values: values})
	case errors.Is(err, frameworks.ErrConflict):
		w.render(rw, r, http.StatusConflict, pageFrameworkForm, view{Data: data, Error: errFrameworkExists, Values: values})
	case err != nil:
		w.frameworksFail(rw, r, err)
	default:
		http.Redirect(rw, r, "/frameworks/"+f.Code, http.StatusSeeOther)
	}
}

// fieldMap turns a validation error into a field → code map; a field
// with several errors shows the first.
func fieldMap(ve *fielderr.Error) map[string]string {
	m := make(map[string]string, len(ve.Errors))
	for _, fe := range ve.Errors {
		if _, ok := m[fe.Field]; !ok {
			m[fe.Field] = fe.Code
		}
	}
	return m
}

// frameworkConfirmData is the page that asks before something is deleted.
type frameworkConfirmData struct {
	// Kind is "framework", "node" or "link": the words of the page.
	Kind string
	// What names what goes; Linked, for a link, the node at its other end.
	What, Linked   string
	Action, Cancel string
	// Other is the other end of a link, sent back with the form.
	Other string
}

func (w *Web) frameworkDeleteForm(rw http.ResponseWriter, r *http.Request) {
	f, err := w.editableFramework(r)
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageFrameworkConfirm, view{Data: &frameworkConfirmData{Kind: "framework",
		What: f.Code + " — " + f.Title(w.locale(r).Code()), Action: "/frameworks/" + f.Code + "/delete", Cancel: "/frameworks/" + f.Code}})
}

func (w *Web) frameworkDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.fw.DeleteFramework(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("code")); err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/frameworks", http.StatusSeeOther)
}

func (w *Web) nodeForm(r *http.Request, f frameworks.Framework, code string) (*frameworkFormData, error) {
	lang := w.locale(r).Code()
	tree, err := w.fw.Tree(r.Context(), f.Code)
	if err != nil {
		return nil, err
	}
	d := &frameworkFormData{Node: true, Framework: viewFramework(f, lang), Code: code, Langs: langFields()}
	self := frameworks.NodeID(f.Code, code)
	for _, n := range tree.Nodes {
		if n.ID != self {
			d.Parents = append(d.Parents, option{Value: n.ID, Label: strings.Repeat("· ", n.Depth) + n.Code + " — " + n.Title(lang)})
		}
	}
	return d, nil
}

func (w *Web) nodeNewForm(rw http.ResponseWriter, r *http.Request) {
	f, err := w.editableFramework(r)
	var d *frameworkFormData
	if err == nil {
		d, err = w.nodeForm(r, f, "")
	}
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageFrameworkForm, view{Data: d, Values: map[string]string{"parent": r.URL.Query().Get("parent")}})
}

func (w *Web) nodeEditForm(rw http.ResponseWriter, r *http.Request) {
	f, n, err := w.frameworkNodeOf(r)
	if err == nil && f.Shipped {
		err = frameworks.ErrShipped
	}
	var d *frameworkFormData
	if err == nil {
		d, err = w.nodeForm(r, f, n.Code)
	}
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	values := map[string]string{"parent": n.ParentID, "position": strconv.Itoa(n.Position), "cites": n.Cites}
	textFormValues(values, "title", n.Titles)
	textFormValues(values, "summary", n.Summaries)
	w.render(rw, r, http.StatusOK, pageFrameworkForm, view{Data: d, Values: values})
}

func (w *Web) nodeCreate(rw http.ResponseWriter, r *http.Request) { w.saveNode(rw, r, false) }

func (w *Web) nodeUpdate(rw http.ResponseWriter, r *http.Request) { w.saveNode(rw, r, true) }

func (w *Web) saveNode(rw http.ResponseWriter, r *http.Request, editing bool) {
	f, err := w.editableFramework(r)
	code := ""
	if err == nil && editing {
		var n frameworks.Node
		if n, err = w.fw.Node(r.Context(), frameworks.NodeID(f.Code, r.PathValue("node"))); err == nil {
			code = n.Code
		}
	}
	var d *frameworkFormData
	if err == nil {
		d, err = w.nodeForm(r, f, code)
	}
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageFrameworkForm, view{Data: d, Error: errBadRequest})
		return
	}
	form := r.PostForm
	values := map[string]string{"code": strings.TrimSpace(form.Get("code")), "parent": form.Get("parent"),
		"position": strings.TrimSpace(form.Get("position")), "cites": form.Get("cites")}
	in := frameworks.NodeInput{Code: values["code"], ParentID: values["parent"], Cites: values["cites"],
		Titles: textValues(form, "title", values), Summaries: textValues(form, "summary", values)}
	if values["position"] != "" {
		pos, perr := strconv.Atoi(values["position"])
		if perr != nil {
			w.render(rw, r, http.StatusUnprocessableEntity, pageFrameworkForm, view{Data: d,
				Fields: map[string]string{"position": errOutOfRange}, Values: values})
			return
		}
		in.Position = pos
	}
	p := authn.PrincipalFrom(r.Context())
	var n frameworks.Node
	if editing {
		n, err = w.fw.UpdateNode(r.Context(), p, frameworks.NodeID(f.Code, code), in)
	} else {
		n, err = w.fw.CreateNode(r.Context(), p, f.Code, in)
	}
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve):
		w.render(rw, r, http.StatusUnprocessableEntity, pageFrameworkForm, view{Data: d, Fields: fieldMap(ve), Values: values})
	case errors.Is(err, frameworks.ErrConflict):
		w.render(rw, r, http.StatusConflict, pageFrameworkForm, view{Data: d, Error: errNodeExists, Values: values})
	case err != nil:
		w.frameworksFail(rw, r, err)
	default:
		http.Redirect(rw, r, nodeHref(n), http.StatusSeeOther)
	}
}

func (w *Web) nodeDeleteForm(rw http.ResponseWriter, r *http.Request) {
	f, n, err := w.frameworkNodeOf(r)
	if err == nil && f.Shipped {
		err = frameworks.ErrShipped
	}
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageFrameworkConfirm, view{Data: &frameworkConfirmData{Kind: "node",
		What: n.ID + " — " + n.Title(w.locale(r).Code()), Action: nodeHref(n) + "/delete", Cancel: nodeHref(n)}})
}

func (w *Web) nodeDelete(rw http.ResponseWriter, r *http.Request) {
	_, n, err := w.frameworkNodeOf(r)
	if err == nil {
		err = w.fw.DeleteNode(r.Context(), authn.PrincipalFrom(r.Context()), n.ID)
	}
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/frameworks/"+n.Framework, http.StatusSeeOther)
}

// linkAdd links the node of the path to the node the form names.
func (w *Web) linkAdd(rw http.ResponseWriter, r *http.Request) {
	_, n, err := w.frameworkNodeOf(r)
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	other := r.PostForm.Get("other")
	err = w.fw.AddLink(r.Context(), authn.PrincipalFrom(r.Context()), n.ID, other)
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve), errors.Is(err, frameworks.ErrConflict):
		d, perr := w.nodePage(r)
		if perr != nil {
			w.frameworksFail(rw, r, perr)
			return
		}
		v := view{Data: d, Values: map[string]string{"other": other}}
		status := http.StatusUnprocessableEntity
		if ve != nil {
			// The form has one field, whichever end the domain names.
			v.Fields = map[string]string{"other": ve.Errors[0].Code}
		} else {
			v.Error, status = errLinkExists, http.StatusConflict
		}
		w.render(rw, r, status, pageFrameworkNode, v)
	case err != nil:
		w.frameworksFail(rw, r, err)
	default:
		http.Redirect(rw, r, nodeHref(n)+"#links", http.StatusSeeOther)
	}
}

func (w *Web) linkDeleteForm(rw http.ResponseWriter, r *http.Request) {
	_, n, err := w.frameworkNodeOf(r)
	var other frameworks.Node
	if err == nil {
		other, err = w.fw.Node(r.Context(), r.URL.Query().Get("other"))
	}
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	lang := w.locale(r).Code()
	w.render(rw, r, http.StatusOK, pageFrameworkConfirm, view{Data: &frameworkConfirmData{Kind: "link",
		What: n.ID + " — " + n.Title(lang), Linked: other.ID + " — " + other.Title(lang),
		Action: nodeHref(n) + "/links/delete", Cancel: nodeHref(n) + "#links", Other: other.ID}})
}

func (w *Web) linkDelete(rw http.ResponseWriter, r *http.Request) {
	_, n, err := w.frameworkNodeOf(r)
	if err == nil && !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	if err == nil {
		err = w.fw.RemoveLink(r.Context(), authn.PrincipalFrom(r.Context()), n.ID, r.PostForm.Get("other"))
	}
	if err != nil {
		w.frameworksFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, nodeHref(n)+"#links", http.StatusSeeOther)
}
