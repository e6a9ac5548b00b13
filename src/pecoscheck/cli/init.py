"""``pecoscheck init``: a commented starter profile, or a draft filled from the public registries."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ._common import EXIT_NOT_READY, app, fail


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the profile: a .yaml file, or a folder (then "
                                         "its profile.yaml).")] = Path("profile.yaml"),
    kind: Annotated[str | None, typer.Option("--kind", help="individual or organization (default: from --type "
                                             "or the NPI; else individual).")] = None,
    type: Annotated[str | None, typer.Option("--type", "-t", help="Practitioner type or provider kind, e.g. "
                                             "nurse_practitioner, NP, physician_assistant, group_practice, "
                                             "dmepos_supplier (see --list-types).")] = None,
    application: Annotated[str | None, typer.Option("--application", help="The CMS form, e.g. CMS-855I, "
                                                    "CMS-855O (order and refer only), CMS-855B, CMS-855S.")] = None,
    from_npi: Annotated[str | None, typer.Option("--from-npi", help="Draft the profile from what NPPES and CMS's "
                                                 "public data hold for this NPI.")] = None,
    update: Annotated[bool, typer.Option("--update", help="With --from-npi (or the profile's own NPI): fill only "
                                         "the empty fields of an existing profile; report disagreements.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    schema_url: Annotated[str | None, typer.Option("--schema-url", help="URL or path for the yaml-language-server "
                                                   "line; then no schema file is written.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the registry cache.")] = False,
    list_types: Annotated[bool, typer.Option("--list-types", help="List the types --type takes and exit.")] = False,
) -> None:
    """Write a commented starter profile (--type), or a draft filled from the registries (--from-npi).

    The editor schema is written as profile.schema.json at the project root (the folder of the
    pecoscheck config file, else the top of the git work tree, else the profile's folder), and the
    profile's first line points at it by a relative path.
    """
    from ..starter import TYPES

    if list_types:
        for t in TYPES.values():
            aliases = f"  (also: {', '.join(t.aliases)})" if t.aliases else ""
            sys.stdout.write(f"{t.id:42} {t.kind:13} {t.application}  {t.label}{aliases}\n")
        return
    if kind is not None and kind not in ("individual", "organization"):
        fail("--kind must be individual or organization")
    path = _target(path)
    if update:
        _update(path, from_npi, kind, application, not no_cache)
        return
    if path.exists() and not force:
        fail(f"{path} already exists; use --force to overwrite it (or --update --from-npi to fill its empty fields)")
    if from_npi is not None and type is not None:
        fail("--type and --from-npi do not go together: the registry says what the provider is")
    ref = schema_url
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create the folder {path.parent}: {exc.strerror or exc}")
    if from_npi is not None:
        text, what = _draft(from_npi, kind, application, path, not no_cache)
    else:
        text, what = _starter(kind, type, application, path)
    if ref is None:
        ref = _schema(path)
    from ..util import atomic_write

    first = f"# yaml-language-server: $schema={ref}\n"
    try:
        atomic_write(path, first + text)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    marker = "TODO" if from_npi is not None else "REPLACE"
    count = text.count(f"# {marker}") + text.count(f"; {marker}")
    sys.stdout.write(f"wrote {path} ({what}). Fill in the {count} values marked {marker}, add your documents, "
                     f"then run:\n  pecoscheck validate {path}\n")


def _target(path: Path) -> Path:
    """The profile file for PATH: a folder (existing, or a name without .yaml/.yml) gets profile.yaml."""
    if path.is_dir() or path.suffix.lower() not in (".yaml", ".yml"):
        return path / "profile.yaml"
    return path


def _starter(kind: str | None, type: str | None, application: str | None, path: Path) -> tuple[str, str]:
    from ..starter import KIND_DEFAULT, TYPES, resolve_type, starter_profile

    try:
        text = starter_profile(kind, None, path.as_posix(), type=type, application=application)
    except ValueError as exc:
        fail(str(exc))
    chosen = resolve_type(type) if type else TYPES[KIND_DEFAULT[kind or "individual"]]
    return text, f"a starter for a {chosen.label}"


def _read(npi: str, use_cache: bool) -> object:
    from ..prefill import PrefillError, read_registries

    try:
        return read_registries(npi, use_cache=use_cache)
    except PrefillError as exc:
        fail(str(exc), exc.code)


def _draft(npi: str, kind: str | None, application: str | None, path: Path, use_cache: bool) -> tuple[str, str]:
    from ..prefill import PrefillError, Registries, draft_profile
    from ..starter import resolve_application

    try:
        app_name = resolve_application(application) if application else None
    except ValueError as exc:
        fail(str(exc))
    reg = _read(npi, use_cache)
    assert isinstance(reg, Registries)
    try:
        text = draft_profile(reg, kind=kind, application=app_name, name=path.as_posix())
    except PrefillError as exc:
        fail(str(exc), exc.code)
    return text, f"a draft for {reg.nppes.display_name}, {reg.nppes.type} NPI {reg.nppes.npi}"


def _schema(path: Path) -> str:
    from ..schema_file import ensure_schema

    try:
        place = ensure_schema(path)
    except OSError as exc:
        fail(f"cannot write the editor schema next to the project: {exc.strerror or exc} (pass --schema-url)")
    if place.action in ("written", "updated"):
        sys.stdout.write(f"{'wrote' if place.action == 'written' else 'updated'} the editor schema {place.file}\n")
    elif place.action == "foreign":
        sys.stderr.write(f"pecoscheck: {place.file} exists and was not written by pecoscheck; left as it is\n")
    return place.ref


def _update(path: Path, npi: str | None, kind: str | None, application: str | None, use_cache: bool) -> None:
    from ..prefill import PrefillError, Registries, draft_tree
    from ..prefill_update import update_text

    try:
        before = path.read_text("utf-8")
    except FileNotFoundError:
        fail(f"{path} does not exist; run without --update to write a new draft")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}")
    if npi is None:
        npi = _npi_of(before)
        if npi is None:
            fail(f"{path} has no provider.npi; pass --from-npi NPI")
    reg = _read(npi, use_cache)
    assert isinstance(reg, Registries)
    try:
        result = update_text(before, draft_tree(reg, kind=kind, application=application))
    except PrefillError as exc:
        fail(str(exc), exc.code)
    if result.text != before:
        import difflib

        from ..util import atomic_write

        try:
            atomic_write(path, result.text)
        except OSError as exc:
            fail(f"cannot write {path}: {exc.strerror or exc}")
        sys.stdout.write(f"filled {len(result.filled)} empty field(s) of {path} from the registries:\n")
        sys.stdout.writelines(difflib.unified_diff(before.splitlines(True), result.text.splitlines(True),
                                                   f"{path} (before)", f"{path} (after)"))
    else:
        sys.stdout.write(f"{path}: no empty field the registries can fill\n")
    if result.disagreements:
        sys.stdout.write(f"\nthe registries disagree with {len(result.disagreements)} value(s) written in {path} "
                         "(left as written; - profile, + registry):\n")
        for d in result.disagreements:
            sys.stdout.write(d.diff() + "\n")
        raise typer.Exit(EXIT_NOT_READY)


def _npi_of(text: str) -> str | None:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    provider = data.get("provider") if isinstance(data, dict) else None
    npi = provider.get("npi") if isinstance(provider, dict) else None
    return str(npi) if npi is not None else None
