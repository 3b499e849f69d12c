"""User-facing errors and the command line's exit statuses.

Raise :class:`CppError` for anything a user can fix (a file that cannot be used, a bad
parameter). The command line prints its message without a traceback and exits with the
error's :attr:`~CppError.exit_status` (2 for bad input or usage). :class:`OutputError` is
an output that could not be written (a full or read-only disk), exit status 3. The
message should name the file (and row/column where relevant) and say what to do.

Exit statuses of every ``cppanalytics`` command (the README lists them too):

===  ================================================================================
0    done
1    done, but with error-level findings (``validate``) or a failed report (``batch``)
2    unusable input or usage: a file, folder or parameter that cannot be used, or a
     public output refused because it would carry a child identifier
3    an output could not be written (disk full, read-only, path under a file)
4    internal error (a bug): one line, re-run with ``--debug`` for the traceback
130  interrupted (Ctrl-C)
141  output pipe closed early (``cppanalytics validate data | head``)
===  ================================================================================

Examples
--------
>>> str(CppError("params/x.yaml: unknown parameter 'quater_end'; did you mean 'quarter_end'?"))
"params/x.yaml: unknown parameter 'quater_end'; did you mean 'quarter_end'?"
>>> CppError("x").exit_status, OutputError("y").exit_status
(2, 3)
"""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_OUTPUT = 3
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class CppError(Exception):
    """An error the user can fix; shown as a plain message by the command line."""

    #: the command line's exit status for this error
    exit_status: int = EXIT_INPUT


class OutputError(CppError):
    """An output file or folder could not be written (disk full, read-only, not a folder)."""

    exit_status = EXIT_OUTPUT
