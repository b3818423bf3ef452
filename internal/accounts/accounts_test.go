// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/amparo-project/amparo/internal/totp"
)

var ctx = context.Background()

// enrol signs u in and completes TOTP enrolment, returning the session
// token and the TOTP secret.
func enrol(t *testing.T, a *testutil.App, u testutil.User) (string, string, []string) {
	t.Helper()
	_, sess, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.1")
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if !sess.MustEnrolTOTP {
		t.Fatalf("a %s must enrol TOTP before anything else", u.Role)
	}
	secret, _, err := a.Accounts.BeginTOTPEnrolment(ctx, sess)
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.Code(secret, a.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	token, codes, err := a.Accounts.ConfirmTOTPEnrolment(ctx, sess, code)
	if err != nil {
		t.Fatalf("ConfirmTOTPEnrolment: %v", err)
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes, want 10", len(codes))
	}
	return token, secret, codes
}

func TestSessionLifetimes(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		u := a.NewUser(org.ID, access.RoleCaseworker, "")
		token, _, _ := enrol(t, a, u)
		p, sess, err := a.Accounts.Authenticate(ctx, token)
		if err != nil || !p.MFA || p.Role != access.RoleCaseworker || sess.MustEnrolTOTP {
			t.Fatalf("after enrolment: %+v %+v %v", p, sess, err)
		}
		a.Clock.Advance(accounts.SessionIdle + time.Second)
		if _, _, err := a.Accounts.Authenticate(ctx, token); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("idle 15 min 1 s: err = %v, want ErrUnauthorized", err)
		}

		token2, _, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		for elapsed := time.Duration(0); elapsed < accounts.SessionAbsolute-10*time.Minute; elapsed += 10 * time.Minute {
			a.Clock.Advance(10 * time.Minute)
			if _, _, err := a.Accounts.Authenticate(ctx, token2); err != nil {
				t.Fatalf("active session refused after %v: %v", elapsed, err)
			}
		}
		a.Clock.Advance(11 * time.Minute)
		if _, _, err := a.Accounts.Authenticate(ctx, token2); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("past 8 h absolute: err = %v, want ErrUnauthorized", err)
		}
	})
}

func TestSignInFailuresLookAlikeAndAreThrottled(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		u := a.NewUser(org.ID, access.RoleViewer, "")
		_, _, errUnknown := a.Accounts.SignIn(ctx, "nobody@example.org", u.Password, "192.0.2.7")
		_, _, errWrong := a.Accounts.SignIn(ctx, u.Email, "not the password at all", "192.0.2.7")
		if !errors.Is(errUnknown, accounts.ErrUnauthorized) || errUnknown.Error() != errWrong.Error() {
			t.Fatalf("unknown account %v and wrong password %v must look alike", errUnknown, errWrong)
		}
		for i := 0; i < 9; i++ {
			if _, _, err := a.Accounts.SignIn(ctx, u.Email, "not the password at all", "192.0.2.8"); !errors.Is(err, accounts.ErrUnauthorized) {
				t.Fatalf("failure %d: %v", i+2, err)
			}
		}
		_, _, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.9")
		var te *accounts.ThrottledError
		if !errors.As(err, &te) || te.RetryAfter <= 0 {
			t.Fatalf("11th attempt: err = %v, want ThrottledError with a wait", err)
		}
		a.Clock.Advance(16 * time.Minute)
		if _, _, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.9"); err != nil {
			t.Fatalf("after the window the right password must work (no permanent lockout): %v", err)
		}
		entries, _, err := a.Audit.List(ctx, audit.Filter{Action: "auth.login_failed", Limit: 100})
		if err != nil || len(entries) != 11 {
			t.Fatalf("%d auth.login_failed entries (%v), want 11", len(entries), err)
		}
	})
}

func TestTOTPCodesAreSingleUse(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		u := a.NewUser(org.ID, access.RoleAnalyst, "")
		_, secret, recovery := enrol(t, a, u)
		a.Clock.Advance(30 * time.Second)
		code, _ := totp.Code(secret, a.Clock.Now())

		_, sess, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.1")
		if err != nil || !sess.NeedsTOTP {
			t.Fatalf("sign-in: %+v %v", sess, err)
		}
		if p, _, _ := a.Accounts.Authenticate(ctx, mustToken(t, a, u)); p.Can("organisation.read") {
			t.Fatal("a password-only session can act")
		}
		if _, err := a.Accounts.VerifyTOTP(ctx, sess, code); err != nil {
			t.Fatalf("fresh code refused: %v", err)
		}
		_, sess2, _ := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.1")
		if _, err := a.Accounts.VerifyTOTP(ctx, sess2, code); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("replayed code: err = %v, want ErrUnauthorized", err)
		}
		if _, err := a.Accounts.UseRecoveryCode(ctx, sess2, recovery[0]); err != nil {
			t.Fatalf("recovery code refused: %v", err)
		}
		_, sess3, _ := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.1")
		if _, err := a.Accounts.UseRecoveryCode(ctx, sess3, recovery[0]); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("spent recovery code: err = %v, want ErrUnauthorized", err)
		}
	})
}

// mustToken signs u in and returns the (password-only) session token.
func mustToken(t *testing.T, a *testutil.App, u testutil.User) string {
	t.Helper()
	token, _, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func TestRevocation(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		u := a.NewUser(org.ID, access.RoleViewer, "")

		signOut := mustToken(t, a, u)
		if err := a.Accounts.SignOut(ctx, signOut); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Accounts.Authenticate(ctx, signOut); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("signed-out session still works: %v", err)
		}

		other := mustToken(t, a, u)
		_, sess, _ := a.Accounts.Authenticate(ctx, mustToken(t, a, u))
		newToken, err := a.Accounts.ChangeOwnPassword(ctx, sess, u.Password, "a new and long enough passphrase")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Accounts.Authenticate(ctx, other); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("password change left another session alive: %v", err)
		}
		if _, _, err := a.Accounts.Authenticate(ctx, newToken); err != nil {
			t.Fatalf("the session that changed the password lost its replacement: %v", err)
		}

		if err := a.Accounts.SetDisabled(ctx, admin.Principal, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Accounts.Authenticate(ctx, newToken); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("disabled account's session still works: %v", err)
		}
		if _, err := a.Accounts.AuthenticateToken(ctx, u.Token); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("disabled account's API token still works: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		tok, secret, err := a.Accounts.IssueToken(ctx, admin.Principal, "read only", "organisation.read", 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Accounts.AuthenticateToken(ctx, secret)
		if err != nil || !p.Can("organisation.read") || p.Can("user.read") {
			t.Fatalf("scoped token: %+v %v", p, err)
		}
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		if _, _, err := a.Accounts.IssueToken(ctx, viewer.Principal, "x", "audit.read", 0); err == nil {
			t.Fatal("a viewer issued a token with a permission it does not hold")
		}
		if _, _, err := a.Accounts.IssueToken(ctx, p, "from token", "organisation.read", 0); !errors.Is(err, accounts.ErrForbidden) {
			t.Fatalf("a token issued a token: %v", err)
		}
		a.Clock.Advance(24*time.Hour + time.Second)
		if _, err := a.Accounts.AuthenticateToken(ctx, secret); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("expired token works: %v", err)
		}
		if err := a.Accounts.RevokeToken(ctx, viewer.Principal, tok.ID); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("viewer revoking another's token: %v, want ErrNotFound", err)
		}
		if err := a.Accounts.RevokeToken(ctx, admin.Principal, tok.ID); err != nil {
			t.Fatal(err)
		}
		var hashes int
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?`, secret), &hashes); err != nil || hashes != 0 {
			t.Fatalf("token stored in clear: %d, %v", hashes, err)
		}
	})
}

func TestRecordScope(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		orgA, orgB := a.Org("A"), a.Org("B")
		team, err := a.Accounts.CreateTeam(ctx, access.System, orgA.ID, "North")
		if err != nil {
			t.Fatal(err)
		}
		sup := a.NewUser(orgA.ID, access.RoleSupervisor, team.ID)
		inTeam := a.NewUser(orgA.ID, access.RoleCaseworker, team.ID)
		outside := a.NewUser(orgA.ID, access.RoleCaseworker, "")
		adminB := a.NewUser(orgB.ID, access.RoleOrgAdmin, "")

		if _, err := a.Accounts.GetUser(ctx, sup.Principal, inTeam.ID); err != nil {
			t.Errorf("supervisor cannot read a team member: %v", err)
		}
		if _, err := a.Accounts.GetUser(ctx, sup.Principal, outside.ID); !errors.Is(err, accounts.ErrNotFound) {
			t.Errorf("supervisor reads outside the team: %v", err)
		}
		if _, err := a.Accounts.GetUser(ctx, adminB.Principal, inTeam.ID); !errors.Is(err, accounts.ErrNotFound) {
			t.Errorf("other organisation reads a user: %v", err)
		}
		if _, err := a.Accounts.GetOrganisation(ctx, adminB.Principal, orgA.ID); !errors.Is(err, accounts.ErrNotFound) {
			t.Errorf("other organisation reads the organisation: %v", err)
		}
		users, _, err := a.Accounts.ListUsers(ctx, sup.Principal, accounts.UserFilter{}, accounts.Page{})
		if err != nil || len(users) != 2 {
			t.Errorf("supervisor lists %d users (%v), want self and team member", len(users), err)
		}
		if _, err := a.Accounts.AddMembership(ctx, adminB.Principal, orgB.ID, inTeam.ID, access.RoleViewer, ""); err == nil {
			t.Error("an organisation administrator added another organisation's user without seeing them")
		}
	})
}

// Reading a user's identity is audited, with field names and never values,
// and the identity is nowhere in the database files in clear.
func TestIdentityIsEncryptedAndReadsAudited(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		u := a.NewUser(org.ID, access.RoleViewer, "")
		got, err := a.Accounts.GetUser(ctx, admin.Principal, u.ID)
		if err != nil || got.Email != u.Email || got.Name != u.Name {
			t.Fatalf("GetUser = %+v, %v", got, err)
		}
		entries, _, err := a.Audit.List(ctx, audit.Filter{Action: "user.read", ObjectID: u.ID})
		if err != nil || len(entries) != 1 || entries[0].ActorID != admin.ID || strings.Join(entries[0].Fields, ",") != "email,name" {
			t.Fatalf("user.read audit = %+v, %v", entries, err)
		}
		if a.DB.Engine() != "sqlite" {
			return
		}
		if _, err := a.DB.Raw().Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(a.DB.SQLitePath + "*")
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("SNTL")) {
				t.Errorf("%s holds a sentinel in clear", filepath.Base(f))
			}
		}
	})
}

// Erasure destroys the data key: the identity is unreadable afterwards, the
// e-mail no longer finds the account, and on SQLite the key's bytes are in
// neither the database file nor its WAL.
func TestEraseUser(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		u := a.NewUser(org.ID, access.RoleViewer, "")
		var wrapped []byte
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT k.wrapped FROM data_keys k JOIN users u ON u.data_key_id = k.id WHERE u.id = ?`, u.ID), &wrapped); err != nil {
			t.Fatal(err)
		}
		if err := a.Accounts.EraseUser(ctx, admin.Principal, u.ID); err != nil {
			t.Fatal(err)
		}
		got, err := a.Accounts.GetUser(ctx, access.System, u.ID)
		if err != nil || got.Email != accounts.ErasedMarker || got.Name != accounts.ErasedMarker || !got.Disabled {
			t.Fatalf("erased user reads as %+v, %v", got, err)
		}
		if _, err := a.Accounts.UserIDByEmail(ctx, u.Email); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("erased e-mail still finds the account: %v", err)
		}
		if _, err := a.Accounts.AuthenticateToken(ctx, u.Token); err == nil {
			t.Fatal("erased account's token still works")
		}
		entries, _, _ := a.Audit.List(ctx, audit.Filter{Action: "user.erase", ObjectID: u.ID})
		if len(entries) != 1 {
			t.Fatalf("erasure not audited: %v", entries)
		}
		if a.DB.Engine() != "sqlite" {
			return
		}
		files, _ := filepath.Glob(a.DB.SQLitePath + "*")
		for _, f := range files {
			if b, _ := os.ReadFile(f); bytes.Contains(b, wrapped) {
				t.Errorf("%s still holds the erased data key", filepath.Base(f))
			}
		}
	})
}

// Sessions are checked, touched and revoked from many goroutines at once.
func TestConcurrentSessions(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		u := a.NewUser(org.ID, access.RoleViewer, "")
		token := mustToken(t, a, u)
		done := make(chan error, 16)
		for i := range 16 {
			go func() {
				a.Clock.Advance(time.Second)
				_, _, err := a.Accounts.Authenticate(ctx, token)
				if i == 15 {
					err = a.Accounts.SignOut(ctx, token)
				} else if errors.Is(err, accounts.ErrUnauthorized) {
					err = nil
				}
				done <- err
			}()
		}
		for range 16 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := a.Accounts.Authenticate(ctx, token); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("signed-out session works: %v", err)
		}
	})
}
