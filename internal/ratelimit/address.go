// SPDX-License-Identifier: AGPL-3.0-or-later

package ratelimit

import "net/netip"

// AddressKey names the client address a per-address limit counts against:
// an IPv4 address as it is, an IPv6 address by its /64, because one
// household or server is usually given a whole /64 and could otherwise
// step around the limit by changing the low bits. Anything unparsable is
// used as it is.
func AddressKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}
