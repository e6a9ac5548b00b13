"""Generate many realistic, varied profiles from the examples (seeded), for the benchmarks.

Every profile is one of the example profiles (``examples/*/profile.yaml`` and
``examples/not-ready/*.yaml``) with its people, organization name, identifiers,
dates and addresses substituted:

* people (``name: {first, last}``, ``signer``, ``holder``, owners, officials...)
  get new first and last names, replaced everywhere they occur, e-mail
  addresses included;
* the organization's brand word (the first word of ``legal_name``) is replaced;
* every Luhn-valid NPI becomes another Luhn-valid NPI with the same first digit
  (:func:`pecoscheck.npi.check_digit`), an invalid one (the point of a not-ready
  example) another with a wrong check digit; every license number and own PTAN
  gets new digits, unique across the profiles (file names keep the example's);
  every EIN (NN-NNNNNNN) keeps its prefix and gets new digits;
* dates more than 400 days before the as-of date move back by up to a year,
  dates more than 400 days after it move forward by up to a year (one shift per
  profile, so equal dates stay equal and order is kept); dates near the as-of
  date are kept, so the enrollment timeline rules see what the example meant
  (``last_revalidated`` and ``revalidation_due`` are kept: one follows from the other);
* each (city, state, ZIP) of an address becomes a real city and ZIP of the same
  state (from the ``zipcodes`` package pecoscheck depends on), and street
  numbers change;
* short profiles get a review-log comment block so every profile has 60 to 150
  lines.

About 70 % of the profiles come from the ready examples, 30 % from the
not-ready ones. Profiles are written in folders of 1,000 (``batch-000``,
``batch-001``...), so subsets of 2,000 or 5,000 profiles are just the first
batch folders. In the default ``real`` layout each profile has its own folder
with its own ``docs/`` (the files it lists, which its example has, plus other
scans: 6-10 files); the ``shared`` layout (the earlier benchmark) puts a batch's
profiles side by side with one copy of every example's ``docs/`` folder.

Run: ``python benchmarks/genprofiles.py DEST [COUNT] [--seed S] [--layout real|shared] [--check]``;
``--check`` validates a sample and compares each profile's rules that fired
with those of its example.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pecoscheck.npi import check_digit, is_valid

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = date(2026, 11, 26)  # the date the examples are written for (examples/README.md)
BATCH = 1000
READY_SHARE = 0.7
DEFAULT_SEED = 20261126

FIRST_NAMES = [
    "Aaliyah",
    "Abigail",
    "Adrian",
    "Aisha",
    "Alejandro",
    "Amara",
    "Andre",
    "Angela",
    "Anil",
    "Arjun",
    "Beatriz",
    "Benjamin",
    "Bianca",
    "Caleb",
    "Camila",
    "Carmen",
    "Chen",
    "Chloe",
    "Connor",
    "Daniel",
    "Deepa",
    "Diego",
    "Elena",
    "Elijah",
    "Emeka",
    "Esther",
    "Fatima",
    "Felix",
    "Fiona",
    "Gabriel",
    "Grace",
    "Hana",
    "Harold",
    "Imani",
    "Ingrid",
    "Isabel",
    "Ivan",
    "Jamal",
    "Javier",
    "Jin",
    "Joanna",
    "Jonah",
    "Julia",
    "Kai",
    "Kavya",
    "Keisha",
    "Kenji",
    "Laila",
    "Lars",
    "Leah",
    "Leon",
    "Lina",
    "Luis",
    "Maya",
    "Mateo",
    "Mei",
    "Miguel",
    "Mira",
    "Nadia",
    "Naveen",
    "Nikolai",
    "Noor",
    "Omar",
    "Oscar",
    "Paula",
    "Pedro",
    "Quinn",
    "Rachel",
    "Rahul",
    "Renee",
    "Rosa",
    "Samir",
    "Sara",
    "Sean",
    "Sofia",
    "Tamara",
    "Theo",
    "Tomas",
    "Uma",
    "Valeria",
    "Vikram",
    "Wei",
    "Yara",
    "Yusuf",
    "Zainab",
    "Zoe",
]
LAST_NAMES = [
    "Abbott",
    "Acosta",
    "Adeyemi",
    "Akhtar",
    "Alvarez",
    "Andersen",
    "Baptiste",
    "Barros",
    "Bergstrom",
    "Bhatt",
    "Caldwell",
    "Castellano",
    "Chaudhry",
    "Chung",
    "Dalton",
    "Delgado",
    "Dimitrov",
    "Donnelly",
    "Eriksen",
    "Esposito",
    "Fairbanks",
    "Feng",
    "Fitzgerald",
    "Galloway",
    "Gupta",
    "Haddad",
    "Halvorsen",
    "Hargrove",
    "Ibarra",
    "Iyer",
    "Jablonski",
    "Jensen",
    "Kaplan",
    "Kowalski",
    "Kuznetsov",
    "Lachance",
    "Lindgren",
    "Lombardi",
    "Maddox",
    "Mahmoud",
    "Marchetti",
    "Moreau",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Nwosu",
    "Obi",
    "Olsen",
    "Ortega",
    "Pacheco",
    "Petrov",
    "Prescott",
    "Quintana",
    "Ramaswamy",
    "Reinholt",
    "Rios",
    "Rosenberg",
    "Sandoval",
    "Schreiber",
    "Sethi",
    "Sokolov",
    "Sullivan",
    "Takahashi",
    "Tan",
    "Thorne",
    "Underwood",
    "Valdez",
    "Varga",
    "Vasquez",
    "Wagner",
    "Whitfield",
    "Yamamoto",
    "Yilmaz",
    "Zamora",
    "Zielinski",
]
BRANDS = [
    "Alder",
    "Amberwood",
    "Arbor",
    "Aspen",
    "Beacon",
    "Birchwood",
    "Bluestem",
    "Brightwater",
    "Cedar",
    "Clearview",
    "Copperleaf",
    "Cypress",
    "Evergreen",
    "Fairhaven",
    "Fieldstone",
    "Foxglove",
    "Granite",
    "Harborview",
    "Hawthorn",
    "Highland",
    "Juniper",
    "Keystone",
    "Lakeview",
    "Larkspur",
    "Linden",
    "Magnolia",
    "Maplewood",
    "Meadowbrook",
    "Northgate",
    "Oakridge",
    "Pinecrest",
    "Prairie",
    "Redwood",
    "Riverbend",
    "Sagebrush",
    "Silverleaf",
    "Stonebridge",
    "Summit",
    "Sycamore",
    "Tidewater",
    "Westfield",
    "Willow",
]

_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_NPI = re.compile(r'(?<=")([12]\d{9})(?=")')
_FIRST_LAST = re.compile(r"first:\s*\"?([A-Z][a-z]+)\"?,\s*last:\s*\"?([A-Z][A-Za-z'-]+)\"?")
_PERSON_FIELD = re.compile(
    r"\b(?:name|signer|holder|approved_by|account_holder):\s*\"?([A-Z][a-z]+) ([A-Z][A-Za-z'-]+)\"?\s*(?=[,}\n])"
)
_LEGAL = re.compile(r"\blegal_name:\s*\"?([A-Z][A-Za-z]+)\b")
_ADDRESS = re.compile(
    r"city:\s*(?P<city>[A-Za-z .'-]+?)\s*(?P<sep1>,\s*|\n\s*)state:\s*(?P<state>[A-Z]{2})\s*(?P<sep2>,\s*|\n\s*)"
    r"zip:\s*\"?(?P<zip>\d{5})(?P<plus4>-\d{4})?\"?"
)
_STREET = re.compile(r"(\bline1:\s*\"?)(\d{2,5})(\s)")
_EIN = re.compile(r"(?<![\d-])(\d{2})-\d{7}(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a license's number and the provider's own PTAN (not a group's ``group_ptan``), quoted or not
_OWN_ID = re.compile(r"((?<![\w])(?:number|ptan):\s*\"?)([A-Za-z0-9.-]*\d[A-Za-z0-9.-]*)(?=\"?\s*[,}\n])")

# Templates whose defect is in the part a substitution would change: keep that part.
_KEEP_ADDRESSES = {"zip-not-in-state", "po-box-location"}


@dataclass(frozen=True)
class Template:
    name: str  # folder name for ready examples, file stem for not-ready ones
    text: str
    ready: bool


def templates(examples: Path = EXAMPLES) -> list[Template]:
    """Every example profile, ready ones first, in a stable order."""
    out = [Template(p.parent.name, p.read_text("utf-8"), True) for p in sorted(examples.glob("*/profile.yaml"))]
    out += [Template(p.stem, p.read_text("utf-8"), False) for p in sorted((examples / "not-ready").glob("*.yaml"))]
    return out


def valid_npi(rng: random.Random, first: str) -> str:
    base = first + "".join(rng.choice("0123456789") for _ in range(8))
    return base + str(check_digit(base))


_STATE_ZIPS: dict[str, list[tuple[str, str]]] = {}


def state_zips(state: str) -> list[tuple[str, str]]:
    """(city, ZIP) of every active standard ZIP of ``state``."""
    if state not in _STATE_ZIPS:
        import zipcodes

        found = zipcodes.filter_by(state=state)  # type: ignore[no-untyped-call]
        _STATE_ZIPS[state] = sorted(
            (z["city"], z["zip_code"]) for z in found if z["zip_code_type"] == "STANDARD" and z["active"]
        )
    return _STATE_ZIPS[state]


def _sub_word(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![A-Za-z]){re.escape(old)}(?![A-Za-z])", new, text)


def _people(text: str) -> list[tuple[str, str]]:
    found = dict.fromkeys(_FIRST_LAST.findall(text))
    found.update(dict.fromkeys(_PERSON_FIELD.findall(text)))
    return list(found)


def _new_id(old: str, rng: random.Random, given: set[str]) -> str:
    """``old`` with new digits (letters and punctuation kept), a value no other profile has.

    A 6-digit PTAN is a CCN-like number whose first two digits are the state code: those stay.
    """
    keep = 2 if re.fullmatch(r"\d{6}", old) else 0
    while True:
        for _ in range(100):
            new = old[:keep] + re.sub(r"\d", lambda _m: str(rng.randrange(10)), old[keep:])
            if new not in given:
                given.add(new)
                return new
        old += "0"


def vary(t: Template, rng: random.Random, index: int, given: set[str] | None = None) -> str:
    """One new profile from template ``t``; ``given``: the license numbers and PTANs given out so far."""
    text = t.text
    # people: full names, then single first or last names (e.g. "Dr. Lindqvist"), then e-mail addresses
    emails: list[tuple[str, str]] = []
    singles: list[tuple[str, str]] = []
    people = _people(text)
    taken = {n for person in people for n in person}  # a new name must not be one still to be replaced
    firsts = [n for n in FIRST_NAMES if n not in taken]
    lasts = [n for n in LAST_NAMES if n not in taken]
    for first, last in people:
        nf, nl = rng.choice(firsts), rng.choice(lasts)
        text = text.replace(f"{first} {last}", f"{nf} {nl}")
        text = re.sub(rf"first:(\s*\"?){first}\b(\"?,\s*last:\s*\"?){last}\b", rf"first:\g<1>{nf}\g<2>{nl}", text)
        singles += [(first, nf), (last, nl)]
        emails += [((first[0] + last).lower(), (nf[0] + nl).lower()), (last.lower(), nl.lower())]
    m = _LEGAL.search(text)
    if m:
        brand = rng.choice(BRANDS)
        singles.append((m.group(1), brand))
        emails.append((m.group(1).lower(), brand.lower()))
    for old, new in singles:
        text = _sub_word(text, old, new)

    def email(mm: re.Match[str]) -> str:
        out = mm.group(0)
        for old, new in emails:
            out = out.replace(old, new)
        return out

    text = _EMAIL.sub(email, text)

    # NPIs: a Luhn-valid one becomes another; an invalid one (a not-ready example's defect) another
    # with a wrong check digit, so each profile keeps its own NPI and the example's defect
    given = set() if given is None else given
    npis: dict[str, str] = {}

    def npi(mm: re.Match[str]) -> str:
        old = mm.group(1)
        if old not in npis:
            new = valid_npi(rng, old[0])
            while new in given:
                new = valid_npi(rng, old[0])
            given.add(new)
            if not is_valid(old):
                new = new[:9] + str((int(new[9]) + rng.randrange(1, 10)) % 10)
            npis[old] = new
        return npis[old]

    text = _NPI.sub(npi, text)

    # EINs: new digits after the same 2-digit prefix (so an invalid prefix, a not-ready example's defect, stays)
    eins: dict[str, str] = {}
    text = _EIN.sub(lambda mm: eins.setdefault(mm.group(0), f"{mm.group(1)}-{rng.randrange(10**7):07d}"), text)

    # license numbers and the own PTAN: each profile its own, as in a real repository (the same ones in
    # two profiles are DUP002/DUP003 findings across profiles); document file names keep the old number
    ids: dict[str, str] = {}

    def own_id(mm: re.Match[str]) -> str:
        if mm.group(2) not in ids:
            ids[mm.group(2)] = _new_id(mm.group(2), rng, given)
        return mm.group(1) + ids[mm.group(2)]

    text = _OWN_ID.sub(own_id, text)

    # dates
    past, future = timedelta(days=-rng.randrange(0, 366)), timedelta(days=rng.randrange(0, 366))

    def shift(mm: re.Match[str]) -> str:
        try:
            d = date(int(mm.group(1)), int(mm.group(2)), int(mm.group(3)))
        except ValueError:
            return mm.group(0)
        if (AS_OF - d).days > 400:
            d += past
        elif (d - AS_OF).days > 400:
            d += future
        return d.isoformat()

    # last_revalidated + 5 years is the revalidation due date: keep both
    text = "".join(ln if "revalidat" in ln else _DATE.sub(shift, ln) for ln in text.splitlines(True))

    # addresses: a real city and ZIP of the same state; street numbers
    if t.name not in _KEEP_ADDRESSES:
        places: dict[tuple[str, str, str], tuple[str, str]] = {}
        for mm in _ADDRESS.finditer(text):
            key = (mm["city"], mm["state"], mm["zip"])
            if key not in places:
                choices = state_zips(mm["state"])
                places[key] = rng.choice(choices) if choices else (mm["city"], mm["zip"])

        def address(mm: re.Match[str]) -> str:
            city, zip5 = places[(mm["city"], mm["state"], mm["zip"])]
            return f'city: {city}{mm["sep1"]}state: {mm["state"]}{mm["sep2"]}zip: "{zip5}{mm["plus4"] or ""}"'

        text = _ADDRESS.sub(address, text)
        numbers: dict[str, str] = {}
        text = _STREET.sub(
            lambda mm: mm.group(1) + numbers.setdefault(mm.group(2), str(rng.randrange(10, 9999))) + mm.group(3), text
        )

    # size: 60 to 150 lines
    lines = text.count("\n")
    want = rng.randrange(60, 81)
    header = [f"# Generated benchmark profile {index:06d} from the example `{t.name}`."]
    reviewers = [f"{rng.choice(FIRST_NAMES)[0]}{rng.choice(LAST_NAMES)[0]}" for _ in range(3)]
    steps = (
        "checked the legal name against the IRS letter",
        "confirmed the NPPES record is current",
        "verified the license numbers with the state board",
        "compared the bank letter with the CMS-588",
        "re-read the practice location addresses",
        "confirmed the signer may sign this application",
        "checked the I&A connections in PECOS",
        "filed the specimen documents under docs/",
    )
    while lines + len(header) < want:
        d = AS_OF - timedelta(days=rng.randrange(1, 90))
        header.append(f"# {d.isoformat()} {rng.choice(reviewers)}: {rng.choice(steps)}.")
    text = "\n".join(header) + "\n" + text
    assert 60 <= text.count("\n") <= 150 or lines > 150, (t.name, text.count("\n"))
    return text


def _copy_docs(examples: Path, folder: Path) -> None:
    docs = folder / "docs"
    if docs.exists():
        return
    docs.mkdir(parents=True)
    for d in sorted(examples.glob("*/docs")):
        shutil.copytree(d, docs, dirs_exist_ok=True)


_FILE = re.compile(r"\bfile:\s*([^,}\s]+)")
FILLERS = ("cover-letter.pdf", "notes.txt", "scan-001.pdf", "scan-002.pdf", "email-from-mac.pdf",
           "checklist.pdf", "photo-id.jpg", "old-license.pdf", "fax-confirmation.pdf", "signature-page.pdf")


def _template_dir(t: Template, examples: Path) -> Path:
    return examples / t.name if t.ready else examples / "not-ready"


def _own_docs(t: Template, text: str, examples: Path, folder: Path, rng: random.Random) -> None:
    """The documents the profile lists (those its example has), plus other scans: 6-10 files in ``folder``."""
    src = _template_dir(t, examples)
    count = 0
    for name in _FILE.findall(text):
        if name.startswith(("/", "~")) or ".." in Path(name).parts:
            continue  # a deliberately outside path (document-outside-repo): not created
        origin = src / name
        if origin.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, folder / name)
            count += 1
    want = rng.randint(6, 10)
    (folder / "docs").mkdir(exist_ok=True)
    for filler in FILLERS[: max(0, want - count)]:
        (folder / "docs" / filler).write_bytes(b"%PDF-1.4 placeholder\n")


def generate(
    dest: Path, count: int, seed: int = DEFAULT_SEED, examples: Path = EXAMPLES, batch: int = BATCH,
    layout: str = "real",
) -> list[Path]:
    """Write ``count`` profiles below ``dest`` (replacing what was there), ``batch`` per folder; return their paths.

    ``layout="real"`` (the default), as real repositories are: each profile in its own folder
    (``batch-000/p000000-<example>/profile.yaml``) with its own ``docs/`` of 6-10 files (the ones it lists,
    so file names repeat across folders, plus other scans), no folder shared between profiles.
    ``layout="shared"``, the earlier benchmark: the profiles of a batch side by side in one folder
    sharing one ``docs/`` folder.
    """
    if layout not in ("real", "shared"):
        raise ValueError(f"unknown layout {layout!r}")
    if dest.exists():
        shutil.rmtree(dest)
    rng = random.Random(seed)
    tpl = templates(examples)
    ready = [t for t in tpl if t.ready]
    not_ready = [t for t in tpl if not t.ready]
    paths = []
    given: set[str] = set()
    for i in range(count):
        folder = dest / f"batch-{i // batch:03d}"
        if i % batch == 0 and layout == "shared":
            _copy_docs(examples, folder)
        pool = ready if (rng.random() < READY_SHARE or not not_ready) else not_ready
        t = rng.choice(pool)
        text = vary(t, rng, i, given)
        if layout == "real":
            own = folder / f"p{i:06d}-{t.name}"
            own.mkdir(parents=True)
            _own_docs(t, text, examples, own, rng)
            path = own / "profile.yaml"
        else:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"p{i:06d}-{t.name}.yaml"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def batches(dest: Path, count: int, batch: int = BATCH) -> list[Path]:
    """The batch folders that hold the first ``count`` profiles (``count`` a multiple of ``batch``)."""
    return [dest / f"batch-{b:03d}" for b in range((count + batch - 1) // batch)]


def check(paths: list[Path], sample: int = 300) -> int:
    """Validate a sample; compare the rules that fired with the example's. Returns the number of differences."""
    from pecoscheck.engine import Options, RuleSet, check_file

    opts = Options(as_of=AS_OF)
    rs = RuleSet.build(opts)
    by_name: dict[str, Path] = {p.parent.name: p for p in EXAMPLES.glob("*/profile.yaml")}
    by_name.update({p.stem: p for p in (EXAMPLES / "not-ready").glob("*.yaml")})
    expected = {k: sorted({f.rule for f in check_file(p, opts, rs).findings}) for k, p in by_name.items()}
    step = max(1, len(paths) // sample)
    diffs = 0
    ready = 0
    for p in paths[::step]:
        name = (p.parent.name if p.name == "profile.yaml" else p.stem).split("-", 1)[1]
        result = check_file(p, opts, rs)
        ready += result.ready
        got = sorted({f.rule for f in result.findings})
        if got != expected[name]:
            diffs += 1
            print(f"{p.name}: {got} (example: {expected[name]})")
    n = len(paths[::step])
    print(f"checked {n} profiles: {ready} ready, {n - ready} not ready; {diffs} differ from their example")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("count", type=int, nargs="?", default=1000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--check", action="store_true", help="validate a sample and compare with the examples")
    ap.add_argument("--layout", choices=("real", "shared"), default="real",
                    help="real: a folder per profile with its own documents (default); shared: the old layout")
    args = ap.parse_args(argv)
    paths = generate(args.dest, args.count, args.seed, layout=args.layout)
    sizes = [p.read_text("utf-8").count("\n") for p in paths]
    print(f"wrote {len(paths)} profiles under {args.dest} ({min(sizes)}-{max(sizes)} lines)")
    return 1 if args.check and check(paths) else 0


if __name__ == "__main__":
    sys.exit(main())
