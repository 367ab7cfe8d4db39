"""The staff UI, one module per screen."""

from . import mail, tickets, templates  # noqa: F401  (registers the ModelAdmins)
