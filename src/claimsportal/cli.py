"""The ``claimsportal`` command: the project's manage.py.

Operator commands are spelt with hyphens (``claimsportal create-organisation``); Django's own keep
their names (``claimsportal migrate``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsportal.config.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
