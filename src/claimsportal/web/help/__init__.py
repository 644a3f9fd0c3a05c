"""Help for anyone stuck at sign-in (``/help/``): the troubleshooting guide (ADMINISTRATION.md §2.6),
"Resend my user ID", and the contact page whose form reaches the operator's queue (§8.9)."""
