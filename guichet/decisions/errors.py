"""The error of the decisions app: a refusal with a message for the person, already translated."""


class DecisionError(Exception):
    """Bad input or missing data: nothing was decided, written or paid."""
