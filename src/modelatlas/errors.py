"""Errors a user can hit: one clear line each, with a documented exit code."""

from __future__ import annotations

# Exit codes (documented in the README):
EXIT_OK = 0
EXIT_FAILURE = 1  # the command failed: nothing usable was produced / validation failed
EXIT_USAGE = 2  # bad command line or bad input file
EXIT_PARTIAL = 3  # fetch: some providers failed or were held back; the rest landed


class ModelatlasError(Exception):
    """An error with a one-line message meant for the user and the exit code to leave with."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class InputError(ModelatlasError):
    """Bad input (a file, a folder, an option value): exit code 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)
