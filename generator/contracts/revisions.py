"""A document named on the command line: a path, or ``REV:PATH`` read from git.

``origin/main:specs/orders.yaml`` is the file at that revision, with git's meaning of
the path (from the top of the repository; ``REV:./PATH`` from the current folder).
The revision is resolved to one commit first, so every file a ``$ref`` reaches is read
at the same commit even while a branch moves. Files are read through one
``git cat-file --batch`` process, which reports each blob's size before its bytes.
"""

from __future__ import annotations

import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from generator.diagnostics import Diagnostic, Location

__all__ = [
    "GitSource",
    "Named",
    "RevisionError",
    "against",
    "name_document",
    "open_revision",
    "revision_problem",
]


class RevisionError(Exception):
    """A revision or a file at a revision that cannot be read; the message is a sentence."""


@dataclass(frozen=True, slots=True)
class Named:
    """A document as the command line names it."""

    text: str
    """The argument as written, which names the document in every line of output."""
    path: Path
    """The file on disk, or the path inside the repository for a revision."""
    revision: str | None = None
    from_here: bool = False
    """The path is relative to the current folder rather than to the repository's top."""


def against(revision: str, spec: str) -> Named:
    """``--against REV``: the document ``spec`` (a path from here) at ``revision``."""
    return Named(f"{revision}:{spec}", Path(spec), revision, from_here=True)


def name_document(text: str) -> Named:
    """Read an argument: an existing file is a path, else ``REV:PATH`` when it has a colon."""
    if Path(text).exists() or ":" not in text:
        return Named(text, Path(text))
    revision, _, path = text.partition(":")
    return Named(text, Path(path), revision or "HEAD")


def _git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed, so no revision can be read.") from None


class GitSource:
    """The files of one commit, read on demand; paths relative to the root's folder."""

    def __init__(self, top: Path, commit: str, revision: str, folder: PurePosixPath) -> None:
        self.top = top
        self.commit = commit
        self.revision = revision
        self.folder = folder
        self._process: subprocess.Popen[bytes] | None = None

    def _in_tree(self, file: str) -> str:
        return posixpath.normpath(posixpath.join(str(self.folder), file))

    def display(self, file: str) -> str:
        """``REV:path`` with the path from the top of the repository."""
        return f"{self.revision}:{self._in_tree(file)}"

    def _batch(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        return self._process.stdin, self._process.stdout

    def read(self, file: str, max_bytes: int) -> bytes | None:
        """The blob at ``commit:path``; None when it is larger than ``max_bytes``."""
        path = self._in_tree(file)
        if path == ".." or path.startswith("../"):
            raise FileNotFoundError(path)
        send, receive = self._batch()
        send.write(f"{self.commit}:{path}\n".encode())
        send.flush()
        # "<sha> <type> <size>", or "<name> missing" (the name may hold spaces).
        header = receive.readline().decode(errors="replace").rstrip("\n")
        if header.endswith(" missing") or header.count(" ") < 2:
            raise FileNotFoundError(path)
        kind, size = header.rsplit(" ", 2)[1], int(header.rsplit(" ", 1)[1])
        body = receive.read(size)
        receive.read(1)  # the newline after each object
        if kind != "blob":
            raise IsADirectoryError(path)
        return None if size > max_bytes else body

    def close(self) -> None:
        """Stop the ``git cat-file`` process."""
        if self._process is not None:
            if self._process.stdin is not None:
                self._process.stdin.close()
            self._process.wait(timeout=30)
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None


def open_revision(named: Named) -> GitSource:
    """The git source of a ``REV:PATH`` document; ``RevisionError`` when it cannot be read."""
    assert named.revision is not None
    here = Path.cwd()
    found = _git(["rev-parse", "--show-toplevel"], here)
    if found.returncode != 0:
        raise RevisionError(
            f"{named.text!r} names the revision {named.revision!r}, but {str(here)!r} is not "
            "inside a git repository."
        )
    top = Path(found.stdout.strip())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{named.revision}^{{commit}}"], here)
    if commit.returncode != 0:
        raise RevisionError(
            f"The revision {named.revision!r} does not exist in the git repository {str(top)!r}."
        )
    path = named.path.as_posix()
    if named.from_here or path.startswith(("./", "../")) or path in (".", ".."):
        path = posixpath.normpath(posixpath.join(_prefix(here, top), path))
    if path == ".." or path.startswith(("/", "../")):
        raise RevisionError(
            f"The path {named.path.as_posix()!r} is outside the git repository {str(top)!r}."
        )
    sha = commit.stdout.strip()
    listed = _git(["cat-file", "-t", f"{sha}:{path}"], top)
    if listed.returncode != 0 or listed.stdout.strip() != "blob":
        raise RevisionError(
            f"The file {path!r} does not exist at the revision {named.revision!r} "
            f"(commit {sha[:12]})."
        )
    tree_path = PurePosixPath(path)
    return GitSource(top, sha, named.revision, tree_path.parent)


def _prefix(here: Path, top: Path) -> str:
    try:
        return here.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:  # pragma: no cover - git said we are inside the repository
        return "."


def revision_problem(named: Named, error: RevisionError) -> Diagnostic:
    """The error of a revision that cannot be read, located at the argument."""
    return Diagnostic("error", Location(named.text), str(error))
