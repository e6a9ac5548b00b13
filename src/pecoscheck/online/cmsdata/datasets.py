"""The five data.cms.gov datasets pecoscheck reads: titles, known ids, the columns used, and the catalogue."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from pecoscheck.online.http import UnavailableError

CMS_DATA_URL_ENV = "PECOSCHECK_CMS_DATA_URL"
DEFAULT_BASE_URL = "https://data.cms.gov"
DATA_TTL = 24 * 60 * 60.0
DEFAULT_CMS_TIMEOUT = 30.0  # filtered queries run over millions of rows server-side
CATALOG_TTL = 7 * 24 * 60 * 60.0
CATALOG_MAX_BYTES = 64 * 1024 * 1024
PAGE_SIZE = 1000
MAX_ROWS = 10_000
_CATALOG_FORMAT = "pecoscheck-dataset-ids-1"

NOT_FOUND_NOTE = (
    "No row for this NPI in CMS's public extracts. That means 'not in this extract', not "
    "'not enrolled': the public files are refreshed periodically (the enrollment file quarterly) "
    "and are not live PECOS status."
)
CAVEATS = (
    "data.cms.gov public extracts, refreshed periodically; not live PECOS status.",
    "A non-match means 'not in this extract', not 'not enrolled'.",
    "A due date of TBD means CMS has not set one; past due dates can linger until processing finishes.",
)


def cms_data_base_url() -> str:
    """The Data API host: ``$PECOSCHECK_CMS_DATA_URL`` or ``https://data.cms.gov``."""
    return (os.environ.get(CMS_DATA_URL_ENV, "").strip() or DEFAULT_BASE_URL).rstrip("/")


@dataclass(frozen=True)
class Dataset:
    """One of the public datasets: its catalogue title, known id and NPI column."""

    key: str
    title: str
    known_id: str
    npi_column: str
    cadence: str
    columns: tuple[str, ...] = ()  # every column the client reads; checked before a dataset is trusted


DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (
        Dataset("enrollment", "Medicare Fee-For-Service  Public Provider Enrollment",
                "2457ea29-fc82-48b0-86ec-3b0755de7515", "NPI", "quarterly",
                ("NPI", "MULTIPLE_NPI_FLAG", "PECOS_ASCT_CNTL_ID", "ENRLMT_ID", "PROVIDER_TYPE_CD",
                 "PROVIDER_TYPE_DESC", "STATE_CD", "FIRST_NAME", "MDL_NAME", "LAST_NAME", "ORG_NAME")),
        Dataset("revalidation", "Revalidation Due Date List",
                "3746498e-874d-45d8-9c69-68603cafea60", "National Provider Identifier", "monthly",
                ("Enrollment ID", "National Provider Identifier", "First Name", "Last Name", "Organization Name",
                 "Enrollment State Code", "Enrollment Type", "Provider Type Text", "Enrollment Specialty",
                 "Revalidation Due Date", "Adjusted Due Date", "Individual Total Reassign To",
                 "Receiving Benefits Reassignment")),
        Dataset("reassignment", "Revalidation Reassignment List",
                "20f51cff-4137-4f3a-b6b7-bfc9ad57983b", "Individual NPI", "monthly",
                ("Group PAC ID", "Group Enrollment ID", "Group Legal Business Name", "Group State Code",
                 "Group Due Date", "Group Reassignments and Physician Assistants", "Record Type",
                 "Individual PAC ID", "Individual Enrollment ID", "Individual NPI", "Individual First Name",
                 "Individual Last Name", "Individual State Code", "Individual Specialty Description",
                 "Individual Due Date", "Individual Total Employer Associations")),
        Dataset("order_referring", "Order and Referring",
                "c99b5865-1119-4436-bb80-c5af2773ea1f", "NPI", "weekly",
                ("NPI", "LAST_NAME", "FIRST_NAME", "PARTB", "DME", "HHA", "PMD", "HOSPICE")),
        Dataset("opt_out", "Opt Out Affidavits",
                "9887a515-7552-4693-bf58-735c77af46d7", "NPI", "monthly",
                ("First Name", "Last Name", "NPI", "Specialty", "Optout Effective Date", "Optout End Date",
                 "City Name", "State Code", "Eligible to Order and Refer", "Last updated")),
    )
}
GROUP_ENROLLMENT_COLUMN = "Group Enrollment ID"

_UUID = re.compile(r"/dataset/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:/|$)")
_TEN_DIGITS = re.compile(r"\d{10}")


def normalise_title(title: str) -> str:
    """A title compared whitespace-normalised and case-insensitive."""
    return " ".join(title.split()).casefold()


class DatasetRef(BaseModel):
    """Which release of a dataset answered: its id and, from the catalogue, its version title."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    id: str
    title: str
    version: str | None = None
    modified: str | None = None
    temporal: str | None = None
    resolved_by: Literal["catalog", "fallback"] = "fallback"



def _catalog_refs(data: Any) -> dict[str, DatasetRef]:
    """Dataset refs found in a ``data.json`` catalogue, by dataset key."""
    if not isinstance(data, dict) or not isinstance(data.get("dataset"), list):
        raise UnavailableError("unexpected catalogue: no 'dataset' list")
    wanted = {normalise_title(d.title): d for d in DATASETS.values()}
    found: dict[str, DatasetRef] = {}
    for entry in data["dataset"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            continue
        spec = wanted.get(normalise_title(entry["title"]))
        if spec is None or spec.key in found:
            continue
        latest: dict[str, Any] = {}
        distributions = entry.get("distribution")
        if isinstance(distributions, list):
            latest = next((d for d in distributions if isinstance(d, dict) and d.get("format") == "API"
                           and str(d.get("description", "")).lower() == "latest"),
                          next((d for d in distributions if isinstance(d, dict)), {}))
        uuid = None
        for candidate in (entry.get("identifier"), latest.get("accessURL")):
            match = _UUID.search(str(candidate or ""))
            if match:
                uuid = match.group(1).lower()
                break
        if uuid is None:
            continue
        found[spec.key] = DatasetRef(
            key=spec.key, id=uuid, title=" ".join(entry["title"].split()),
            version=_text(latest.get("title")), modified=_text(latest.get("modified") or entry.get("modified")),
            temporal=_text(latest.get("temporal") or entry.get("temporal")), resolved_by="catalog",
        )
    return found


def fallback_refs() -> dict[str, DatasetRef]:
    """The known, long-stable ids of the five datasets."""
    return {d.key: DatasetRef(key=d.key, id=d.known_id, title=" ".join(d.title.split()))
            for d in DATASETS.values()}



def _label(dataset: str) -> str:
    return " ".join(DATASETS[dataset].title.split()) if dataset in DATASETS else dataset



def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


class ColumnsError(UnavailableError):
    """A dataset lacks a column the client reads (CMS renamed or dropped it): its rows cannot be trusted."""

    def __init__(self, dataset: str, missing: list[str], columns: list[str]) -> None:
        title = _label(dataset)
        shown = ", ".join(columns[:40]) + (", ..." if len(columns) > 40 else "")
        plural = "s" if len(missing) != 1 else ""
        super().__init__(f"the data.cms.gov dataset {title!r} has no column{plural} "
                         + ", ".join(repr(m) for m in missing)
                         + f" (renamed by CMS?), so its answers cannot be read; its columns are: {shown}")
        self.dataset = dataset
        self.missing = tuple(missing)


def filter_params(column: str, value: str) -> dict[str, str]:
    """One equality filter, in the condition form seen in a recorded data.cms.gov answer (empty operator)."""
    return {"filter[p1][condition][path]": column, "filter[p1][condition][operator]": "",
            "filter[p1][condition][value]": value}
