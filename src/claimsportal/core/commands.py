"""The base of the operator's commands: JSON on stdout, a clear error and a non-zero exit on bad input."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claimsportal.protocols.errors import PortalError


class JsonCommand(BaseCommand):
    """Subclasses implement ``run`` and return what to print as JSON."""

    def run(self, **options: Any) -> Any:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = self.run(**options)
        except PortalError as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, indent=2, default=str))
