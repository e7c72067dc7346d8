"""Errors meant for the user: the message is Chinese and says what and where."""


class UserError(Exception):
    """A refusal the user can act on (bad input, missing data, wrong file). Changes nothing."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class DamagedDatabase(UserError):
    """The township's database failed an integrity check; the message names the newest good
    backup. Nothing more is built on it until it is restored."""
