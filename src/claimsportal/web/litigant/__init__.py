"""The unrepresented claimant's guided journey (``/claimant/``): registration one question a page,
then their one claim in plain English — where it is, what happens next and by when, what an offer
means, what they can do now — with a printable copy. The claim's forms are the portal's own pages."""
