// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// frameworkSamples are the framework pages in their states, for the test
// that renders every page in every language.
func frameworkSamples() map[page][]view {
	fw := fwView{Code: "A68190", Symbol: "A/68/190", Title: "Eight-point agenda", Summary: "Eight measures.", Shipped: true,
		Href: "/frameworks/A68190"}
	nap := fwView{Code: "NAP", Title: "Plan nacional", Href: "/frameworks/NAP"}
	link := linkView{ID: "GCM:1", Framework: "GCM", Code: "1", Title: "Data", Href: "/frameworks/GCM/1"}
	node := nodeView{ID: "A68190:7", Framework: "A68190", Code: "7", Cites: "sect. V, point 7", Title: "Evidence base",
		Summary: "Invest in data.", Href: "/frameworks/A68190/7", Links: []linkView{link, {ID: "NAP:1", Title: "خطة", Href: "/frameworks/NAP/1", Removable: true}}}
	child := nodeView{ID: "NAP:1.1", Code: "1.1", Title: "Child", Href: "/frameworks/NAP/1.1"}
	parent := nodeView{ID: "NAP:1", Code: "1", Title: "Top", Href: "/frameworks/NAP/1", Children: []nodeView{child}, Links: []linkView{link}}
	langs := langFields()
	return map[page][]view{
		pageFrameworks: {
			{Data: &frameworksListData{Frameworks: []fwView{fw, nap}, CanEdit: true}},
			{Data: &frameworksListData{}},
		},
		pageFrameworkTree: {
			{Data: &frameworkTreeData{Framework: fw, Nodes: []nodeView{node}}},
			{Data: &frameworkTreeData{Framework: nap, Nodes: []nodeView{parent}, CanEdit: true}},
		},
		pageFrameworkNode: {
			{Data: &frameworkNodeData{Framework: fw, Node: node, CanLink: true, HasIndicators: true,
				Indicators:  []NodeIndicator{{Code: "AP7.S1", Name: "Census question", Kind: "structural", Href: "/indicators/AP7.S1"}},
				LinkTargets: []option{{Value: "GCM:1", Label: "GCM:1 — Data"}}}},
			{Data: &frameworkNodeData{Framework: nap, Node: parent, Parent: &child, Children: []nodeView{child}, CanEdit: true,
				CanLink: true, HasIndicators: true}, Error: errLinkExists, Fields: map[string]string{"other": "same_framework"}},
			{Data: &frameworkNodeData{Framework: nap, Node: child}},
		},
		pageFrameworkForm: {
			{Data: &frameworkFormData{Langs: langs}, Error: errFrameworkExists,
				Fields: map[string]string{"code": "invalid", "title.en": "required", "summary.fr": "too_long"}},
			{Data: &frameworkFormData{Code: "NAP", Langs: langs}, Values: map[string]string{"title.en": "Plan"}},
			{Data: &frameworkFormData{Node: true, Framework: nap, Langs: langs, Parents: []option{{Value: "NAP:1", Label: "1 — Top"}}},
				Error: errNodeExists, Fields: map[string]string{"parent": "cycle", "position": "out_of_range", "title.ar": "unknown_language"}},
			{Data: &frameworkFormData{Node: true, Code: "1", Framework: nap, Langs: langs}},
		},
		pageFrameworkConfirm: {
			{Data: &frameworkConfirmData{Kind: "framework", What: "NAP — Plan", Action: "/frameworks/NAP/delete", Cancel: "/frameworks/NAP"}},
			{Data: &frameworkConfirmData{Kind: "node", What: "NAP:1 — Top", Action: "/frameworks/NAP/1/delete", Cancel: "/frameworks/NAP/1"}},
			{Data: &frameworkConfirmData{Kind: "link", What: "NAP:1 — Top", Linked: "GCM:1 — Data", Other: "GCM:1",
				Action: "/frameworks/NAP/1/links/delete", Cancel: "/frameworks/NAP/1#links"}},
		},
	}
}
