// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
)

// MatchIdentity returns the SQL condition, over persons aliased p, that
// selects the persons pr may read whose identity matches the criteria, as
// Search matches them: every word of name among their names and aliases,
// the document number, the phone, each left out when blank. Erased persons
// never match. It also returns the condition's arguments (blind-index
// tokens, never the values) and the names of the criteria used, for the
// caller's audit entry. Other domains use it to search their records by
// the persons linked to them (cases.Service.Search) without learning how
// identities are normalised and indexed. It answers ErrForbidden when pr
// may read no person, and a ValidationError for a criterion that can match
// nothing or when none is given.
func (s *Service) MatchIdentity(pr access.Principal, name, documentNumber, phone string) (string, []any, []string, error) {
	cond, args, ok := scopeFilter(pr, permRead)
	if !ok {
		return "", nil, nil, ErrForbidden
	}
	where := []string{cond, "p.erased_at IS NULL"}
	var fields []string
	if strings.TrimSpace(name) != "" {
		toks := nameTokens(name)
		switch {
		case len(toks) == 0:
			return "", nil, nil, invalid("name", CodeInvalid)
		case len(toks) > maxQueryTokens:
			return "", nil, nil, invalid("name", CodeTooMany)
		}
		where = append(where, `p.id IN (SELECT person_id FROM person_index WHERE kind = 'name' AND token IN (`+
			store.Placeholders(len(toks))+`) GROUP BY person_id HAVING COUNT(*) = ?)`)
		for _, t := range toks {
			args = append(args, s.indexToken(pr.OrgID, kindName, t))
		}
		args = append(args, len(toks))
		fields = append(fields, "name")
	}
	if strings.TrimSpace(documentNumber) != "" {
		n := normaliseDocumentNumber(documentNumber)
		if n == "" || len(documentNumber) > 4*maxDocumentRunes {
			return "", nil, nil, invalid("document_number", CodeInvalidDocument)
		}
		where = append(where, `p.id IN (SELECT person_id FROM person_index WHERE kind = 'document' AND token = ?)`)
		args = append(args, s.indexToken(pr.OrgID, kindDocument, n))
		fields = append(fields, "document_number")
	}
	if strings.TrimSpace(phone) != "" {
		n := normalisePhone(phone)
		if len(strings.TrimPrefix(n, "+")) < minPhoneDigits || len(phone) > 4*maxPhoneRunes {
			return "", nil, nil, invalid("phone", CodeInvalidPhone)
		}
		where = append(where, `p.id IN (SELECT person_id FROM person_index WHERE kind = 'phone' AND token = ?)`)
		args = append(args, s.indexToken(pr.OrgID, kindPhone, n))
		fields = append(fields, "phone")
	}
	if len(fields) == 0 {
		return "", nil, nil, invalid("query", CodeRequired)
	}
	return strings.Join(where, " AND "), args, fields, nil
}
