"""Zip archives from users (Office files: docx, xlsx, pptx) checked before anything unpacks them.

A zip bomb is a small file whose entries claim (and unpack to) hundreds of megabytes or
thousands of entries. The check reads only the central directory — the list of entries with
their compressed and unpacked sizes at the end of the file — so refusing a bomb costs
microseconds and unpacks nothing. The sizes stated there are what a reader trusts when it
allocates and streams, and a reader that finds more bytes than stated fails (Python's zipfile
checks the size and CRC as it reads), so the stated sizes are the ones to bound.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

# Office's own files: a few dozen entries; a deck with many images a few hundred.
MAX_ENTRIES = 2000
# XML compresses about 10-20 times, images and media not at all; 100 times is a bomb's mark
# (Apache POI's ZipSecureFile uses the same ratio). Small entries may be anything.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024


class ArchiveError(Exception):
    """The archive is not an archive we open. `reason`: corrupt, encrypted, too_large."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ArchiveSummary:
    names: list[str]
    unpacked_bytes: int


def archive_check(file, *, max_unpacked_bytes: int) -> ArchiveSummary:
    """Check the zip in `file` (a binary file object, rewound afterwards) by its central
    directory: entries, stated unpacked sizes, compression ratios, encryption.

    Raises ArchiveError("corrupt" | "encrypted" | "too_large").
    """
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError("corrupt") from exc
    finally:
        file.seek(0)
    if len(infos) > MAX_ENTRIES:
        raise ArchiveError("too_large")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveError("encrypted")
        total += info.file_size
        if total > max_unpacked_bytes:
            raise ArchiveError("too_large")
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveError("too_large")
    return ArchiveSummary(names=[info.filename for info in infos], unpacked_bytes=total)
