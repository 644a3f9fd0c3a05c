"""The unrepresented claimant (litigant in person): self-registration with e-mail verification, a
one-person claimant-side account for one claim, and e-mail reminders before each of their time limits.

The rules that bind the claim itself (one claim, the "not legally represented" tick) are
``claims.litigant_rules``, checked by ``perform``; this app is what surrounds them.
"""
