"""What the emulators share and no platform names: the plumbing of an endpoint (the request's body read,
its transaction, JSON answers, the token endpoint), route tables with a catch-all 404, and the status
watch of the sandbox's ASGI middlewares."""
