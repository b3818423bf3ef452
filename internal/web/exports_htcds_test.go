// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestCasesExportHTCDSPage exports a team's trafficking cases in the HTCDS
// layout through the export page: the answer is the encrypted file,
// streamed, with the template's header and the one trafficking case; a
// refused password shows the form again with the layout still chosen.
func TestCasesExportHTCDSPage(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		team, err := a.Accounts.CreateTeam(context.Background(), access.System, org.ID, "Team")
		if err != nil {
			t.Fatal(err)
		}
		cw := a.NewUser(org.ID, access.RoleCaseworker, team.ID)
		sup := a.NewUser(org.ID, access.RoleSupervisor, team.ID)
		_, trafficked := a.ProtectionCase(cw, 1999)
		a.ProtectionCase(cw, 2001)
		if _, err := a.Exploitation.Put(context.Background(), cw.Principal, trafficked.ID, exploitation.Input{
			TraffickingStatus: "possible_victim", ExploitationTypes: []string{"forced_begging"}}); err != nil {
			t.Fatal(err)
		}
		res := a.Do(nil, http.MethodGet, "/cases/export", sup.Token, nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `data-testid="layout-htcds"`) {
			t.Fatalf("the form: %d", res.Status)
		}
		wrong := exportForm("not the password")
		wrong.Set("layout", "htcds")
		status, _, body := postFile(t, a, "/cases/export", sup.Token, wrong)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `value="htcds" checked`) {
			t.Fatalf("a wrong password: %d", status)
		}
		form := exportForm(sup.Password)
		form.Set("layout", "htcds")
		form.Set("format", "csv")
		status, h, body := postFile(t, a, "/cases/export", sup.Token, form)
		if status != http.StatusOK || h.Get("X-Export-Id") == "" || !strings.Contains(h.Get("Content-Disposition"), "htcds-") {
			t.Fatalf("the export: %d %v", status, h)
		}
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(openExport(t, h, body, "a passphrase long enough")),
			"\ufeff")), "\n")
		if len(lines) != 2 || lines[0] != strings.Join(exploitation.HTCDSColumns, ",") ||
			!strings.Contains(lines[1], "PossibleVictimOfTrafficking") || !strings.Contains(lines[1], "ForcedBegging") {
			t.Errorf("the file's lines %q", lines)
		}
	})
}
