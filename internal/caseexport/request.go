// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
)

// Purposes of an export, the reason recorded with it.
//
// The purpose is a code, not a sentence, because it is kept in the ledger
// and named in the audit entry, and neither may hold personal data
// (SECURITY-BAR 14): a sentence typed by the exporter ("for Ana's hearing
// on …") easily would. What a code cannot say, the optional Reference
// points to: the number of the agreement, court order or written request
// that says it, kept where such documents belong.
const (
	// PurposeSubjectAccess: the person asked for the data held about them.
	PurposeSubjectAccess = "subject_access"
	// PurposeCaseTransfer: cases handed over to another organisation.
	PurposeCaseTransfer = "case_transfer"
	// PurposeReferral: a partner provides a service to the persons.
	PurposeReferral = "referral"
	// PurposeLegal: court proceedings or legal representation.
	PurposeLegal = "legal_proceedings"
	// PurposeOversight: an audit or an inspection by a supervisory body.
	PurposeOversight = "oversight"
	// PurposeArchive: the organisation's own records, as when it closes.
	PurposeArchive = "archive"
)

var purposes = []string{PurposeSubjectAccess, PurposeCaseTransfer, PurposeReferral, PurposeLegal, PurposeOversight,
	PurposeArchive}

// Purposes returns the purpose codes, in display order.
func Purposes() []string { return slices.Clone(purposes) }

// Limits of a request.
const (
	// MaxReferenceLength bounds a reference.
	MaxReferenceLength = 64
	// MinPassphraseLength and MaxPassphraseLength bound a passphrase, in
	// characters. The file travels by other means than the passphrase and
	// may be attacked offline at leisure, so the floor is higher than a
	// password's.
	MinPassphraseLength = 16
	MaxPassphraseLength = 256
)

// referenceRE is the shape of a reference: an identifier such as
// "MoU-2026/04" or "REQ.118", with no spaces, so that it names a document
// without being able to describe a person.
var referenceRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)

// Reason codes of field errors (the pages show them as "field.<code>").
const (
	CodeRequired         = "required"
	CodeUnknown          = "unknown"
	CodeInvalid          = "invalid"
	CodeTooLong          = "too_long"
	CodeNotFound         = "not_found"
	CodeNotAllowed       = "not_allowed"
	CodePassphraseShort  = "passphrase_too_short"
	CodeSameAsPassword   = "same_as_password"
	CodeOneRecipient     = "one_recipient"
	CodeNoExportKey      = "no_export_key"
	CodeInvalidAgeKey    = "invalid_age_recipient"
	CodeTooManyRows      = "too_many_rows"
	CodeUnknownFormat    = "unknown_format"
	CodeRecipientMissing = "recipient_required"
)

// Recipient says whom an export is encrypted for: exactly one of a
// passphrase (told to the receiver by another channel) and an
// organisation whose age key is on record.
type Recipient struct {
	Passphrase string
	OrgID      string
}

// Request is what every export asks for besides its content.
type Request struct {
	// Purpose is one of Purposes; Reference optionally names the
	// document behind it (see referenceRE).
	Purpose   string
	Reference string
	Recipient Recipient
	// Password is the exporter's own password, entered again.
	Password string
}

// sealedFor is an export's resolved recipient.
type sealedFor struct {
	recipient age.Recipient
	// orgID is the receiving organisation, "" for a passphrase.
	orgID string
}

func (f sealedFor) kind() string {
	if f.orgID != "" {
		return "organisation"
	}
	return "passphrase"
}

// check validates r into v and resolves its recipient. It reads the
// receiving organisation's key but changes nothing.
func (s *Service) check(ctx context.Context, r Request, v *ValidationError) (sealedFor, error) {
	switch {
	case r.Purpose == "":
		v.Add("purpose", CodeRequired)
	case !slices.Contains(purposes, r.Purpose):
		v.Add("purpose", CodeUnknown)
	}
	switch {
	case r.Reference == "":
	case len(r.Reference) > MaxReferenceLength:
		v.Add("reference", CodeTooLong)
	case !referenceRE.MatchString(r.Reference):
		v.Add("reference", CodeInvalid)
	}
	var out sealedFor
	pass, org := r.Recipient.Passphrase, strings.TrimSpace(r.Recipient.OrgID)
	switch {
	case pass != "" && org != "":
		v.Add("recipient", CodeOneRecipient)
	case pass == "" && org == "":
		v.Add("recipient", CodeRecipientMissing)
	case org != "" && !ids.Valid(org):
		v.Add("recipient_org_id", CodeNoExportKey)
	case org != "":
		key, err := orgKey(ctx, s.db, org)
		switch {
		case err != nil:
			return out, err
		case key == nil:
			v.Add("recipient_org_id", CodeNoExportKey)
		default:
			out = sealedFor{recipient: key, orgID: org}
		}
	case utf8.RuneCountInString(pass) < MinPassphraseLength:
		v.Add("passphrase", CodePassphraseShort)
	case utf8.RuneCountInString(pass) > MaxPassphraseLength:
		v.Add("passphrase", CodeTooLong)
	case pass == r.Password:
		// The passphrase goes to someone else; the password must not.
		v.Add("passphrase", CodeSameAsPassword)
	default:
		sr, err := age.NewScryptRecipient(pass)
		if err != nil {
			return out, err
		}
		out.recipient = sr
	}
	return out, nil
}

// prepare checks r (adding to v, which may already hold the caller's own
// field errors) and then, only if everything else is right, the
// exporter's password, so that a form with a slip does not spend one of
// the few password attempts. action names the export in the audit entry
// of a wrong password.
func (s *Service) prepare(ctx context.Context, p access.Principal, r Request, v *ValidationError, action string) (sealedFor, error) {
	to, err := s.check(ctx, r, v)
	if err != nil {
		return sealedFor{}, err
	}
	if r.Password == "" {
		v.Add("password", CodeRequired)
	}
	if err := v.OrNil(); err != nil {
		return sealedFor{}, err
	}
	if err := s.auth.Reauthenticate(ctx, p, r.Password, action); err != nil {
		return sealedFor{}, err
	}
	return to, nil
}
