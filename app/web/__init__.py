"""Page routes rendering Jinja templates; no model logic here."""
