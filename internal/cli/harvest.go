// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/opendata"
)

// runHarvest is `amparo harvest [--source ID | --url URL [--series A,B]
// [--area X,Y]]`: pull another instance's published open data now. Without
// a flag every active source runs. Hosts must be on --outbound-hosts.
func runHarvest(ctx context.Context, e env, args []string) error {
	fs, cfg := flags("harvest", e)
	source := fs.String("source", "", "id of a saved harvest source to run")
	base := fs.String("url", "", "base address (https://…) of an Amparo instance to harvest once, without saving it")
	series := fs.String("series", "", "with --url: comma-separated series codes; empty takes every series")
	areas := fs.String("area", "", "with --url: comma-separated M49 or ISO area codes; empty takes every area")
	if err := parse(fs, cfg, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || (*source != "" && *base != "") || (*base == "" && (*series != "" || *areas != "")) {
		return errors.New("usage: amparo harvest [--source ID | --url URL [--series A,B] [--area X,Y]] [flags]")
	}
	a, err := open(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	report := func(name string, res opendata.Result, err error) error {
		switch {
		case err == nil && res.Status == opendata.StatusNotModified:
			fmt.Fprintf(e.stdout, "%s: nothing new\n", name)
		case err == nil:
			fmt.Fprintf(e.stdout, "%s: %d value(s) imported as drafts (import %s)\n", name, res.Rows, res.ImportID)
		default:
			fmt.Fprintf(e.stdout, "%s: failed: %s\n", name, res.Detail)
		}
		return err
	}
	switch {
	case *base != "":
		res, err := a.OpenData.RunURL(ctx, access.System, *base, strings.Split(*series, ","), strings.Split(*areas, ","))
		return report(*base, res, err)
	case *source != "":
		src, err := a.OpenData.Source(ctx, access.System, *source)
		if err != nil {
			return err
		}
		res, err := a.OpenData.RunSource(ctx, access.System, src.ID)
		return report(src.Name, res, err)
	}
	list, err := a.OpenData.Sources(ctx, access.System)
	if err != nil {
		return err
	}
	var failed int
	for _, src := range list {
		if !src.Active {
			continue
		}
		res, err := a.OpenData.RunSource(ctx, access.System, src.ID)
		if report(src.Name, res, err) != nil {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d source(s) failed", failed)
	}
	return nil
}
