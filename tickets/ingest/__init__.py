"""Pure email handling: bytes in, dataclasses out, no ORM (the services layer stores the results)."""
