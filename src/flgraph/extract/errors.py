"""Errors the report author can cause, named by file and line.

Raised by the extractor when the input does not fit the report layout; the CLI turns them
into one-line messages and exit code 2, so a publisher never sees a traceback.
"""


class SourceError(Exception):
    """The source text does not fit the report layout."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message
