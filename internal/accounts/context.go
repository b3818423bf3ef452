// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import "database/sql"

var errNoRows = sql.ErrNoRows
