"""Help for people who cannot sign in (ADMINISTRATION.md §2.6, §8.9): the helpdesk's contact form and
the operator's queue of messages (five working days' response target), and "Resend my user ID"."""
