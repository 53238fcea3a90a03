"""The public, read-only JSON API (/api/v1/, django-ninja): published data only, never a confidential field."""
