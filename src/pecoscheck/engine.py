"""The run loop: load → model → rules → findings, for files and folders. No printing, no exits."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .errors import ConfigError, PecosCheckError
from .findings import Finding, ProfileResult, Report, Run, Severity, clip
from .loader import Loaded, format_path, iter_comments, load
from .model import Profile
from .rules.base import Context, Rule, Settings
from .rules.registry import Registry, default_registry
from .util import real_folder
from .validate import to_profile

if TYPE_CHECKING:
    from .resultcache import ResultCache

PROFILE_SUFFIXES = (".yaml", ".yml")
_DRAFT = re.compile(r"#[ \t]*pecoscheck:[ \t]*draft\b", re.IGNORECASE)
_SUPPRESS = re.compile(r"pecoscheck:\s*ignore\[([A-Za-z0-9_,\s]+)\]\s*(.*)")


class UsageError(PecosCheckError):
    """A path or option on the command line is wrong (exit 2)."""


@dataclass
class Options:
    """Everything that decides how profiles are checked; picklable, for worker processes."""

    as_of: date = field(default_factory=date.today)
    strict: bool = False
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    rule_dirs: list[str] = field(default_factory=list)
    plugins: bool = True
    exclude: list[str] = field(default_factory=list)
    online: frozenset[str] = frozenset()
    use_cache: bool = True
    drafts: bool = True  # honour `# pecoscheck: draft` (False: --no-drafts, a draft counts like any profile)
    config_file: str | None = None  # where config-given selectors came from, for error messages
    config_selectors: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, cfg: Config, **overrides: object) -> Options:
        opts = cls(select=list(cfg.select), ignore=list(cfg.ignore), extend_select=list(cfg.extend_select),
                   severity=dict(cfg.severity), settings=cfg.settings,
                   rule_dirs=[str(p) for p in cfg.rule_paths], exclude=list(cfg.exclude), strict=cfg.strict,
                   config_file=str(cfg.file) if cfg.file else None,
                   config_selectors={"select": tuple(cfg.select), "ignore": tuple(cfg.ignore),
                                     "extend-select": tuple(cfg.extend_select), "severity": tuple(cfg.severity)})
        for key, value in overrides.items():
            if value is not None:
                setattr(opts, key, value)
        return opts


class RuleSet:
    """The selected rules with their effective severities."""

    __slots__ = ("_scoped", "registry", "repository", "rules", "severity")

    def __init__(self, registry: Registry, rules: list[Rule], severity: dict[str, Severity | None],
                 repository: dict[str, Severity] | None = None) -> None:
        self.registry = registry
        self.rules = rules
        self.severity = severity
        self.repository: dict[str, Severity] = repository if repository is not None else {}  # checks across profiles
        self._scoped: dict[tuple[str, str, str], tuple[list[Rule], tuple[str, ...], bool]] = {}

    @classmethod
    def build(cls, options: Options) -> RuleSet:
        registry = default_registry(options.rule_dirs, plugins=options.plugins)
        _check_selectors(registry, options)
        rules = registry.select(options.select or None, options.ignore, options.extend_select)
        severity: dict[str, Severity | None] = {}
        for sel, level in options.severity.items():
            for rid in registry.resolve([sel]):
                severity[rid] = None if level == "off" else Severity(level)
        repository: dict[str, Severity] = {}
        for r in rules:
            effective = severity.get(r.id, r.severity)
            if r.origin == "repository" and effective is not None:
                repository[r.id] = effective
        rules = [r for r in rules if severity.get(r.id, r.severity) is not None
                 and r.origin not in ("core", "repository") and (r.online is None or r.online in options.online)]
        return cls(registry, rules, severity, repository)

    def severity_of(self, rule_id: str, default: Severity) -> Severity | None:
        return self.severity.get(rule_id, default)

    def applicable(self, ctx: Context) -> tuple[list[Rule], tuple[str, ...]]:
        """The rules that apply to ``ctx``, and their ids.

        ``Rule.applies`` depends only on the provider kind, the application and the action, so the
        answer is worked out once per combination; a rule class that overrides ``applies`` is asked
        every time.
        """
        key = (ctx.kind, ctx.application, ctx.action)
        scoped = self._scoped.get(key)
        if scoped is None:
            rules = [r for r in self.rules if type(r).applies is not Rule.applies or r.applies(ctx)]
            dynamic = any(type(r).applies is not Rule.applies for r in rules)
            scoped = self._scoped[key] = (rules, tuple(r.id for r in rules), dynamic)
        if not scoped[2]:
            return scoped[0], scoped[1]
        rules = [r for r in scoped[0] if type(r).applies is Rule.applies or r.applies(ctx)]
        return rules, tuple(r.id for r in rules)


def _check_selectors(registry: Registry, options: Options) -> None:
    """A :class:`ConfigError` naming the config file and key (or the option) of a selector that matches no rule."""
    given = {"select": options.select, "ignore": options.ignore, "extend-select": options.extend_select,
             "severity": list(options.severity)}
    for key, values in given.items():
        for value in values:
            if not value.strip():
                continue
            try:
                registry.resolve([value])
            except ConfigError:
                from .suggest import closest

                guess = closest(value.strip().upper(), registry.rules)
                hint = f" (did you mean `{guess}`?)" if guess else ""
                where = (f"{options.config_file}: `{key}`" if options.config_file
                         and value in options.config_selectors.get(key, ()) else f"--{key}")
                raise ConfigError(f"{where}: unknown rule or prefix `{value.strip()}`{hint}; "
                                  "see `pecoscheck rules list`") from None


def display_path(path: Path) -> str:
    """A path relative to the working folder when it lies below it, with forward slashes."""
    given = os.fspath(path)
    if not os.path.isabs(given):
        plain = os.path.normpath(given)
        if not plain.startswith(".."):  # below the working folder: relpath would give the same (no getcwd)
            return plain.replace(os.sep, "/")
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    if rel.startswith(".."):
        rel = str(path)
    return rel.replace(os.sep, "/")


def is_draft(text: str) -> bool:
    """Whether the comment lines that open the file (before any YAML) hold ``# pecoscheck: draft``."""
    for line in text.lstrip("\ufeff").splitlines():
        stripped = line.strip()
        if stripped in ("", "---"):
            continue
        if not stripped.startswith("#"):
            return False
        if _DRAFT.match(stripped):
            return True
    return False


def _suppressions(text: str) -> dict[int, tuple[set[str], str]]:
    out: dict[int, tuple[set[str], str]] = {}
    if "pecoscheck:" not in text:
        return out
    for line, comment in iter_comments(text):
        m = _SUPPRESS.search(comment)
        if m:
            ids = {i.strip().upper() for i in m.group(1).split(",") if i.strip()}
            out[line] = (ids, m.group(2).strip())
    return out


def _apply_suppressions(result: ProfileResult, text: str) -> None:
    table = _suppressions(text)
    if not table:
        return
    used: set[tuple[int, str]] = set()

    def silenced(line: int | None, rid: str) -> str | None:
        """The reason of a suppression of ``rid`` on ``line`` (marked used), or ``None``."""
        entry = table.get(line or -1)
        if entry and rid in entry[0] and entry[1]:
            used.add((line or -1, rid))
            return entry[1]
        return None

    if result.identifiers:  # a knowingly shared identifier is left out of the comparison across profiles
        from .duplicates import RULE_IDS

        result.identifiers = tuple(i for i in result.identifiers if silenced(i[2], RULE_IDS[i[0]]) is None)
    kept: list[Finding] = []
    for f in result.findings:
        why = silenced(f.line, f.rule)
        if why is not None:
            result.suppressed.append(f._replace(suppressed=why))
        else:
            kept.append(f)
    for line, (ids, reason) in sorted(table.items()):
        if not reason:
            kept.append(Finding("SUP001", Severity.ERROR, f"suppression of {', '.join(sorted(ids))} gives no reason",
                                "", line, None, "Write the reason after the brackets: "
                                "`# pecoscheck: ignore[DOC004] group holds the EFT on file`."))
            continue
        for rid in sorted(ids - {r for (ln, r) in used if ln == line}):
            kept.append(Finding("SUP002", Severity.INFO, f"suppression of {rid} is unused: the rule did not fire "
                                "on this line", "", line, None, "Remove the stale suppression comment."))
    result.findings = kept


def check_loaded(loaded: Loaded, path: Path, options: Options, ruleset: RuleSet,
                 display: str | None = None, online: dict[str, object] | None = None) -> ProfileResult:
    """Run the model and the rules over one loaded file."""
    result = ProfileResult(path=display or display_path(path), strict=options.strict,
                           draft=options.drafts and is_draft(loaded.text))
    findings = list(loaded.findings)
    profile = None
    modelled = loaded.data is not None and not any(f.severity is Severity.ERROR for f in findings
                                                   if f.rule == "YML003")
    if modelled:
        profile, schema = to_profile(loaded.data, loaded.source)
        findings += schema
    salvaged = None
    if profile is None and modelled and isinstance(loaded.data, dict):
        from .salvage import salvage

        salvaged = salvage(loaded.data)
    if salvaged is not None:
        part, pruned = salvaged
        _describe_provider(result, part, loaded)
        ctx = Context(profile=part, source=loaded.source, path=path, as_of=options.as_of,
                      settings=options.settings, raw=pruned, online=online or {}, text=loaded.text)
        rules, result.rules_checked = ruleset.applicable(ctx)
        for rule in rules:
            findings.extend(_findings(rule, ctx, ruleset))
    elif profile is None:
        if isinstance(loaded.data, dict):
            raw_ctx = Context(profile=None, source=loaded.source, path=path,  # type: ignore[arg-type]
                              as_of=options.as_of, settings=options.settings, raw=loaded.data,
                              text=loaded.text)
            for rule in ruleset.rules:
                if rule.raw:
                    findings.extend(_findings(rule, raw_ctx, ruleset))
        if loaded.data is not None:
            waiting = sum(1 for r in ruleset.rules if not r.raw)
            findings.append(Finding("SCH900", Severity.INFO, f"up to {waiting} readiness checks are waiting: they run "
                                    "once the profile matches the format", "", None, None,
                                    "Fix the format errors above and run again."))
    else:
        _describe_provider(result, profile, loaded)
        ctx = Context(profile=profile, source=loaded.source, path=path, as_of=options.as_of,
                      settings=options.settings, raw=loaded.data if isinstance(loaded.data, dict) else {},
                      online=online or {}, text=loaded.text)
        rules, result.rules_checked = ruleset.applicable(ctx)
        for rule in rules:
            findings.extend(_findings(rule, ctx, ruleset))
    result.findings = findings
    _apply_suppressions(result, loaded.text)
    result.findings.sort(key=Finding.sort_key)
    return result


def _describe_provider(result: ProfileResult, profile: Profile, loaded: Loaded) -> None:
    from .duplicates import identifiers

    result.identifiers = identifiers(profile, loaded.source.locate)
    p = profile.provider
    result.npi = p.npi
    result.provider_name = p.legal_name or (" ".join(x for x in (p.name.first, p.name.last) if x)
                                            if p.name else None)


def _findings(rule: Rule, ctx: Context, ruleset: RuleSet) -> list[Finding]:
    """The findings of one rule on one profile (a plain list: most rules find nothing, cheaply)."""
    try:
        hits = list(rule.check(ctx))
    except Exception as exc:  # one broken rule must not hide the others' findings
        return [Finding(rule.id, Severity.ERROR, f"internal error in rule {rule.id}: {type(exc).__name__}: {exc}",
                        "", None, None, "Please report this; run with --ignore " + rule.id + " meanwhile.")]
    if not hits:
        return []
    out: list[Finding] = []
    for hit in hits:
        severity = ruleset.severity_of(rule.id, hit.severity or rule.severity)
        if severity is None:
            continue
        key = hit.path_key
        line, col = ctx.source.key_place(key) if hit.at_key else ctx.source.locate(key)
        out.append(Finding(rule.id, severity, clip(hit.message), format_path(key), line, col,
                           hit.hint if hit.hint is not None else rule.hint))
    return out


def _excluded(path: str, root: str, patterns: Sequence[str]) -> bool:
    """Whether an ``exclude`` glob matches the path.

    An absolute pattern (the config's own, anchored to its folder) matches the real path; a name
    pattern matches the file or folder name; any other relative pattern (from the library API)
    matches the path below ``root`` or below the working folder.
    """
    if not patterns:
        return False
    p = Path(path)
    real = None
    with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        real = p.resolve().as_posix()
    relative = {p.name, p.relative_to(root).as_posix()}
    if real is not None:
        with contextlib.suppress(ValueError, OSError):
            relative.add(Path(real).relative_to(Path.cwd().resolve()).as_posix())
    for pat in patterns:
        if pat.startswith("/"):
            if real is not None and fnmatch(real, pat.rstrip("/")):
                return True
        elif any(fnmatch(c, pat.strip("/")) for c in relative):
            return True
    return False


def discover(paths: Sequence[str | os.PathLike[str]], exclude: Sequence[str] = ()) -> list[Path]:
    """The profile files named by ``paths``: files as given, folders searched recursively.

    Hidden folders and ``exclude`` matches are skipped; symlinked folders are not followed
    into loops. A missing path, or a folder with no profile, is a :class:`UsageError`.
    """
    return [Path(f) for f in discover_names(paths, exclude)]


def discover_names(paths: Sequence[str | os.PathLike[str]], exclude: Sequence[str] = (),
                   not_profiles: list[str] | None = None) -> list[str]:
    """:func:`discover` as plain strings: a tenth of the memory of ``Path`` objects for a big folder.

    A YAML file found in a folder whose top-level keys all belong to something else (a CI workflow,
    docker-compose, mkdocs) is left out and, when ``not_profiles`` is given, appended to it. A file
    named on its own is always checked.
    """
    from .sniff import foreign_yaml

    found: list[str] = []
    seen: set[str] = set()
    real_folders: dict[str, str] = {}
    known: dict[str, str] = {}  # file -> its identity, where the walk learnt it without a system call
    for raw in paths:
        given = os.fspath(raw)
        if os.path.isdir(given):
            here = sorted(_walk(given, exclude, known), key=_path_order)
            foreign = [c for c in here if foreign_yaml(c)]
            if foreign:
                skip = set(foreign)
                here = [c for c in here if c not in skip]
                if not_profiles is not None:
                    not_profiles += foreign
            if not here:
                raise UsageError(f"no profiles (*.yaml, *.yml) found in folder {given}"
                                 + (f" ({len(foreign)} YAML file(s) there are not profiles)" if foreign else ""))
            candidates = here
        elif os.path.lexists(given):
            candidates = [given]
        else:
            raise UsageError(f"no such file or folder: {given}")
        for c in candidates:
            key = known.get(c) or _identity(c, real_folders)
            if key not in seen:
                seen.add(key)
                found.append(c)
    return found


def _path_order(path: str) -> str:
    """A key that sorts path strings as ``Path`` objects sort (part by part), without making them."""
    return os.path.normcase(path).replace(os.sep, "\0")


def _identity(path: str, real_folders: dict[str, str]) -> str:
    """``str(Path(path).resolve())`` if it exists, else its absolute path, with each folder resolved only once.

    A path that is not a symbolic link resolves to its folder's real path plus its name.
    """
    try:
        plain = not stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        plain = False
    if not plain:
        p = Path(path)
        return str(p.resolve() if p.exists() else p.absolute())
    folder, name = os.path.split(path)
    real = real_folders.get(folder)
    if real is None:
        real = real_folders[folder] = real_folder(os.path.abspath(folder or "."))
    return os.path.join(real, name)


def _walk(root: str, exclude: Sequence[str], known: dict[str, str] | None = None) -> Iterator[str]:
    """Profile files under ``root``; folders reached through a link are entered after every real one, so a
    folder seen both ways is listed under its real name.

    ``known`` receives the :func:`_identity` of each file reached through no link at all (the real path
    of ``root`` joined with the names below it), so that discovery need not ``lstat`` it again.
    """
    visited: set[tuple[int, int]] = set()
    stack: list[str] = [root]
    linked: list[str] = []
    real: dict[str, str] = {}  # folder -> its real path, for folders reached through no link
    if known is not None:
        with contextlib.suppress(OSError, ValueError):
            real[root] = real_folder(os.path.abspath(root))
    while stack or linked:
        folder = stack.pop() if stack else linked.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in visited:
                continue
            visited.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        here = real.pop(folder, None)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = entry.path
            if _excluded(child, root, exclude):
                continue
            try:
                if entry.is_dir():
                    if entry.is_symlink():
                        linked.append(child)
                    else:
                        stack.append(child)
                        if here is not None:
                            real[child] = os.path.join(here, entry.name)
                elif entry.name.endswith(PROFILE_SUFFIXES) and (entry.is_file() or entry.is_symlink()):
                    if here is not None and known is not None and not entry.is_symlink():
                        known[child] = os.path.join(here, entry.name)
                    yield child
            except OSError:  # e.g. a symlink loop: report the profile as unreadable rather than drop it
                if entry.name.endswith(PROFILE_SUFFIXES):
                    yield child


def check_file(path: str | os.PathLike[str], options: Options | None = None,
               ruleset: RuleSet | None = None, online: dict[str, object] | None = None,
               cache: ResultCache | None = None) -> ProfileResult:
    """Check one profile file (its stored result when ``cache`` holds one for unchanged inputs)."""
    options = options or Options()
    ruleset = ruleset or RuleSet.build(options)
    if cache is None or online:
        p = Path(path)
        return check_loaded(load(p), p, options, ruleset, online=online)
    name = os.fspath(path)
    probed = cache.probe(name)
    if probed is None:
        return check_loaded(load(name), Path(name), options, ruleset)
    probe = probed[0]
    display = display_path(Path(name))
    hit = cache.get(probe, name, display)
    if hit is not None:
        return hit
    loaded = load(name)
    result = check_loaded(loaded, Path(name), options, ruleset, display)
    cache.put(probe, name, loaded.data, result)
    return result


def check_text(text: str, path: str | os.PathLike[str], options: Options | None = None,
               ruleset: RuleSet | None = None, online: dict[str, object] | None = None) -> ProfileResult:
    """Check a profile's text (an editor's unsaved buffer) as if it were the file at ``path``.

    Documents and other relative paths are resolved against ``path``'s folder, as for :func:`check_file`.
    """
    from .loader import loads

    options = options or Options()
    ruleset = ruleset or RuleSet.build(options)
    p = Path(path)
    return check_loaded(loads(text), p, options, ruleset, online=online)


def _worker(paths: list[str], options: Options, online: list[dict[str, object] | None],
            cache: ResultCache | None = None) -> list[ProfileResult]:
    ruleset = _worker_ruleset(options)
    return [check_file(path, options, ruleset, data, cache) for path, data in zip(paths, online, strict=True)]


_WORKER_RULESETS: dict[str, RuleSet] = {}


def _worker_ruleset(options: Options) -> RuleSet:
    key = repr(options)
    if key not in _WORKER_RULESETS:
        _WORKER_RULESETS.clear()
        _WORKER_RULESETS[key] = RuleSet.build(options)
    return _WORKER_RULESETS[key]


def iter_results(files: Sequence[str | os.PathLike[str]], options: Options, jobs: int = 1,
                 ruleset: RuleSet | None = None,
                 online: Callable[[str | os.PathLike[str]], dict[str, object]] | None = None,
                 cache: ResultCache | None = None) -> Iterator[ProfileResult]:
    """Check files, yielding results in the order of ``files`` whatever the scheduling."""
    if jobs <= 1 or len(files) < 8:
        rs = ruleset or RuleSet.build(options)
        for f in files:
            yield check_file(f, options, rs, online(f) if online else None, cache)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    chunk = max(1, min(64, len(files) // (jobs * 8) or 1))
    pending: deque[Future[list[ProfileResult]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            for start in range(0, len(files), chunk):
                batch = files[start:start + chunk]
                pending.append(pool.submit(_worker, [os.fspath(f) for f in batch], options,
                                           [online(f) if online else None for f in batch], cache))
                if len(pending) >= jobs * 4:  # a bounded window: results do not pile up ahead of the reader
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:  # the reader stopped early (an error, Ctrl-C): do not check what nobody will read
            pool.shutdown(cancel_futures=True)


def run_paths(paths: Sequence[str | os.PathLike[str]], options: Options | None = None, jobs: int = 1,
              progress: Callable[[int, int], None] | None = None) -> Run:
    """Check every profile under ``paths``, one at a time as the returned :class:`Run` is iterated.

    Everything that can fail before the first profile (rule packs, discovery, the online prefetch)
    happens here, so a :class:`UsageError` comes before any output; the profiles are then checked
    lazily and not kept: memory stays flat however many there are. With ``options.use_cache`` (the
    default) and no registry checks, a profile whose inputs are unchanged since a previous run gets its
    stored result (:mod:`pecoscheck.resultcache`).
    """
    options = options or Options()
    ruleset = RuleSet.build(options)
    not_profiles: list[str] = []
    files = discover_names(paths, options.exclude, not_profiles)
    unavailable: dict[str, str] = {}
    online = None
    if options.online - {"history"}:
        from .online.prefetch import prefetch

        fetched = prefetch(files, sorted(options.online - {"history"}), options.use_cache)
        unavailable = dict(fetched.unavailable)
        online = fetched.for_file
    if "history" in options.online:  # validate --history: one pass over git history for every file
        from .history import history_for

        online = history_for(files, options.as_of, base=online)
    cache = None
    if options.use_cache and not options.online:  # only then the cache module: --no-cache never imports it
        from .resultcache import ResultCache

        cache = ResultCache.open(options, ruleset)
    results = iter_results(files, options, jobs, ruleset, online, cache)
    if progress:
        results = _counted(results, len(files), progress)
    from .duplicates import Collector

    run = Run(options.as_of, results, unavailable, collector=Collector(dict(ruleset.repository)))
    run.not_profiles = not_profiles
    return run


def _counted(results: Iterator[ProfileResult], total: int,
             progress: Callable[[int, int], None]) -> Iterator[ProfileResult]:
    for i, result in enumerate(results, start=1):
        progress(i, total)
        yield result


def validate_paths(paths: Sequence[str | os.PathLike[str]], options: Options | None = None, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None) -> Report:
    """Check every profile under ``paths`` and keep every result: :func:`run_paths`, collected."""
    run = run_paths(paths, options, jobs, progress)
    profiles = list(run)
    return Report(as_of=run.as_of, profiles=profiles, unavailable=run.unavailable, cross=run.cross)


def known_rule_ids(registry: Registry, ids: Iterable[str]) -> None:
    """Raise :class:`ConfigError` for any selector that names no rule."""
    registry.resolve(list(ids))
