"""Helpers shared by the CLI commands: Django start-up, consoles, progress bars, error exits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()
err_console = Console(stderr=True)

_django_ready = False


def setup_django() -> None:
    """Configure Django once; commands that work on files alone never call this."""
    global _django_ready
    if _django_ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    import django

    django.setup()
    _django_ready = True


def ensure_schema(verbose: bool = False) -> None:
    """Apply migrations and sync the indicator catalogue (idempotent; the body of ``siaga init``)."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    from siaga.risk.services import catalogue_sync

    catalogue_sync()


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]Galat:[/] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator:
    """A Rich progress bar; yields a callback ``(step, done, total)`` that advances one task per step."""
    if not enabled or not console.is_terminal:
        yield lambda *_: None
        return
    with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        tasks: dict[str, int] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=max(total, 1))
            progress.update(tasks[step], completed=done, total=max(total, 1))

        yield update
