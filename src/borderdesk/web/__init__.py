"""The web dashboard: server-rendered pages (Jinja2), vendored Vega charts, one stylesheet."""
