// SPDX-License-Identifier: AGPL-3.0-or-later

// Command amparo is the information system for the protection of migrants:
// server, API and administration commands in one binary.
package main

import (
	"os"

	"github.com/amparo-project/amparo/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
