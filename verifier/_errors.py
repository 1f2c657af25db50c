"""Exceptions raised by the verifier library."""


class VerifierError(Exception):
    """Base class of every error the verifier raises on purpose."""


class InputError(VerifierError):
    """The input is unreadable, over a limit, or not a badge at all.

    ``kind`` is a stable slug ("not_a_badge", "too_large", "malformed",
    "unsupported_version", ...) that ends up in the report's problem type.
    """

    def __init__(self, message: str, kind: str = "malformed") -> None:
        super().__init__(message)
        self.kind = kind


class FetchError(VerifierError):
    """A document could not be fetched (refused, unreachable, bad status, too big)."""

    def __init__(self, url: str, reason: str, status: int | None = None, kind: str = "fetch_failed") -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.kind = kind
