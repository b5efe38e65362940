"""The JSON API ``/api/v1`` (django-ninja): one router per domain, one error shape, scoped by
siaga.accounts.scoping. Built by ``siaga.api.main.build_api``; see docs/api.md."""
