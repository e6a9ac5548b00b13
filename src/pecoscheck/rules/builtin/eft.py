"""EFT rules: the CMS-588 bank account (routing number, account type, joint, account holder name).

Every rule here looks at ``bank_account`` and says nothing when the profile has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import BankAccount, PersonName
from ..base import Context, Hit, rule

_SRC = "[S26] NGS EFT instructions; [S27] FCSO CMS-588 tips (mod. 11/20/2024)"


def normalize_name(text: str) -> str:
    """Case-folded, commas and periods dropped, spaces collapsed (the PIM tolerates comma/period differences)."""
    return " ".join(re.sub(r"[.,]", " ", text).casefold().split())


def person_matches(holder: str, name: PersonName) -> bool:
    """Whether ``holder`` is the person's name: first and last, optionally middle (or its initial), suffix
    and credential."""
    words = normalize_name(holder).split()
    first, last = normalize_name(name.first).split(), normalize_name(name.last).split()
    optional = normalize_name(" ".join(filter(None, (name.middle, name.suffix, name.credential)))).split()
    optional += [w[0] for w in normalize_name(name.middle or "").split()]
    rest = list(words)
    for w in first + last:
        if w not in rest:
            return False
        rest.remove(w)
    return all(w in optional for w in rest)


def _account(ctx: Context) -> BankAccount | None:
    return ctx.profile.bank_account


@rule("EFT001", "Routing number is not a valid ABA routing number", "error",
      hint="Copy the 9-digit routing number from the voided check or the bank letter.",
      rationale="EFT payments go to the account identified by the ABA routing number on the CMS-588. A "
                "routing number is 9 digits whose last digit is a checksum (weights 3, 7, 1); a number "
                "failing it is a typo and the EFT set-up would fail.",
      source=_SRC + "; ABA routing number checksum (python-stdnum `stdnum.us.rtn`)",
      example_fail="bank_account:\n  routing_number: \"121000359\"",
      example_pass="bank_account:\n  routing_number: \"121000358\"")
def routing_number(ctx: Context) -> Iterator[Hit]:
    from stdnum.us import rtn

    account = _account(ctx)
    if account is None:
        return
    value = account.routing_number.strip()
    path = ("bank_account", "routing_number")
    if not re.fullmatch(r"\d{9}", value):
        yield Hit(path, f"routing number `{value}` is not 9 digits")
    elif not rtn.is_valid(value):
        yield Hit(path, f"routing number ending {value[-4:]} fails the ABA checksum (the check digit "
                  f"should be {rtn.calc_check_digit(value[:8])}, not {value[-1]})")


@rule("EFT002", "Joint bank account", "error",
      hint="Use an account held in the provider's name alone (the LBN, or the practitioner's SSA name).",
      rationale="Medicare EFT does not accept joint accounts: the account must be in the enrollee's legal "
                "business name or SSA name only.",
      source=_SRC,
      example_fail="bank_account:\n  routing_number: \"121000358\"\n  joint: true",
      example_pass="bank_account:\n  routing_number: \"121000358\"\n  joint: false")
def joint_account(ctx: Context) -> Iterator[Hit]:
    account = _account(ctx)
    if account is not None and account.joint:
        yield Hit(("bank_account", "joint"), "the EFT account is a joint account")


@rule("EFT003", "Money-market account", "warning",
      hint="Use a checking or savings account at a bank for Medicare EFT, or confirm with the MAC that the "
           "money-market account is accepted.",
      rationale="NGS EFT instructions list money-market accounts among those not accepted. UNVERIFIED: the "
                "CMS-588 instructions and the other MAC pages read (CGS, Cahaba, Noridian) say only that the "
                "depository must be a financial institution, not a brokerage house or mutual fund, and name "
                "checking and savings accounts; none names money-market accounts. Hence a warning.",
      source=_SRC + "; CGS and Cahaba GBA EFT pages; Noridian JE-B EFT (brokerage houses and mutual funds not "
             "acceptable); CMS-588 instructions (OMB 0938-0626)",
      example_fail="bank_account:\n  routing_number: \"121000358\"\n  account_type: money_market",
      example_pass="bank_account:\n  routing_number: \"121000358\"\n  account_type: checking")
def money_market(ctx: Context) -> Iterator[Hit]:
    account = _account(ctx)
    if account is not None and account.account_type == "money_market":
        yield Hit(("bank_account", "account_type"), "the EFT account is a money-market account")


@rule("EFT004", "Account holder is the DBA name", "error",
      hint="The account must be held in the legal business name (as on the IRS letter), not the DBA; ask the "
           "bank to retitle the account or use one in the LBN.",
      rationale="Medicare EFT does not accept accounts held only in a doing-business-as name; the account "
                "holder must be the legal business name the IRS has on file.",
      source=_SRC,
      kinds=("organization",),
      example_fail="provider:\n  legal_name: Sonoran Home Medical Supply, LLC\n  dba_name: Sonoran HME\n"
                   "bank_account:\n  account_holder: Sonoran HME",
      example_pass="provider:\n  legal_name: Sonoran Home Medical Supply, LLC\n  dba_name: Sonoran HME\n"
                   "bank_account:\n  account_holder: Sonoran Home Medical Supply, LLC")
def dba_account(ctx: Context) -> Iterator[Hit]:
    account, p = _account(ctx), ctx.profile.provider
    if account is None or not account.account_holder or not p.dba_name:
        return
    holder = normalize_name(account.account_holder)
    if holder == normalize_name(p.dba_name) and holder != normalize_name(p.legal_name or ""):
        yield Hit(("bank_account", "account_holder"), f"account holder `{account.account_holder}` is the DBA "
                  f"name, not the legal business name `{p.legal_name}`")


@rule("EFT005", "Account holder is not the LBN or SSA name", "error",
      hint="The account holder must be the legal business name exactly as on the IRS letter (organizations) "
           "or the practitioner's name as at SSA (individuals); commas and periods may differ.",
      rationale="The CMS-588 account holder must be the enrollee's legal business name (IRS) or SSA name; a "
                "different name is a top reason for development. Compared ignoring case, commas and periods "
                "(the PIM tolerates comma/period differences in the LBN); for an individual, a middle name "
                "or initial, a suffix and the credential may be present or absent.",
      source=_SRC + "; [S21] NGS top reasons behind delays; [S63] PIM LBN/punctuation text",
      example_fail="provider:\n  legal_name: Northstar Family Medicine, LLC\n"
                   "bank_account:\n  account_holder: Northstar Family Medicine",
      example_pass="provider:\n  legal_name: Northstar Family Medicine, LLC\n"
                   "bank_account:\n  account_holder: Northstar Family Medicine LLC")
def account_holder_name(ctx: Context) -> Iterator[Hit]:
    account, p = _account(ctx), ctx.profile.provider
    if account is None or not account.account_holder:
        return
    holder = account.account_holder
    path = ("bank_account", "account_holder")
    if p.kind == "individual":
        if p.name is not None and not person_matches(holder, p.name):
            full = " ".join(filter(None, (p.name.first, p.name.middle, p.name.last, p.name.suffix)))
            yield Hit(path, f"account holder `{holder}` is not the practitioner's name `{full}`")
    elif p.legal_name and normalize_name(holder) != normalize_name(p.legal_name):
        if p.dba_name and normalize_name(holder) == normalize_name(p.dba_name):
            return
        yield Hit(path, f"account holder `{holder}` is not the legal business name `{p.legal_name}`")
