"""The bodies of ``pecoscheck pecos lookup``, ``exclusions check``, ``data update leie`` and ``data status``.

Each returns the exit code; printing goes to stdout (results) and stderr
(notes and problems). ``cli.py`` only declares the commands.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from ..online.cmsdata import PecosRecord
    from ..online.leie import IndexStatus, LeieRecord

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
NO_INDEX_MESSAGE = ("no local copy of the OIG exclusion list (LEIE) yet: run `pecoscheck data update leie` "
                    "to download it")
VERIFY_NOTE = ("A match by name only is not a finding of exclusion: the LEIE download has no SSN or EIN. "
               "Verify it with OIG's online search (exclusions.oig.hhs.gov) using the SSN or EIN.")


def _console() -> Console:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160, highlight=False, markup=False)


def _err(message: str) -> None:
    sys.stderr.write(f"pecoscheck: {message}\n")


def _table(title: str, columns: list[str], rows: list[list[str]]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", box=None, header_style="bold",
                  pad_edge=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


# --------------------------------------------------------------------------- pecos lookup


def lookup_command(npis: list[str], fmt: str = "text", *, use_cache: bool = True, as_of: date | None = None) -> int:
    """``pecoscheck pecos lookup``: 0 every NPI found, 1 one not found or invalid, 3 data.cms.gov unavailable."""
    from ..npi import problem
    from ..online.cmsdata import CAVEATS, CmsDataClient, Found, NotFound, Unavailable

    if fmt not in ("text", "json"):
        _err("--format must be text or json")
        return EXIT_USAGE
    if not npis:
        _err("no NPI given")
        return EXIT_USAGE
    bad = [(n, problem(n)) for n in npis]
    for _n, p in bad:
        if p:
            _err(f"{p[1]} [{p[0]}]; not looked up")
    valid = [n for n, p in bad if p is None]
    results = []
    if valid:
        with CmsDataClient(cache=use_cache) as client:
            results = client.lookup_many(valid, group_reassignments=True)
    day = as_of or date.today()
    unread = [r for r in results if isinstance(r, Unavailable)]
    nothing_read = bool(results) and all(isinstance(r, Unavailable) and not r.record.sources.keys()
                                         - r.record.unavailable.keys() for r in results)
    if fmt == "json":
        payload = [r.record.to_dict(day) for r in results]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    elif not nothing_read:
        console = _console()
        for r in results:
            _print_record(console, r.record, day)
        if results:
            console.print("\n".join(f"note: {c}" for c in CAVEATS), style="dim")
    if unread:
        _report_unavailable("data.cms.gov", [(r.npi, r.reason) for r in unread], nothing_read)
        return EXIT_UNAVAILABLE
    if any(p for _, p in bad) or any(isinstance(r, NotFound) for r in results):
        return EXIT_NOT_FOUND
    return EXIT_OK if all(isinstance(r, Found) for r in results) else EXIT_NOT_FOUND


def _report_unavailable(service: str, problems: list[tuple[str, str]], nothing_read: bool) -> None:
    """Say once, in plain words, that ``service`` could not be reached or read, and what to do."""
    from ..online.http import OFFLINE_HINT, is_offline_reason

    reasons = list(dict.fromkeys(why for _, why in problems))
    offline = all(is_offline_reason(r) for r in reasons)
    if len(reasons) == 1:
        what = "could not be reached" if offline else "gave no usable answer"
        scope = "nothing was looked up" if nothing_read else f"{len(problems)} NPI(s) only partly looked up"
        _err(f"{service} {what} ({reasons[0]}); {scope}. "
             + (f"{OFFLINE_HINT[0].upper()}{OFFLINE_HINT[1:]}." if offline else "Try again later."))
        return
    for npi, why in problems:
        _err(f"NPI {npi}: {service} could not be read: {why}")


def _print_record(console: Console, record: PecosRecord, day: date) -> None:
    from ..online.cmsdata import NOT_FOUND_NOTE

    name = next((e.name for e in record.enrollments if e.name), "") or next(
        (o.first_name and f"{o.first_name} {o.last_name}" for o in record.opt_outs), "") or ""
    if record.any_rows:
        state = "in CMS public data"
    elif record.unavailable:
        state = "not in the extracts that could be read"
    else:
        state = "not in these extracts"
    if record.unavailable:
        state += " (incomplete: " + ", ".join(sorted(record.unavailable)) + " unavailable)"
    console.print(f"\nNPI {record.npi}" + (f"  {name}" if name else "") + f"  ({state})", style="bold")
    if not record.any_rows and not record.unavailable:
        console.print(NOT_FOUND_NOTE)
        return
    if record.enrollments:
        console.print(_table("Enrollments (Public Provider Enrollment)",
                             ["enrollment id", "PAC id", "provider type", "state", "name"],
                             [[e.enrollment_id, e.pac_id or "", f"{e.provider_type_code or ''} "
                               f"{e.provider_type_desc or ''}".strip(), e.state or "", e.name]
                              for e in record.enrollments]))
    if record.revalidations:
        console.print(_table("Revalidation (Revalidation Due Date List)",
                             ["enrollment id", "state", "type", "due date", "adjusted due date"],
                             [[r.enrollment_id or "", r.state or "", r.enrollment_type_label or "",
                               r.due.display(), r.adjusted_due.display()] for r in record.revalidations]))
    if record.reassignments_to:
        console.print(_table("Reassigns benefits to (Revalidation Reassignment List)",
                             ["group enrollment id", "group", "state", "group due date", "record type"],
                             [[r.group_enrollment_id or "", r.group_name or "", r.group_state or "",
                               r.group_due.display(), r.record_type or ""] for r in record.reassignments_to]))
    if record.reassignments_from:
        console.print(_table("Receives reassignments from (Revalidation Reassignment List)",
                             ["individual NPI", "name", "enrollment id", "specialty", "record type"],
                             [[r.individual_npi or "", r.individual_name, r.individual_enrollment_id or "",
                               r.individual_specialty or "", r.record_type or ""]
                              for r in record.reassignments_from]))
    if "order_referring" not in record.unavailable:
        if record.order_referring:
            o = record.order_referring[0]
            flags = "  ".join(f"{k} {'Y' if v else 'N'}" for k, v in o.flags.items())
            verdict = "eligible" if o.eligible else "NOT eligible"
            console.print(f"Order and Referring: {verdict} ({flags})")
        else:
            console.print("Order and Referring: not on the list")
    if "opt_out" not in record.unavailable:
        active = record.active_opt_out(day)
        undecided = record.undecided_opt_outs(day)
        if active is None and undecided:
            console.print(f"Opt-out: UNKNOWN on {day.isoformat()}: the list's "
                          + "; ".join(" and ".join(o.unreadable) for o in undecided) + " cannot be read",
                          style="bold")
        elif active is not None:
            console.print(f"Opt-out: ACTIVE on {day.isoformat()} (from "
                          f"{active.effective.isoformat() if active.effective else '?'} to "
                          f"{active.end.isoformat() if active.end else 'open end'})", style="bold")
        elif record.opt_outs:
            ended = ", ".join(f"{o.effective} to {o.end}" for o in record.opt_outs)
            console.print(f"Opt-out: none active on {day.isoformat()} (listed: {ended})")
        else:
            console.print("Opt-out: not on the Opt Out Affidavits list")
    if record.truncated:
        console.print("more rows exist than were read for: " + ", ".join(record.truncated), style="yellow")
    if record.dropped:
        console.print("warning: rows for other NPIs were returned and ignored: "
                      + ", ".join(f"{n} from {d}" for d, n in sorted(record.dropped.items())), style="yellow")


# --------------------------------------------------------------------------- exclusions check


def _looks_like_npi(text: str) -> bool:
    return len(text) == 10 and text.isdigit()


def exclusions_command(queries: list[str], fmt: str = "text", *, kind: str = "any",
                       index_path: Path | None = None, today: date | None = None) -> int:
    """``pecoscheck exclusions check``: 0 no match, 1 a match (or an invalid NPI), 2 no index or usage error."""
    from ..npi import problem
    from ..online.leie import LeieIndex, NoIndexError
    from ..online.sam import NoSamIndexError, SamIndex
    from ..online.screening import person_candidates, screen_business, screen_person, screen_sam

    if fmt not in ("text", "json"):
        _err("--format must be text or json")
        return EXIT_USAGE
    if kind not in ("any", "person", "business"):
        _err("--kind must be any, person or business")
        return EXIT_USAGE
    queries = [q.strip() for q in queries if q.strip()]
    if not queries:
        _err("give at least one name or NPI")
        return EXIT_USAGE
    try:
        index = LeieIndex(index_path)
    except NoIndexError as exc:
        _err(str(exc) if exc.problem else NO_INDEX_MESSAGE)
        return EXIT_USAGE
    try:
        sam: SamIndex | None = SamIndex()
    except NoSamIndexError:
        sam = None
    results: list[dict[str, Any]] = []
    invalid = False
    with index:
        status = index.status()
        for q in queries:
            if _looks_like_npi(q) or q.isdigit():
                p = problem(q)
                if p:
                    _err(f"{p[1]} [{p[0]}]; not looked up")
                    invalid = True
                    continue
                results.append({"query": q, "by": "npi", "matches": index.by_npi(q),
                                "sam": sam.by_npi(q) if sam else []})
                continue
            sam_hits = []
            if sam is not None:
                if kind in ("any", "person"):
                    sam_hits += screen_sam(sam, "individual", q)
                if kind in ("any", "business"):
                    sam_hits += screen_sam(sam, "organization", q)
            matches: list[LeieRecord] = []
            if kind in ("any", "person"):
                candidates = person_candidates(q)
                if len(candidates) == 1 and not candidates[0][1]:
                    matches += index.by_name(candidates[0][0])  # one word: a last name
                else:
                    matches += screen_person(index, q)
            if kind in ("any", "business"):
                matches += screen_business(index, q)
            results.append({"query": q, "by": "name", "matches": _dedupe(matches), "sam": sam_hits})
    if sam is not None:
        sam.close()
    else:
        _err("note: SAM.gov exclusions not searched: no local copy (`pecoscheck data update sam --file EXTRACT`)")
    day = today or date.today()
    any_match = any(r["matches"] or r["sam"] for r in results)
    if fmt == "json":
        payload = {
            "index": status.to_dict(day),
            "results": [{"query": r["query"], "by": r["by"], "match": bool(r["matches"]),
                         "verify_with_oig": r["by"] == "name" and bool(r["matches"]),
                         "matches": [m.to_dict() for m in r["matches"]],
                         "sam_matches": [m.to_dict() for m in r["sam"]]} for r in results],
            "note": VERIFY_NOTE,
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        _print_exclusions(results, status, day)
    if invalid or any_match:
        return EXIT_NOT_FOUND
    return EXIT_OK


def _dedupe(records: list[LeieRecord]) -> list[LeieRecord]:
    seen: dict[tuple[Any, ...], LeieRecord] = {}
    for r in records:
        seen.setdefault((r.last_name, r.first_name, r.business_name, r.npi, r.dob, r.exclusion_date), r)
    return list(seen.values())


def _print_exclusions(results: list[dict[str, Any]], status: IndexStatus, day: date) -> None:
    console = _console()
    rows = []
    for r in results:
        for m in r["sam"]:
            how = "SAM.gov NPI match" if r["by"] == "npi" else "SAM.gov NAME ONLY: verify"
            rows.append([r["query"], how, m.display_name, m.exclusion_type or "", m.npi or "",
                         ", ".join(x for x in (m.city, m.state) if x),
                         f"{m.active_date.isoformat() if m.active_date else '?'} {m.agency or ''}".strip()])
        if not r["matches"]:
            if not r["sam"]:
                rows.append([r["query"], "no match", "", "", "", "", ""])
            continue
        for m in r["matches"]:
            how = "NPI match" if r["by"] == "npi" else "NAME ONLY: verify"
            place = ", ".join(x for x in (m.city, m.state) if x)
            what = ", ".join(x for x in (m.general, m.specialty) if x)
            excluded = f"{m.exclusion_date.isoformat() if m.exclusion_date else '?'} {m.exclusion_type or ''}"
            rows.append([r["query"], how, m.display_name, what, m.npi or "", place, excluded.strip()])
    console.print(_table("Exclusions (OIG LEIE, SAM.gov)",
                         ["query", "result", "name", "type", "NPI", "place", "excluded"], rows))
    console.print(_index_line(status, day), style="dim")
    if any(r["by"] == "name" and r["matches"] for r in results):
        console.print(VERIFY_NOTE)


def _index_line(status: IndexStatus, day: date) -> str:
    age = status.age_days(day)
    when = status.file_date.isoformat() if status.file_date else "unknown date"
    text = f"LEIE copy of {when}" + (f" ({age} days old)" if age is not None else "")
    text += f", {status.active_rows:,} active exclusions"
    if status.stale(day):
        text += "; lacks the latest month OIG has published: run `pecoscheck data update leie`"
    return text


# --------------------------------------------------------------------------- data update / status

FILE_HINT = ("if this machine cannot reach oig.hhs.gov, download UPDATED.csv (and the monthly YYMMEXCL.csv and "
             "YYMMREIN.csv supplements) elsewhere and run `pecoscheck data update leie --file UPDATED.csv "
             "--file 2611EXCL.csv ...`")


def update_leie_command(*, url: str | None = None, files: list[Path] | None = None, force: bool = False,
                        file_date: date | None = None, fmt: str = "text", today: date | None = None) -> int:
    """``pecoscheck data update leie``: 0 updated or current, 2 a bad file, 3 the download failed."""
    from ..online.http import OFFLINE_HINT, UnavailableError, is_offline_reason
    from ..online.leie import LeieFormatError, NoIndexError, apply_supplements, build_index, leie_url, update
    from ..online.leie.months import supplement_of

    if fmt not in ("text", "json"):
        _err("--format must be text or json")
        return EXIT_USAGE
    day = today or date.today()
    applied: tuple[str, ...] = ()
    not_published: tuple[str, ...] = ()
    if files:
        missing = [f for f in files if not f.is_file()]
        if missing:
            _err(f"no such file: {missing[0]}")
            return EXIT_USAGE
        full = [f for f in files if supplement_of(f.name) is None]
        supplements = [f for f in files if supplement_of(f.name) is not None]
        if len(full) > 1:
            _err("give one full list (UPDATED.csv) at most; supplements are named like 2611EXCL.csv or 2611REIN.csv")
            return EXIT_USAGE
        try:
            if full:
                status = build_index(full[0], file_date=file_date,
                                     file_date_from="given" if file_date else "file",
                                     source_name=str(full[0].resolve()))
            if supplements:
                status = apply_supplements([(f, f.name) for f in supplements])
                applied = tuple(f.name.upper().removesuffix(".CSV")[-8:] for f in supplements)
        except LeieFormatError as exc:
            _err(f"{exc}; the existing copy (if any) is unchanged")
            return EXIT_USAGE
        except NoIndexError:
            _err("a supplement needs a full list to apply to: give UPDATED.csv with --file too")
            return EXIT_USAGE
        outcome, size = "updated", sum(f.stat().st_size for f in files)
    else:
        source = url or leie_url()
        try:
            result = update(source, force=force, today=lambda: day)
        except UnavailableError as exc:
            offline = exc.offline or is_offline_reason(exc.reason)
            what = "could not be reached" if offline else "could not be downloaded"
            _err(f"the OIG exclusion list {what} ({source}: {exc.reason}); the existing copy (if any) is unchanged. "
                 + (f"{OFFLINE_HINT[0].upper()}{OFFLINE_HINT[1:]}, or " if offline else "Try again later, or ")
                 + FILE_HINT)
            return EXIT_UNAVAILABLE
        status, outcome, size = result.status, result.outcome, result.bytes
        applied, not_published = result.supplements, result.not_published
    if fmt == "json":
        sys.stdout.write(json.dumps({"outcome": outcome, "bytes": size, "applied_now": list(applied),
                                     "not_published": list(not_published), **status.to_dict(day)}, indent=2) + "\n")
        return EXIT_OK
    when = status.file_date.isoformat() if status.file_date else "unknown date"
    if outcome == "current":
        sys.stdout.write(f"LEIE copy is current (the server reports no change since {when}): {status.rows:,} "
                         f"rows at {status.path}\n")
    else:
        sys.stdout.write(f"LEIE copy updated: {status.rows:,} rows ({status.active_rows:,} active exclusions"
                         + (f", {status.skipped_rows} unreadable rows skipped" if status.skipped_rows else "")
                         + f"), file date {when} ({status.file_date_from})\n"
                         f"  from {status.source}\n  index {status.path}\n")
    if applied:
        sys.stdout.write(f"  supplements applied: {', '.join(applied)}\n")
    for line in _month_lines(status, day, not_published):
        sys.stdout.write(f"  {line}\n")
    return EXIT_OK


def _month_lines(status: IndexStatus, day: date, not_published: tuple[str, ...] = ()) -> list[str]:
    from ..online.leie.months import label

    out = []
    covered = status.covered_through
    if covered is not None:
        out.append(f"full list holds exclusions through {label(covered)}"
                   + (f"; supplements applied: {', '.join(status.supplements)}" if status.supplements else ""))
    gaps = status.gaps()
    if gaps:
        out.append(f"GAP: the supplements {', '.join(gaps)} are missing between the full list and the latest month "
                   "applied; exclusions or reinstatements of those months may be missing")
    if not_published:
        out.append(f"not on OIG's site (yet): {', '.join(not_published)}")
    if status.stale(day):
        missing = status.missing(day)
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        out.append("STALE: " + (f"missing {shown}; " if missing else "")
                   + "run `pecoscheck data update leie` (or add the supplements with --file)")
    return out


def update_sam_command(file: Path, *, file_date: date | None = None, fmt: str = "text") -> int:
    """``pecoscheck data update sam --file EXTRACT``: 0 indexed, 2 a missing or bad file."""
    from ..online.sam import SamFormatError, build_sam_index

    if fmt not in ("text", "json"):
        _err("--format must be text or json")
        return EXIT_USAGE
    if not file.is_file():
        _err(f"no such file: {file}")
        return EXIT_USAGE
    try:
        status = build_sam_index(file, file_date=file_date, source_name=str(file.resolve()))
    except SamFormatError as exc:
        _err(f"{file}: {exc}; the existing copy (if any) is unchanged")
        return EXIT_USAGE
    if fmt == "json":
        sys.stdout.write(json.dumps({"outcome": "updated", **status.to_dict()}, indent=2) + "\n")
        return EXIT_OK
    when = status.file_date.isoformat() if status.file_date else "unknown date"
    sys.stdout.write(f"SAM.gov exclusions indexed: {status.rows:,} records (extract layout version {status.layout}), "
                     f"file date {when}\n  from {status.source}\n  index {status.path}\n")
    return EXIT_OK


def status_command(fmt: str = "text", *, today: date | None = None) -> int:
    """``pecoscheck data status``: the local LEIE and SAM.gov copies and the data.cms.gov cache; no request."""
    from ..online.cache import info as cache_info
    from ..online.cmsdata import DATASETS, cached_dataset_refs, cms_data_base_url
    from ..online.leie import default_index_path, index_status, leie_url
    from ..online.sam import default_sam_index_path, sam_index_status

    if fmt not in ("text", "json"):
        _err("--format must be text or json")
        return EXIT_USAGE
    day = today or date.today()
    leie = index_status()
    sam = sam_index_status()
    refs = cached_dataset_refs()
    cache = cache_info()
    payload: dict[str, Any] = {
        "leie": leie.to_dict(day) if leie else {"path": str(default_index_path()), "present": False},
        "leie_url": leie_url(),
        "sam": sam.to_dict(day) if sam else {"path": str(default_sam_index_path()), "present": False},
        "cms_data_url": cms_data_base_url(),
        "datasets": {k: (refs[k].model_dump(exclude={"key"}) if refs and k in refs else
                         {"id": d.known_id, "title": " ".join(d.title.split()), "resolved_by": "not yet"})
                     for k, d in DATASETS.items()},
        "cache": {"folder": str(cache.folder), "entries": cache.entries, "bytes": cache.bytes},
    }
    if leie:
        payload["leie"]["present"] = True
    if sam:
        payload["sam"]["present"] = True
    if fmt == "json":
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return EXIT_OK
    out = ["OIG exclusion list (LEIE)"]
    if leie is None:
        out.append(f"  no local copy at {default_index_path()}: run `pecoscheck data update leie`")
    else:
        out += [f"  {_index_line(leie, day)}",
                f"  rows {leie.rows:,}; built {leie.built_at.isoformat(timespec='seconds') if leie.built_at else '?'}",
                f"  from {leie.source}", f"  index {leie.path}"]
        out += [f"  {line}" for line in _month_lines(leie, day)]
    out += ["", "SAM.gov exclusions"]
    if sam is None:
        out.append(f"  no local copy at {default_sam_index_path()}: download the public extract and run "
                   "`pecoscheck data update sam --file EXTRACT.csv`")
    else:
        when = sam.file_date.isoformat() if sam.file_date else "unknown date"
        age = sam.age_days(day)
        out += [f"  extract of {when}" + (f" ({age} days old)" if age is not None else "")
                + f", {sam.rows:,} records, layout version {sam.layout}", f"  from {sam.source}",
                f"  index {sam.path}"]
    out += ["", f"data.cms.gov ({cms_data_base_url()})"]
    for key, d in DATASETS.items():
        ref = refs.get(key) if refs else None
        if ref is not None:
            version = ref.version.rsplit(":", 1)[-1].strip() if ref.version else "?"
            out.append(f"  {ref.title}: {ref.id} (release {version}, modified {ref.modified or '?'})")
        else:
            out.append(f"  {' '.join(d.title.split())}: {d.known_id} (known id; catalogue not read yet)")
    out += ["", f"cache {cache.folder}: {cache.entries} answers, {cache.bytes:,} bytes"]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK
