"""Step 1, read: a return file's bytes into a table of text cells, within the limits.

The reading itself is :func:`jwmetrics.tabular.read_table`; this module holds the limits
a return is read under (with their environment overrides) and the file's identity.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from jwmetrics.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNCOMPRESSED,
    DEFAULT_MAX_XML_TAGS,
    ArchiveLimits,
    RawTable,
    read_table,
)

MAX_BYTES_ENV = "JWMETRICS_MAX_UPLOAD_BYTES"
MAX_ROWS_ENV = "JWMETRICS_MAX_RETURN_ROWS"
MAX_UNCOMPRESSED_ENV = "JWMETRICS_MAX_UNCOMPRESSED_BYTES"
MAX_RATIO_ENV = "JWMETRICS_MAX_COMPRESSION_RATIO"


@dataclass(frozen=True)
class Limits:
    """Largest file, most rows and how far a workbook may unpack (environment overrides)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
    max_ratio: float = DEFAULT_MAX_RATIO
    max_xml_tags: int = DEFAULT_MAX_XML_TAGS  # a workbook's XML tags, all parts together

    @classmethod
    def from_environment(cls) -> Limits:
        """Limits from ``JWMETRICS_MAX_UPLOAD_BYTES``, ``JWMETRICS_MAX_RETURN_ROWS``,
        ``JWMETRICS_MAX_UNCOMPRESSED_BYTES`` and ``JWMETRICS_MAX_COMPRESSION_RATIO``."""
        env = os.environ
        return cls(
            max_bytes=int(env.get(MAX_BYTES_ENV, DEFAULT_MAX_BYTES)),
            max_rows=int(env.get(MAX_ROWS_ENV, DEFAULT_MAX_ROWS)),
            max_uncompressed=int(env.get(MAX_UNCOMPRESSED_ENV, DEFAULT_MAX_UNCOMPRESSED)),
            max_ratio=float(env.get(MAX_RATIO_ENV, DEFAULT_MAX_RATIO)),
        )

    @property
    def archive(self) -> ArchiveLimits:
        """The limits on a workbook's archive."""
        return ArchiveLimits(self.max_uncompressed, self.max_ratio, self.max_xml_tags)


def read_return(data: bytes, file_name: str, sheet: str | None, limits: Limits) -> RawTable:
    """The file's cells (every problem with its layout recorded on the table)."""
    return read_table(
        data,
        file_name,
        sheet,
        max_bytes=limits.max_bytes,
        max_rows=limits.max_rows,
        archive=limits.archive,
    )


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of a file's bytes: the identity of its content."""
    return hashlib.sha256(data).hexdigest()
