// SPDX-License-Identifier: AGPL-3.0-or-later

// Package requestid carries the id of the request being served through a
// context, so that the access log, error responses and audit entries written
// by any domain package can name the same request without importing HTTP.
package requestid

import "context"

type key struct{}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, key{}, id)
}

// From returns the id carried by ctx, or "".
func From(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}
