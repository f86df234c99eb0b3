"""Errors the ``kg`` command reports as one line with exit code 2."""


class KgError(Exception):
    """Bad input or an environment problem: one line naming what and where."""

    exit_code = 2


class InputError(KgError):
    """A file, query, option or parameter given by the user is not acceptable."""
