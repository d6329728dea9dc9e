"""What the two HTTP shells (the JSON API and the dashboard pages) share, below both so that neither
imports the other: errors as HTTP answers (:mod:`.problems`), the database a request answers from
(:mod:`.live`), ASGI middleware (:mod:`.middleware`) and the server's settings (:mod:`.settings`).
:mod:`borderdesk.serve` puts them together with both shells' routes into one app."""
