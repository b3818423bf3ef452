// SPDX-License-Identifier: AGPL-3.0-or-later

// Package referrals is the directory of service providers and the
// referrals caseworkers make from a case to them (the resolution's ¶7:
// access to health care, psychosocial support, legal aid, shelter,
// education, documentation, family tracing, livelihood, return and
// reintegration help).
//
// The directory holds organisational contacts only. Any signed-in user may
// read it; organisation administrators keep the entries their organisation
// maintains, system administrators all of them (provider.write). A provider
// may itself be an Amparo organisation, which then receives the referrals
// sent to it in Amparo.
//
// A referral discloses that a person needs a service to someone else, so
// it is gated on consent: sending one to a provider that is not the sending
// organisation itself is refused unless the person's latest consent
// statement for purpose "referral" names the receiving organisation
// (internal/persons, checked in the sending transaction so that a
// withdrawal cannot slip in between). A user holding
// referral.override_consent may send without consent only by giving one of
// a few reason codes (OverrideReasons); that is audited as
// referral.consent_override. A provider outside Amparo cannot be named in
// a consent statement, so referring to one always needs the override.
//
// Access follows the case: the sending side needs referral.read or
// referral.write on the case (cases.Service.Reach). The receiving side —
// members of the receiving organisation holding referral.receive — sees
// Received views, which hold only what the consent covers: the service
// type, dates, status and outcome, the basis on which the referral was
// sent and, while that basis stands, the person's non-identifying
// attributes and languages (SharedPerson). The consent does not cover the
// person's identity, vulnerabilities, the case, its number or its notes,
// and none of them is ever in a Received view: the person brings the
// referral's id to the provider. Referrals of other organisations answer
// ErrNotFound.
//
// Status moves are a table (Transitions): sent → accepted or declined by
// the receiver, accepted → completed by the receiver, and sent or accepted
// → revoked by the sender. For a provider outside Amparo the sender records
// the provider's answers. Declines, revocations and completions carry a
// code from a vocabulary (OutcomeCodes), never free text.
//
// Every write appends an audit entry in the same transaction, naming
// fields, never values.
package referrals
