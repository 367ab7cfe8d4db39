"""The staff UI, one module per screen."""

from . import mail, site, templates, tickets  # noqa: F401  (registers the ModelAdmins)
