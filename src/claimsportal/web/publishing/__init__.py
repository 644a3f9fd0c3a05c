"""The portal's public pages of what it publishes (the Executive Dashboard, news), and the operator's
pages that publish them (live figures, news, maintenance windows)."""
