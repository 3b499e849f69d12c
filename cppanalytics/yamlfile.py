"""YAML files the user writes (params, targets): one safe reader.

Aliases (``*name``) are refused: a few lines of nested aliases (an "alias bomb") would
otherwise expand to billions of values; a settings file never needs them. Text that is
not UTF-8, or holds binary junk, is one plain :class:`~cppanalytics.errors.CppError`
naming the line; a YAML error names its line and column.

Examples
--------
>>> read_yaml_text("a: 1", Path("p.yaml"))
{'a': 1}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from cppanalytics.errors import CppError


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader refusing aliases (``*name``): a few lines of nested aliases
    expand to billions of values (an "alias bomb"); a settings file never needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in this file; write each value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def decode_text(raw: bytes, path: Path) -> str:
    """The text of a parameter file, or one plain :class:`CppError` when it is not UTF-8 text.

    Examples
    --------
    >>> decode_text("mode: public\\n".encode(), Path("p.yaml"))
    'mode: public\\n'
    >>> decode_text(b"a: \\xe9t\\xe9\\n", Path("p.yaml"))
    Traceback (most recent call last):
    ...
    cppanalytics.errors.CppError: p.yaml: line 1: not UTF-8 text (byte 0xe9); save the file as UTF-8
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CppError(
            f"{path}: line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    junk = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if junk:
        line = text[: junk.start()].count("\n") + 1
        raise CppError(
            f"{path}: line {line}: binary data (character 0x{ord(junk.group()):02x}) in what "
            "should be a YAML text file; check it is the right file"
        )
    return text


def parse_yaml(text: str, path: Path) -> tuple[Any, yaml.Node | None]:
    """The YAML document and its node tree; aliases refused; errors name the line.

    Examples
    --------
    >>> parse_yaml("a: 1", Path("p.yaml"))[0]
    {'a': 1}
    >>> parse_yaml("a: &x [1]\\nb: *x", Path("p.yaml"))
    Traceback (most recent call last):
    ...
    cppanalytics.errors.CppError: p.yaml: line 2, column 4: not valid YAML (aliases (*name) are not allowed in this file; write each value out); fix the file
    """
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
        root = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
            where = f" character {exc.position + 1}:"
            char = exc.character if isinstance(exc.character, int) else ord(exc.character[0])
            problem = f"character #x{char:04x} is not allowed in a YAML file"
        else:
            problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise CppError(f"{path}:{where} not valid YAML ({problem}); fix the file") from None
    return data, root


def read_yaml_text(text: str, path: Path) -> Any:
    """The document in ``text`` (see :func:`parse_yaml`), without its node tree.

    Examples
    --------
    >>> read_yaml_text("a: [1, 2]", Path("t.yaml"))
    {'a': [1, 2]}
    """
    return parse_yaml(text, path)[0]


def read_yaml_file(path: str | Path) -> Any:
    """The document in a YAML file the user wrote: UTF-8 text, no aliases, plain errors.

    Raises
    ------
    CppError
        not UTF-8 text, binary junk, not valid YAML (line and column), aliases.
    OSError
        the file cannot be read.
    """
    path = Path(path)
    return read_yaml_text(decode_text(path.read_bytes(), path), path)
