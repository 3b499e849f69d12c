"""The suite's hostile corpus: files and faults built by hand, one builder per damage kind.

:mod:`tests.hostile.build` makes each damaged input (formula payloads in 903 codes and
local measures, identifiers planted where a public report could show them, parameter files
that are not UTF-8 text, output paths on a full, read-only or impossible disk); the
``test_*`` modules here attack the product with them.
"""
