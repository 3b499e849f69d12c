"""User-facing errors.

Raise :class:`CppError` for anything a user can fix (a file that cannot be used, a bad
parameter). The command line prints its message without a traceback and exits with
status 2. The message should name the file (and row/column where relevant) and say what
to do.

Examples
--------
>>> str(CppError("params/x.yaml: unknown parameter 'quater_end'; did you mean 'quarter_end'?"))
"params/x.yaml: unknown parameter 'quater_end'; did you mean 'quarter_end'?"
"""


class CppError(Exception):
    """An error the user can fix; shown as a plain message by the command line."""
