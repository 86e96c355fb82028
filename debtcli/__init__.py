"""debtcli: keep control of an overdue credit card, on your own machine."""

__version__ = "0.1.0"
