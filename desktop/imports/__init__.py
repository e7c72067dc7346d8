"""Bringing data in: our own workbooks (restored from `_data`), rosters and tables typed
elsewhere. Every import is planned first (add / update / unchanged / refused, row by row)
and applied all-or-nothing."""
