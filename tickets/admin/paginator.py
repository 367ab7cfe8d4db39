"""A paginator that stops counting at a thousand: substring search over 100k tickets must not scan them all."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedCountPaginator(Paginator):
    """Counts at most CAP + 1 rows; past that the queue says "1000+" pages' worth instead of the exact number."""

    @cached_property
    def count(self) -> int:
        # any CAP + 1 rows will do: without the queue's ORDER BY the database need not walk them in order
        return self.object_list.order_by()[: CAP + 1].count()
