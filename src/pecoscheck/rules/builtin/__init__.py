"""Built-in rule families, one module each. Importing this package registers them."""

from . import npi  # noqa: F401
