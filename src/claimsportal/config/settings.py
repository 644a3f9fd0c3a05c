"""Django settings, composed from one module per concern."""

from claimsportal.config.base import *  # noqa: F403
from claimsportal.config.database import *  # noqa: F403
from claimsportal.config.logging import *  # noqa: F403
from claimsportal.config.mail import *  # noqa: F403
from claimsportal.config.security import *  # noqa: F403
