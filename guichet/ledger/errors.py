"""The ledger's error: a refused append (bad payload, no transaction, unknown actor) or a refused change."""


class LedgerError(Exception):
    """Raised with a message meant for the developer or operator; nothing was written."""
