from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Developer tooling: demo data and the benchmark. Installed by the local and test
    settings only; the production web process never imports it."""

    name = "config.devtools"
    label = "devtools"
    verbose_name = "Developer tooling"
