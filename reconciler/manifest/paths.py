"""Files of a project: where they may be, and reading one as text.

Paths a project names (var files, template includes, the state directory, manifests) must stay inside
the project directory, so a pull request cannot make reconciler read, or write, a file of the machine it
runs on.

A path is confined when it is relative, has no hidden part (`.git/config`, `.env`: a checkout keeps
credentials there) and, with every symlink resolved, still lies inside the project.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from reconciler.model import Diagnostic

MAX_PATH = 1024
CONFINED_HINT = "name a file inside the project directory by its relative path (no `..`, no symlink out)"


def outside_problem(root: Path, relative: str, hidden_ok: bool = False) -> str | None:
    """Why `relative` (a path written in the project) may not be used, or None when it stays inside."""
    if not relative or "\0" in relative:
        return "is not a path"
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or Path(relative).is_absolute() or relative.startswith("~"):
        return "is an absolute path; paths in a project are relative to its directory"
    if not hidden_ok and any(part.startswith(".") and part not in (".", "..") for part in pure.parts):
        return "names a hidden file or directory, which reconciler never reads"
    longest = max((len(part.encode("utf-8", "surrogateescape")) for part in pure.parts), default=0)
    if len(relative) > MAX_PATH or longest > 255:
        return f"is too long a path (at most {MAX_PATH} characters, 255 bytes a name)"
    base = root.resolve()
    try:
        resolved = (base / relative).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return "cannot be resolved (a symlink loop?)"
    if not resolved.is_relative_to(base):
        return "leaves the project directory (through `..` or a symlink)"
    return None


def symlink_below(root: Path, path: Path) -> Path | None:
    """The first symlink among `path` and its parents below `root` (None when there is none), for writers
    that must never write through one."""
    base = root.absolute()
    current = path.absolute()
    while current != base and current.is_relative_to(base):
        if current.is_symlink():
            return current
        current = current.parent
    return None


def printable_name(path: Path | str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 are shown escaped (`\\xff`)."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def is_utf8_name(path: Path | str) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


MAX_FILE_BYTES = 50_000_000


def read_text(path: Path, file: str) -> tuple[str | None, list[Diagnostic]]:
    """The UTF-8 text of a project file, or why it cannot be read (bytes that are not UTF-8 at their line
    and column)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Diagnostic(
                    f"the file is larger than {MAX_FILE_BYTES:,} bytes", file, 1, 1, "", "split it into files"
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(f"cannot read the file: {exc.strerror}", file, 1, 1, "", "check the file")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        return None, [
            Diagnostic(
                f"not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason})",
                file,
                line,
                column,
                "",
                "save the file as UTF-8",
            )
        ]
