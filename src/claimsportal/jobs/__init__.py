"""The worker's jobs as named units (ARCHITECTURE.md §4 rule 6): a registry of jobs, each with its own
schedule, clock, heartbeat row, exception isolation and figures (``registry``); the jobs themselves
(``portal_jobs``); a runner that gives each job its own thread so that a slow or failing job never
delays another (``runner``); and their health, for ``claimsportal jobs`` and ``GET /healthz/jobs``
(``health``)."""
