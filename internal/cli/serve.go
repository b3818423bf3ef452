// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime/debug"
	"strings"

	"github.com/amparo-project/amparo/internal/app"
	"github.com/amparo-project/amparo/internal/demo"
	"github.com/amparo-project/amparo/internal/server"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs, cfg := flags("serve", e)
	fs.BoolVar(&cfg.Demo, "demo", envBool("AMPARO_DEMO"), "create demo organisation and accounts, print their one-time passwords (AMPARO_DEMO)")
	if err := parse(fs, cfg, args); err != nil {
		return err
	}
	// GOMEMLIMIT, when set, is the operator's explicit choice and wins.
	if cfg.MemoryLimitMiB > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(cfg.MemoryLimitMiB) << 20)
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	var seeded []demo.Account
	if cfg.Demo {
		if seeded, err = demo.Seed(ctx, a.DB, a.Accounts); err != nil {
			return err
		}
		if _, err := demo.Evidence(ctx, a.Accounts, a.Observations); err != nil {
			return err
		}
	}
	ready := make(chan string, 1)
	go func() {
		addr, ok := <-ready
		if ok {
			printWelcome(e, a, addr, seeded)
		}
	}()
	// The jobs (alerts, digests, retention) run while the server serves
	// and stop with it, before the database closes.
	stopJobs := a.StartScheduler(ctx)
	err = server.Run(ctx, cfg.Addr, cfg.TLSCert, cfg.TLSKey, a.Handler, a.Logger, ready)
	if jobsErr := stopJobs(); err == nil {
		err = jobsErr
	}
	return err
}

func printWelcome(e env, a *app.App, addr string, seeded []demo.Account) {
	scheme := "http"
	if a.Config.TLSCert != "" {
		scheme = "https"
	}
	host, port, _ := net.SplitHostPort(addr)
	if host == "127.0.0.1" || host == "::1" || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	url := fmt.Sprintf("%s://%s/login", scheme, net.JoinHostPort(host, port))
	fmt.Fprintf(e.stdout, "Amparo is running on %s (%s database, data in %s)\n", url, a.DB.Engine(), a.Config.DataDir)
	if len(seeded) == 0 {
		return
	}
	fmt.Fprintln(e.stdout, "\nDemo accounts (demo data only; you will be asked to set up two-factor sign-in and a new password):")
	for _, acc := range seeded {
		pw := acc.Password
		if pw == "" {
			pw = "(in use: password unchanged; reset with `amparo user passwd --email " + acc.Email + "`)"
		} else {
			pw = "one-time password: " + pw
		}
		fmt.Fprintf(e.stdout, "  %-30s %-11s %s\n", acc.Email, acc.Role, pw)
	}
	fmt.Fprintln(e.stdout, strings.Repeat("-", 60))
}
