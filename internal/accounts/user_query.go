// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/password"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// User is an account. Email and Name are personal data: stored sealed under
// the user's own data key and found by a blind index.
type User struct {
	ID                 string
	Email              string
	Name               string
	IsSysadmin         bool
	IsDemo             bool
	MustChangePassword bool
	TOTPEnabled        bool
	Disabled           bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Memberships        []Membership
}

// NewUser is what is needed to create an account. When Password is empty a
// one-time password is generated and must be changed at first sign-in.
type NewUser struct {
	Email    string
	Name     string
	Password string
	OrgID    string
	Role     string
	TeamID   string
	Sysadmin bool
	Demo     bool
}

// UserUpdate holds the fields an administrator may change.
type UserUpdate struct {
	Email *string
	Name  *string
}

func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validateEmail(v *ValidationError, email string) {
	switch {
	case email == "":
		v.Add("email", "required")
	case len(email) > 254:
		v.Add("email", "too_long")
	default:
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !strings.Contains(email, "@") {
			v.Add("email", "invalid_email")
		}
	}
}

func validateName(v *ValidationError, name string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(name)); {
	case n == 0:
		v.Add("name", "required")
	case n > 200:
		v.Add("name", "too_long")
	}
}

func validatePassword(v *ValidationError, field, pw string) {
	switch err := password.Validate(pw); {
	case err == nil:
	case errors.Is(err, password.ErrTooShort):
		v.Add(field, "too_short")
	case errors.Is(err, password.ErrTooLong):
		v.Add(field, "too_long")
	case errors.Is(err, password.ErrCommon):
		v.Add(field, "too_common")
	default:
		v.Add(field, "invalid")
	}
}

func userAD(id, field string) vault.AD { return vault.AD{Table: "users", Field: field, RecordID: id} }

// CreateUser creates an account, with a membership of in.OrgID when given.
// It returns the one-time password when it generated one.
func (s *Service) CreateUser(ctx context.Context, p access.Principal, in NewUser) (User, string, error) {
	in.Email = normaliseEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	v := &ValidationError{}
	validateEmail(v, in.Email)
	validateName(v, in.Name)
	oneTime := ""
	if in.Password == "" {
		oneTime = ids.Token(12)
		in.Password = oneTime
	} else {
		validatePassword(v, "password", in.Password)
	}
	if in.OrgID == "" && !in.Sysadmin {
		v.Add("org_id", "required")
	}
	if in.OrgID != "" && !containsString(access.MembershipRoles(), in.Role) {
		v.Add("role", "invalid_role")
	}
	if in.OrgID != "" && !ids.Valid(in.OrgID) {
		v.Add("org_id", "invalid")
	}
	if err := v.OrNil(); err != nil {
		return User{}, "", err
	}
	if in.Sysadmin && p.Scope("user.create") < access.ScopeAll {
		return User{}, "", ErrForbidden
	}
	if in.OrgID != "" && !p.Allows("user.create", access.Record{OrgID: in.OrgID}) {
		if p.Allows("organisation.read", access.Record{OrgID: in.OrgID}) {
			return User{}, "", ErrForbidden
		}
		return User{}, "", &ValidationError{Errors: []FieldError{{Field: "org_id", Code: "not_found"}}}
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return User{}, "", err
	}
	now := s.now()
	u := User{ID: ids.New(), Email: in.Email, Name: in.Name, IsSysadmin: in.Sysadmin, IsDemo: in.Demo,
		MustChangePassword: oneTime != "", CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		keyID, err := s.vault.NewDataKey(ctx, tx, "user")
		if err != nil {
			return err
		}
		emailEnc, err := s.vault.SealString(ctx, tx, keyID, userAD(u.ID, "email"), u.Email)
		if err != nil {
			return err
		}
		nameEnc, err := s.vault.SealString(ctx, tx, keyID, userAD(u.ID, "name"), u.Name)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO users (id, data_key_id, email_index, email_enc, name_enc, password_hash,
			must_change_password, is_sysadmin, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, keyID, s.vault.BlindIndex("users.email", u.Email), emailEnc, nameEnc, hash,
			boolInt(u.MustChangePassword), boolInt(in.Sysadmin), boolInt(in.Demo), micros(now), micros(now))
		if errors.Is(err, store.ErrConflict) {
			return &ValidationError{Errors: []FieldError{{Field: "email", Code: "taken"}}}
		}
		if err != nil {
			return err
		}
		fields := []string{"email", "name", "password"}
		if in.Sysadmin {
			fields = append(fields, "is_sysadmin")
		}
		if err := s.log(ctx, tx, p, "user.create", "user", u.ID, in.OrgID, fields...); err != nil {
			return err
		}
		if in.OrgID != "" {
			m, err := s.insertMembership(ctx, tx, p, in.OrgID, u.ID, in.Role, in.TeamID)
			if err != nil {
				return err
			}
			u.Memberships = []Membership{m}
		}
		return nil
	})
	if err != nil {
		return User{}, "", err
	}
	return u, oneTime, nil
}

// userRecord locates a user for scope checks from where p stands: within
// p's organisation when the user is a member there, otherwise in no
// organisation (reachable only with ScopeAll).
func (s *Service) userRecord(ctx context.Context, q store.Queryer, p access.Principal, userID string) (access.Record, error) {
	rec := access.Record{OwnerID: userID}
	if p.OrgID == "" {
		return rec, nil
	}
	var team *string
	err := store.ScanRow(q.QueryRow(ctx, `SELECT team_id FROM memberships WHERE user_id = ? AND org_id = ?`, userID, p.OrgID), &team)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return rec, nil
	case err != nil:
		return rec, err
	}
	rec.OrgID = p.OrgID
	if team != nil {
		rec.TeamID = *team
	}
	return rec, nil
}

type userRow struct {
	id, keyID                  string
	emailEnc, nameEnc          []byte
	mustChange, sysadmin, demo int
	totpEnabled, disabled      *int64
	created, updated           int64
	passwordHash               string
	totpSecretEnc              []byte
	totpLastStep               int64
}

const userColumns = `id, COALESCE(data_key_id, ''), email_enc, name_enc, must_change_password, is_sysadmin, is_demo,
	totp_enabled_at, disabled_at, created_at, updated_at, password_hash, totp_secret_enc, totp_last_step`

func scanUserRow(sc interface{ Scan(...any) error }) (userRow, error) {
	var r userRow
	err := sc.Scan(&r.id, &r.keyID, &r.emailEnc, &r.nameEnc, &r.mustChange, &r.sysadmin, &r.demo,
		&r.totpEnabled, &r.disabled, &r.created, &r.updated, &r.passwordHash, &r.totpSecretEnc, &r.totpLastStep)
	return r, err
}

// decrypt opens the personal fields of a row. The caller audits the read.
func (s *Service) decrypt(ctx context.Context, q store.Queryer, r userRow) (User, error) {
	u := User{ID: r.id, MustChangePassword: r.mustChange == 1, IsSysadmin: r.sysadmin == 1, IsDemo: r.demo == 1,
		TOTPEnabled: r.totpEnabled != nil, Disabled: r.disabled != nil,
		CreatedAt: fromMicros(r.created), UpdatedAt: fromMicros(r.updated)}
	var err error
	if u.Email, err = s.openOrErased(ctx, q, r.keyID, userAD(r.id, "email"), r.emailEnc); err != nil {
		return User{}, err
	}
	if u.Name, err = s.openOrErased(ctx, q, r.keyID, userAD(r.id, "name"), r.nameEnc); err != nil {
		return User{}, err
	}
	return u, nil
}

// GetUser returns a user p may read, with the memberships p may see, and
// audits the read of their name and e-mail.
func (s *Service) GetUser(ctx context.Context, p access.Principal, id string) (User, error) {
	if !ids.Valid(id) {
		return User{}, ErrNotFound
	}
	var u User
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rec, err := s.userRecord(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !p.Allows("user.read", rec) {
			return ErrNotFound
		}
		r, err := scanUserRow(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		if err != nil {
			return notFound(err)
		}
		if u, err = s.decrypt(ctx, tx, r); err != nil {
			return err
		}
		if u.Memberships, err = s.userMemberships(ctx, tx, p, id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "user.read", "user", id, s.auditOrgOf(ctx, tx, rec.OrgID, id), "email", "name")
	})
	return u, err
}

// auditOrgOf names the organisation an audit entry about userID belongs to:
// the one the actor reached them through, or else the user's first, so that
// the user's own organisation sees reads by system administrators.
func (s *Service) auditOrgOf(ctx context.Context, q store.Queryer, seenIn, userID string) string {
	if seenIn != "" {
		return seenIn
	}
	var org string
	_ = store.ScanRow(q.QueryRow(ctx, `SELECT org_id FROM memberships WHERE user_id = ? ORDER BY created_at, id LIMIT 1`, userID), &org)
	return org
}

// UserFilter narrows a user listing.
type UserFilter struct {
	OrgID string // only members of this organisation (ScopeAll only; others are held to their own)
	Email string // exact match, through the blind index
}

// ListUsers lists the users p may read, ordered by id, and audits the read
// of each listed user's name and e-mail.
func (s *Service) ListUsers(ctx context.Context, p access.Principal, f UserFilter, page Page) ([]User, string, error) {
	scope := p.Scope("user.read")
	where, args := []string{"1 = 1"}, []any{}
	switch scope {
	case access.ScopeNone:
		return nil, "", ErrForbidden
	case access.ScopeAll:
		if f.OrgID != "" {
			where, args = append(where, "id IN (SELECT user_id FROM memberships WHERE org_id = ?)"), append(args, f.OrgID)
		}
	case access.ScopeOrg:
		where, args = append(where, "id IN (SELECT user_id FROM memberships WHERE org_id = ?)"), append(args, p.OrgID)
	case access.ScopeTeam:
		where = append(where, "(id = ? OR id IN (SELECT user_id FROM memberships WHERE org_id = ? AND team_id = ? AND team_id IS NOT NULL))")
		args = append(args, p.UserID, p.OrgID, p.TeamID)
	default:
		where, args = append(where, "id = ?"), append(args, p.UserID)
	}
	if f.Email != "" {
		where, args = append(where, "email_index = ?"), append(args, s.vault.BlindIndex("users.email", normaliseEmail(f.Email)))
	}
	if page.Cursor != "" {
		where, args = append(where, "id > ?"), append(args, page.Cursor)
	}
	args = append(args, page.limit()+1)
	var out []User
	var next string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...)
		if err != nil {
			return err
		}
		var raw []userRow
		for rows.Next() {
			r, err := scanUserRow(rows)
			if err != nil {
				rows.Close()
				return err
			}
			raw = append(raw, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range raw {
			u, err := s.decrypt(ctx, tx, r)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		out, next = trimPage(out, page.limit(), func(u User) string { return u.ID })
		if f.Email != "" {
			// A search by e-mail is a look-up of personal data even when it
			// finds no one (SECURITY-BAR 14): it is audited by field name.
			found := ""
			if len(out) == 1 {
				found = out[0].ID
			}
			if err := s.log(ctx, tx, p, "user.search", "user", found, p.OrgID, "email"); err != nil {
				return err
			}
		}
		for i := range out {
			if out[i].Memberships, err = s.userMemberships(ctx, tx, p, out[i].ID); err != nil {
				return err
			}
			if err := s.log(ctx, tx, p, "user.read", "user", out[i].ID, s.auditOrgOf(ctx, tx, p.OrgID, out[i].ID), "email", "name"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// requireUserAdmin loads the scope record of user id and checks p may
// update it: ErrNotFound when p cannot even read the user, ErrForbidden when
// p can read but not administer.
func (s *Service) requireUserAdmin(ctx context.Context, q store.Queryer, p access.Principal, id string) (access.Record, error) {
	if !ids.Valid(id) {
		return access.Record{}, ErrNotFound
	}
	rec, err := s.userRecord(ctx, q, p, id)
	if err != nil {
		return rec, err
	}
	if !p.Allows("user.read", rec) && !p.Allows("user.update", rec) {
		return rec, ErrNotFound
	}
	if !p.Allows("user.update", rec) {
		return rec, ErrForbidden
	}
	var sysadmin int
	if err := store.ScanRow(q.QueryRow(ctx, `SELECT is_sysadmin FROM users WHERE id = ?`, id), &sysadmin); err != nil {
		return rec, notFound(err)
	}
	// Below ScopeAll, administering an account is limited to accounts that
	// belong wholly to p's organisation: resetting the password or second
	// factor of a system administrator, or of someone who also works for
	// another organisation, would let p sign in as them and reach beyond
	// p's own organisation.
	if p.Scope("user.update") < access.ScopeAll {
		if sysadmin == 1 {
			return rec, ErrForbidden
		}
		var elsewhere int
		if err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ? AND org_id <> ?`, id, p.OrgID), &elsewhere); err != nil {
			return rec, err
		}
		if elsewhere > 0 {
			return rec, ErrForbidden
		}
	}
	return rec, nil
}

// UpdateUser changes a user's name or e-mail.
func (s *Service) UpdateUser(ctx context.Context, p access.Principal, id string, in UserUpdate) (User, error) {
	v := &ValidationError{}
	if in.Email != nil {
		*in.Email = normaliseEmail(*in.Email)
		validateEmail(v, *in.Email)
	}
	if in.Name != nil {
		validateName(v, *in.Name)
	}
	if err := v.OrNil(); err != nil {
		return User{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rec, err := s.requireUserAdmin(ctx, tx, p, id)
		if err != nil {
			return err
		}
		var keyID string
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COALESCE(data_key_id, '') FROM users WHERE id = ?`, id), &keyID); err != nil {
			return notFound(err)
		}
		var fields []string
		if in.Email != nil {
			enc, err := s.vault.SealString(ctx, tx, keyID, userAD(id, "email"), *in.Email)
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE users SET email_enc = ?, email_index = ?, updated_at = ? WHERE id = ?`,
				enc, s.vault.BlindIndex("users.email", *in.Email), micros(s.now()), id)
			if errors.Is(err, store.ErrConflict) {
				return &ValidationError{Errors: []FieldError{{Field: "email", Code: "taken"}}}
			}
			if err != nil {
				return err
			}
			fields = append(fields, "email")
		}
		if in.Name != nil {
			enc, err := s.vault.SealString(ctx, tx, keyID, userAD(id, "name"), strings.TrimSpace(*in.Name))
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE users SET name_enc = ?, updated_at = ? WHERE id = ?`, enc, micros(s.now()), id); err != nil {
				return err
			}
			fields = append(fields, "name")
		}
		return s.log(ctx, tx, p, "user.update", "user", id, rec.OrgID, fields...)
	})
	if err != nil {
		return User{}, err
	}
	return s.GetUser(ctx, p, id)
}

// SetDisabled disables or re-enables an account. Disabling revokes its
// sessions at once; its API tokens stop working because authentication
// checks the account.
func (s *Service) SetDisabled(ctx context.Context, p access.Principal, id string, disabled bool) error {
	if id == p.UserID && disabled {
		return &ValidationError{Errors: []FieldError{{Field: "id", Code: "cannot_disable_self"}}}
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		rec, err := s.requireUserAdmin(ctx, tx, p, id)
		if err != nil {
			return err
		}
		now := micros(s.now())
		if disabled {
			if _, err := tx.Exec(ctx, `UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?`, now, now, id); err != nil {
				return err
			}
			if err := s.revokeUserSessions(ctx, tx, id, ""); err != nil {
				return err
			}
			return s.log(ctx, tx, p, "user.disable", "user", id, rec.OrgID, "disabled_at")
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled_at = NULL, updated_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "user.enable", "user", id, rec.OrgID, "disabled_at")
	})
}

// ResetPassword sets a new one-time password for another user (an
// administrator's action) and revokes their sessions. It returns the
// password, which the user must change at next sign-in. When pw is given it
// is used instead of a generated one.
func (s *Service) ResetPassword(ctx context.Context, p access.Principal, id, pw string) (string, error) {
	v := &ValidationError{}
	generated := pw == ""
	if generated {
		pw = ids.Token(12)
	} else {
		validatePassword(v, "password", pw)
	}
	if err := v.OrNil(); err != nil {
		return "", err
	}
	// Refuse before hashing, so refused calls cost no hash; the check is
	// repeated inside the transaction that writes.
	if _, err := s.requireUserAdmin(ctx, s.db, p, id); err != nil {
		return "", err
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return "", err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		rec, err := s.requireUserAdmin(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?`,
			hash, boolInt(generated), micros(s.now()), id); err != nil {
			return err
		}
		if err := s.revokeUserSessions(ctx, tx, id, ""); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "user.password_reset", "user", id, rec.OrgID, "password")
	})
	return pw, err
}

// ResetTOTP removes a user's second factor and recovery codes and revokes
// their sessions; they enrol again at next sign-in.
func (s *Service) ResetTOTP(ctx context.Context, p access.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		rec, err := s.requireUserAdmin(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET totp_secret_enc = NULL, totp_enabled_at = NULL, totp_last_step = 0, updated_at = ? WHERE id = ?`,
			micros(s.now()), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
			return err
		}
		if err := s.revokeUserSessions(ctx, tx, id, ""); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "user.totp_reset", "user", id, rec.OrgID, "totp_secret", "recovery_codes")
	})
}

// UserIDByEmail finds an account by e-mail through the blind index, for the
// command line. It returns ErrNotFound when there is none.
func (s *Service) UserIDByEmail(ctx context.Context, email string) (string, error) {
	var id string
	err := s.db.Scan(s.db.QueryRow(ctx, `SELECT id FROM users WHERE email_index = ?`,
		s.vault.BlindIndex("users.email", normaliseEmail(email))), &id)
	return id, notFound(err)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
