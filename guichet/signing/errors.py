"""The error of the signing app: a message for the person, already translated, and a reason code."""


class SigningError(Exception):
    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
