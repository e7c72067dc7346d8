"""Errors meant for the user: the message is Chinese and says what and where."""


class UserError(Exception):
    """A refusal the user can act on (bad input, missing data, wrong file). Changes nothing."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
