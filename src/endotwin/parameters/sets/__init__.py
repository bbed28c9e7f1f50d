"""Built-in parameter sets (importing this package registers them)."""

from . import (
    dallaman2007,  # noqa: F401
    hall2011,  # noqa: F401
    leptin,  # noqa: F401
    mechanisms,  # noqa: F401
)
