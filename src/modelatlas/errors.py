"""Errors a user can hit: one clear line each, with a documented exit code."""

from __future__ import annotations

import errno

# Exit codes (documented in the README and docs/client.md):
EXIT_OK = 0
EXIT_FAILURE = 1  # the command failed: nothing usable was produced / validation failed
EXIT_USAGE = 2  # bad command line or bad input file
EXIT_PARTIAL = 3  # fetch: some providers failed or were held back; the rest landed
EXIT_IO = 4  # a file or folder could not be read or written (permission, disk full, path under a file)


class ModelatlasError(Exception):
    """An error with a one-line message meant for the user and the exit code to leave with."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def io_error(action: str, exc: OSError, hint: str = "") -> ModelatlasError:
    """One line for a failed read or write: what, where, the system's reason, and a way out (exit 4)."""
    where = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or str(exc)
    fixes = {
        errno.ENOSPC: "free some disk space and run it again",
        errno.EDQUOT: "free some disk space and run it again",
        errno.EFBIG: "the file system refuses files this big; use another folder",
        errno.EACCES: "choose a folder you may write to",
        errno.EPERM: "choose a folder you may write to",
        errno.EROFS: "choose a folder on a writable file system",
        errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path",
    }
    fix = fixes.get(exc.errno or 0, "")
    advice = "; ".join(part for part in (hint, fix) if part)
    return ModelatlasError(f"cannot {action}{where}: {reason}" + (f"; {advice}" if advice else ""), EXIT_IO)


class InputError(ModelatlasError):
    """Bad input (a file, a folder, an option value): exit code 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)
