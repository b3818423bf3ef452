// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestAdminAuditListsEveryAction reads the Go sources under internal/ and
// checks that every action and object type the code writes to the audit
// log is offered by the audit page's filter (and so has words of its own:
// TestAdminCodesHaveMessages). A new action must be added to
// adminAuditActions, a new object type to adminAuditObjectTypes. A value
// this reader cannot follow to its string constants fails too: write it
// as a constant, or teach the reader.
func TestAdminAuditListsEveryAction(t *testing.T) {
	t.Parallel()
	src, err := loadAuditSources(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	actions, types, errs := src.written()
	for _, err := range errs {
		t.Error(err)
	}
	// The reader must find the bulk of the log, or it is reading nothing.
	if len(actions) < 50 || len(types) < 10 {
		t.Fatalf("found only %d actions and %d object types in the sources", len(actions), len(types))
	}
	for _, a := range slices.Sorted(mapKeys(actions)) {
		if !slices.Contains(adminAuditActions, a) {
			t.Errorf("action %q (written at %s) is not in adminAuditActions", a, actions[a])
		}
	}
	for _, o := range slices.Sorted(mapKeys(types)) {
		if !slices.Contains(adminAuditObjectTypes, o) {
			t.Errorf("object type %q (written at %s) is not in adminAuditObjectTypes", o, types[o])
		}
	}
	for _, list := range [][]string{adminAuditActions, adminAuditObjectTypes} {
		if !slices.IsSorted(list) || len(slices.Compact(slices.Clone(list))) != len(list) {
			t.Errorf("list not sorted or with duplicates: %q", list)
		}
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

const auditModule = "github.com/amparo-project/amparo/"

// auditSources are the parsed non-test sources of the module's internal
// packages, by directory relative to the module root.
type auditSources struct {
	fset *token.FileSet
	pkgs map[string]*auditPkg
}

type auditPkg struct {
	dir    string
	files  []*ast.File
	consts map[string]auditConst
	vars   map[string]auditConst
	funcs  []auditFunc
}

type auditConst struct {
	expr ast.Expr
	file *ast.File
}

type auditFunc struct {
	decl *ast.FuncDecl
	file *ast.File
}

func loadAuditSources(root string) (*auditSources, error) {
	s := &auditSources{fset: token.NewFileSet(), pkgs: map[string]*auditPkg{}}
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(s.fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		p := s.pkgs[rel]
		if p == nil {
			p = &auditPkg{dir: rel, consts: map[string]auditConst{}, vars: map[string]auditConst{}}
			s.pkgs[rel] = p
		}
		p.files = append(p.files, f)
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.GenDecl:
				into := map[token.Token]map[string]auditConst{token.CONST: p.consts, token.VAR: p.vars}[decl.Tok]
				if into == nil {
					continue
				}
				for _, spec := range decl.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							into[n.Name] = auditConst{vs.Values[i], f}
						}
					}
				}
			case *ast.FuncDecl:
				if decl.Body != nil {
					p.funcs = append(p.funcs, auditFunc{decl, f})
				}
			}
		}
		return nil
	})
	if _, statErr := os.Stat(filepath.Join(root, "internal", "audit")); err == nil && statErr != nil {
		err = statErr
	}
	return s, err
}

// importDir is the module directory a file imports under name, or "".
func importDir(f *ast.File, name string) string {
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		local := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == name && strings.HasPrefix(path, auditModule) {
			return strings.TrimPrefix(path, auditModule)
		}
	}
	return ""
}

// isAuditEntry reports whether typ, in f of package dir, is audit.Entry.
func isAuditEntry(dir string, f *ast.File, typ ast.Expr) bool {
	switch typ := typ.(type) {
	case *ast.SelectorExpr:
		x, ok := typ.X.(*ast.Ident)
		return ok && typ.Sel.Name == "Entry" && importDir(f, x.Name) == "internal/audit"
	case *ast.Ident:
		return dir == "internal/audit" && typ.Name == "Entry"
	}
	return false
}

// written finds every audit entry the sources build and resolves its Action
// and ObjectType to strings, with the place each was first seen.
func (s *auditSources) written() (actions, types map[string]string, errs []error) {
	actions, types = map[string]string{}, map[string]string{}
	add := func(into map[string]string, p *auditPkg, fn auditFunc, e ast.Expr) {
		where := s.fset.Position(e.Pos()).String()
		vals, err := s.resolve(p, fn, e, 0)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		for _, v := range vals {
			// "" is the code's "nothing to audit", which it checks before
			// writing (and the log refuses).
			if _, ok := into[v]; !ok && v != "" {
				into[v] = where
			}
		}
	}
	field := func(name string) map[string]string {
		switch name {
		case "Action":
			return actions
		case "ObjectType":
			return types
		}
		return nil
	}
	for _, dir := range slices.Sorted(func(yield func(string) bool) {
		for d := range s.pkgs {
			if !yield(d) {
				return
			}
		}
	}) {
		p := s.pkgs[dir]
		for _, fn := range p.funcs {
			entries := map[string]bool{} // local variables holding an entry
			ast.Inspect(fn.decl.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					if !isAuditEntry(dir, fn.file, n.Type) {
						return true
					}
					for _, el := range n.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if !ok {
							errs = append(errs, fmt.Errorf("%s: audit.Entry without field names", s.fset.Position(n.Pos())))
							continue
						}
						if k, ok := kv.Key.(*ast.Ident); ok && field(k.Name) != nil {
							add(field(k.Name), p, fn, kv.Value)
						}
					}
				case *ast.ValueSpec:
					if n.Type != nil && isAuditEntry(dir, fn.file, n.Type) {
						for _, id := range n.Names {
							entries[id.Name] = true
						}
					}
				case *ast.AssignStmt:
					for i, lhs := range n.Lhs {
						if id, ok := lhs.(*ast.Ident); ok && i < len(n.Rhs) {
							if cl, ok := n.Rhs[i].(*ast.CompositeLit); ok && isAuditEntry(dir, fn.file, cl.Type) {
								entries[id.Name] = true
							}
						}
						sel, ok := lhs.(*ast.SelectorExpr)
						if !ok || field(sel.Sel.Name) == nil || len(n.Rhs) != len(n.Lhs) {
							continue
						}
						if x, ok := sel.X.(*ast.Ident); ok && entries[x.Name] {
							add(field(sel.Sel.Name), p, fn, n.Rhs[i])
						}
					}
				}
				return true
			})
		}
	}
	return actions, types, errs
}

var errAuditUnresolved = errors.New("cannot follow this audit action or object type to string constants")

// resolve returns the strings e, in function fn of package p, may hold.
func (s *auditSources) resolve(p *auditPkg, fn auditFunc, e ast.Expr, depth int) ([]string, error) {
	if depth > 8 {
		return nil, errAuditUnresolved
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		if v, err := strconv.Unquote(e.Value); err == nil && e.Kind == token.STRING {
			return []string{v}, nil
		}
	case *ast.ParenExpr:
		return s.resolve(p, fn, e.X, depth+1)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			break
		}
		left, err := s.resolve(p, fn, e.X, depth+1)
		if err != nil {
			return nil, err
		}
		right, err := s.resolve(p, fn, e.Y, depth+1)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, l := range left {
			for _, r := range right {
				out = append(out, l+r)
			}
		}
		return out, nil
	case *ast.CallExpr:
		// A conversion, string(x) or a named string type's.
		if len(e.Args) == 1 {
			if id, ok := e.Fun.(*ast.Ident); ok && (id.Name == "string" || isTypeName(p, id.Name)) {
				return s.resolve(p, fn, e.Args[0], depth+1)
			}
		}
	case *ast.Ident:
		return s.resolveIdent(p, fn, e.Name, depth)
	case *ast.IndexExpr:
		// An element of a package's table: any of its values.
		if x, ok := e.X.(*ast.Ident); ok {
			if v, ok := p.vars[x.Name].expr.(*ast.CompositeLit); ok {
				var out []string
				for _, el := range v.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						el = kv.Value
					}
					vals, err := s.resolve(p, auditFunc{file: p.vars[x.Name].file}, el, depth+1)
					if err != nil {
						return nil, err
					}
					out = append(out, vals...)
				}
				return out, nil
			}
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if dir := importDir(fn.file, x.Name); dir != "" {
				q, c := s.pkgs[dir], s.pkgs[dir].consts[e.Sel.Name]
				if c.expr == nil {
					return nil, errAuditUnresolved
				}
				return s.resolve(q, auditFunc{file: c.file}, c.expr, depth+1)
			}
		}
		return s.resolveField(p, e.Sel.Name, depth)
	}
	return nil, errAuditUnresolved
}

// isTypeName reports whether package p declares a type called name.
func isTypeName(p *auditPkg, name string) bool {
	for _, f := range p.files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, spec := range gd.Specs {
					if spec.(*ast.TypeSpec).Name.Name == name {
						return true
					}
				}
			}
		}
	}
	return false
}

// resolveIdent follows a name: the values assigned to it in fn, the
// arguments every call of fn passes for it when it is a parameter, or the
// package's constant.
func (s *auditSources) resolveIdent(p *auditPkg, fn auditFunc, name string, depth int) ([]string, error) {
	var out []string
	found := false
	if fn.decl != nil {
		var err error
		ast.Inspect(fn.decl.Body, func(n ast.Node) bool {
			var lhs, rhs []ast.Expr
			switch n := n.(type) {
			case *ast.AssignStmt:
				lhs, rhs = n.Lhs, n.Rhs
			case *ast.ValueSpec:
				for _, id := range n.Names {
					lhs = append(lhs, id)
				}
				rhs = n.Values
			case *ast.RangeStmt:
				if id, ok := n.Value.(*ast.Ident); ok && id.Name == name {
					found = true
					err = errAuditUnresolved
				}
			}
			for i, l := range lhs {
				if id, ok := l.(*ast.Ident); !ok || id.Name != name {
					continue
				}
				found = true
				if call, ok := singleCall(rhs); ok && len(lhs) > 1 {
					vals, e := s.callResults(p, fn, call, i, depth+1)
					if e != nil {
						err = e
					}
					out = append(out, vals...)
					continue
				}
				if len(rhs) != len(lhs) {
					err = errAuditUnresolved
					continue
				}
				vals, e := s.resolve(p, fn, rhs[i], depth+1)
				if e != nil {
					err = e
				}
				out = append(out, vals...)
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		if index := paramIndex(fn.decl, name); index >= 0 {
			vals, err := s.callArgs(p, fn.decl, index, depth)
			return append(out, vals...), err
		}
	}
	if found {
		return out, nil
	}
	if c, ok := p.consts[name]; ok {
		return s.resolve(p, auditFunc{file: c.file}, c.expr, depth+1)
	}
	return nil, errAuditUnresolved
}

// paramIndex is the position of parameter name of fn, or -1.
func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		for _, n := range field.Names {
			if n.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// auditCall is an argument of a call, in the function that makes it.
type auditCall struct {
	pkg *auditPkg
	fn  auditFunc
	arg ast.Expr
}

// callSites are argument index of every call of fn: in its own package,
// and in every package when fn is exported.
func (s *auditSources) callSites(p *auditPkg, fn *ast.FuncDecl, index int) []auditCall {
	var out []auditCall
	for _, q := range s.pkgs {
		if q != p && !fn.Name.IsExported() {
			continue
		}
		for _, g := range q.funcs {
			ast.Inspect(g.decl.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || index >= len(call.Args) {
					return true
				}
				var name string
				switch f := call.Fun.(type) {
				case *ast.Ident:
					if fn.Recv == nil && q == p {
						name = f.Name
					}
				case *ast.SelectorExpr:
					x, isIdent := f.X.(*ast.Ident)
					pkgCall := isIdent && importDir(g.file, x.Name) != ""
					if (fn.Recv != nil && !pkgCall) || (fn.Recv == nil && pkgCall && importDir(g.file, x.Name) == p.dir) {
						name = f.Sel.Name
					}
				}
				if name == fn.Name.Name {
					out = append(out, auditCall{q, g, call.Args[index]})
				}
				return true
			})
		}
	}
	return out
}

// callArgs resolves argument index of every call of fn.
func (s *auditSources) callArgs(p *auditPkg, fn *ast.FuncDecl, index, depth int) ([]string, error) {
	var out []string
	for _, c := range s.callSites(p, fn, index) {
		vals, err := s.resolve(c.pkg, c.fn, c.arg, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, vals...)
	}
	return out, nil
}

func singleCall(rhs []ast.Expr) (*ast.CallExpr, bool) {
	if len(rhs) != 1 {
		return nil, false
	}
	call, ok := rhs[0].(*ast.CallExpr)
	return call, ok
}

// auditBody is the body of a function a call may run, with the function
// declaration its names are resolved in.
type auditBody struct {
	pkg  *auditPkg
	fn   auditFunc
	body *ast.BlockStmt
}

// callResults resolves result index of every function call may run.
func (s *auditSources) callResults(p *auditPkg, fn auditFunc, call *ast.CallExpr, index, depth int) ([]string, error) {
	bodies, err := s.funcValues(p, fn, call.Fun, depth)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, b := range bodies {
		ast.Inspect(b.body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // its returns are its own
			case *ast.ReturnStmt:
				if index >= len(n.Results) {
					err = errAuditUnresolved
					return false
				}
				vals, e := s.resolve(b.pkg, b.fn, n.Results[index], depth+1)
				if e != nil {
					err = e
				}
				out = append(out, vals...)
			}
			return true
		})
	}
	return out, err
}

// funcValues are the bodies of the functions e, in fn, may be.
func (s *auditSources) funcValues(p *auditPkg, fn auditFunc, e ast.Expr, depth int) ([]auditBody, error) {
	if depth > 8 {
		return nil, errAuditUnresolved
	}
	decl := func(q *auditPkg, name string, method bool) ([]auditBody, error) {
		for _, g := range q.funcs {
			if g.decl.Name.Name == name && (g.decl.Recv != nil) == method {
				return []auditBody{{q, g, g.decl.Body}}, nil
			}
		}
		return nil, errAuditUnresolved
	}
	switch e := e.(type) {
	case *ast.FuncLit:
		return []auditBody{{p, fn, e.Body}}, nil
	case *ast.Ident:
		if fn.decl == nil {
			break
		}
		index := paramIndex(fn.decl, e.Name)
		if index < 0 {
			return decl(p, e.Name, false)
		}
		var out []auditBody
		for _, c := range s.callSites(p, fn.decl, index) {
			bodies, err := s.funcValues(c.pkg, c.fn, c.arg, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, bodies...)
		}
		return out, nil
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if dir := importDir(fn.file, x.Name); dir != "" {
				return decl(s.pkgs[dir], e.Sel.Name, false)
			}
		}
		return decl(p, e.Sel.Name, true)
	}
	return nil, errAuditUnresolved
}

// resolveField follows a struct field of package p: the values its
// composite literals and assignments give it.
func (s *auditSources) resolveField(p *auditPkg, name string, depth int) ([]string, error) {
	var out []string
	var err error
	found := false
	for _, fn := range p.funcs {
		ast.Inspect(fn.decl.Body, func(n ast.Node) bool {
			var value ast.Expr
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == name {
					value = n.Value
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == name && len(n.Rhs) == len(n.Lhs) {
						value = n.Rhs[i]
					}
				}
			}
			if value == nil {
				return true
			}
			found = true
			vals, e := s.resolve(p, fn, value, depth+1)
			if e != nil {
				err = e
			}
			out = append(out, vals...)
			return true
		})
	}
	if !found {
		return nil, errAuditUnresolved
	}
	return out, err
}
