// SPDX-License-Identifier: AGPL-3.0-or-later

// Package cli is the `amparo` command: it parses the subcommand and its
// flags and runs it. cmd/amparo only calls Run.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/amparo-project/amparo/internal/app"
	"github.com/amparo-project/amparo/internal/config"
)

// env is what a command works with: its output streams and input.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the web server and API (--demo seeds demo data)", runServe},
		"migrate": {"apply pending database migrations", runMigrate},
		"user":    {"manage accounts: add, passwd, disable, enable, list, reset-2fa", runUser},
		"audit":   {"audit verify: check the audit log's hash chain", runAudit},
		"backup":  {"write an encrypted, verified backup", runBackup},
		"restore": {"restore an encrypted backup into an empty data directory", runRestore},
		"keys":    {"keys rotate: re-wrap every data key under a new key-encryption key", runKeys},
		"demo":    {"create the demo organisation and demo accounts", runDemo},
		"harvest": {"pull the published open data of other Amparo instances (--source ID | --url URL --series A,B)", runHarvest},
		"import":  {"import ratifications FILE | cases FILE | observations FILE: load treaty actions, open cases, or statistics (SDMX-CSV, SDG CSV, SDMX-JSON, CSV, XLSX) (--dry-run)", runImport},
	}
}

// Run runs the command line args (without the program name) and returns
// the process exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "amparo: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.run(ctx, e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "amparo %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "amparo — information system for the protection of migrants")
	fmt.Fprintln(w, "\nUsage: amparo <command> [flags]   (amparo <command> -h for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
}

// flags returns a flag set with the shared configuration flags registered.
func flags(name string, e env) (*flag.FlagSet, *config.Config) {
	fs := flag.NewFlagSet("amparo "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := &config.Config{}
	cfg.Register(fs)
	return fs, cfg
}

func parse(fs *flag.FlagSet, cfg *config.Config, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	return cfg.Finish()
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// open builds the application for a command.
func open(ctx context.Context, cfg *config.Config, e env) (*app.App, error) {
	return app.Open(ctx, cfg, app.Options{Logger: newLogger(cfg, e.stderr)})
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if strings.EqualFold(s, o) {
			return true
		}
	}
	return false
}
