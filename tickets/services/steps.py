"""Recording pipeline steps so each one is visible on the ticket with its duration and error."""

import time

from ..models import ProcessingStep


def step_record(*, ticket_id: int, step: str, status: str, error: str = "", attachment_id: int | None = None,
                duration_ms: int = 0, detail: dict | None = None) -> ProcessingStep:
    return ProcessingStep.objects.create(ticket_id=ticket_id, attachment_id=attachment_id, step=step,
                                         status=status, error=error[:4000], duration_ms=duration_ms,
                                         detail=detail or {})


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def ms(self) -> int:
        return int((time.perf_counter() - self.started) * 1000)

