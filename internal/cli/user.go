// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/app"
)

var getenv = os.Getenv

const userUsage = "usage: amparo user add|passwd|disable|enable|list|reset-2fa|token|erase [flags]"

func runUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	sub, args := args[0], args[1:]
	fs, cfg := flags("user "+sub, e)
	email := fs.String("email", "", "the account's e-mail address")
	var name, org, role, scopes string
	var days int
	var sysadmin, pwStdin bool
	switch sub {
	case "add":
		fs.StringVar(&name, "name", "", "the person's name")
		fs.StringVar(&org, "org", "", "organisation id to join (see GET /api/v1/organisations)")
		fs.StringVar(&role, "role", "", "role in the organisation: "+strings.Join(access.MembershipRoles(), ", "))
		fs.BoolVar(&sysadmin, "sysadmin", false, "make the account a system administrator")
		fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of standard input instead of generating a one-time password")
	case "passwd":
		fs.BoolVar(&pwStdin, "password-stdin", false, "read the new password from the first line of standard input instead of generating a one-time password")
	case "token":
		fs.StringVar(&org, "org", "", "organisation the token acts in; default the account's first")
		fs.StringVar(&name, "name", "command line", "a name to recognise the token by")
		fs.StringVar(&scopes, "scopes", "", "space-separated permissions (resource.action or resource.*) the token may use")
		fs.IntVar(&days, "days", 30, "days until the token expires (1–366)")
	case "disable", "enable", "reset-2fa", "list", "erase":
	default:
		return errors.New(userUsage)
	}
	if err := parse(fs, cfg, args); err != nil {
		return err
	}
	if sub != "list" && *email == "" {
		return errors.New("--email is required")
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	pw := ""
	if pwStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password on standard input")
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	switch sub {
	case "add":
		u, oneTime, err := a.Accounts.CreateUser(ctx, access.System, accounts.NewUser{
			Email: *email, Name: name, Password: pw, OrgID: org, Role: role, Sysadmin: sysadmin,
		})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "created user %s\n", u.ID)
		printOneTime(e, oneTime)
		return nil
	case "list":
		return listUsers(ctx, e, a)
	}
	id, err := a.Accounts.UserIDByEmail(ctx, *email)
	if err != nil {
		return errors.New("no account has that e-mail address")
	}
	switch sub {
	case "passwd":
		newPw, err := a.Accounts.ResetPassword(ctx, access.System, id, pw)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(e.stdout, "password changed; the account's sessions were ended")
		if pw == "" {
			printOneTime(e, newPw)
		}
	case "disable", "enable":
		if err := a.Accounts.SetDisabled(ctx, access.System, id, sub == "disable"); err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "account %sd\n", sub)
	case "reset-2fa":
		if err := a.Accounts.ResetTOTP(ctx, access.System, id); err != nil {
			return explain(err)
		}
		fmt.Fprintln(e.stdout, "two-factor sign-in removed; the account enrols again at next sign-in")
	case "erase":
		fmt.Fprint(e.stdout, "Erasing destroys the account's name, e-mail and second factor for good, in backups too. Erase? [y/N] ")
		if !confirm(e) {
			return errors.New("not erased")
		}
		if err := a.Accounts.EraseUser(ctx, access.System, id); err != nil {
			return explain(err)
		}
		fmt.Fprintln(e.stdout, "account erased")
	case "token":
		if days < 1 || days > 366 {
			return errors.New("--days must be from 1 to 366")
		}
		p, err := a.Accounts.OperatorPrincipal(ctx, id, org)
		if err != nil {
			return explain(err)
		}
		tok, secret, err := a.Accounts.IssueToken(ctx, p, name, scopes, time.Duration(days)*24*time.Hour)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stderr, "token %s for organisation %s, expires %s; shown once:\n", tok.ID, tok.OrgID, tok.ExpiresAt.Format(time.RFC3339))
		fmt.Fprintln(e.stdout, secret)
	}
	return nil
}

func printOneTime(e env, pw string) {
	if pw != "" {
		fmt.Fprintf(e.stdout, "one-time password (must be changed at first sign-in): %s\n", pw)
	}
}

func listUsers(ctx context.Context, e env, a *app.App) error {
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tE-MAIL\tNAME\tSYSADMIN\t2FA\tDISABLED\tMEMBERSHIPS")
	page := accounts.Page{Limit: 500}
	for {
		users, next, err := a.Accounts.ListUsers(ctx, access.System, accounts.UserFilter{}, page)
		if err != nil {
			return err
		}
		for _, u := range users {
			var ms []string
			for _, m := range u.Memberships {
				ms = append(ms, m.OrgID+":"+m.Role)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%v\t%v\t%s\n", u.ID, u.Email, u.Name, u.IsSysadmin, u.TOTPEnabled, u.Disabled, strings.Join(ms, " "))
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	return tw.Flush()
}

// explain turns a validation error into a sentence naming the fields.
func explain(err error) error {
	var ve *accounts.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var parts []string
	for _, fe := range ve.Errors {
		parts = append(parts, fmt.Sprintf("%s: %s", fe.Field, strings.ReplaceAll(fe.Code, "_", " ")))
	}
	return errors.New(strings.Join(parts, "; "))
}
