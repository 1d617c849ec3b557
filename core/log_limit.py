"""A log that writes one record per interval for a repeating failure.

When the database drops every connection, each request fails the same way: logging each
traceback filled the log with about 770,000 lines in 20 seconds.  One record per kind
and interval (with the count of the ones left out) says the same thing.
"""

import logging
import threading
import time


class RateLimitedLog:
    def __init__(self, logger: logging.Logger, interval_s: float = 60.0):
        self.logger = logger
        self.interval_s = interval_s
        self._lock = threading.Lock()
        self._since: dict[str, float] = {}
        self._left_out: dict[str, int] = {}

    def error(self, kind: str, message: str, *args, exc_info=None) -> bool:
        """Log ``message`` unless ``kind`` was logged less than an interval ago; True when
        it was written."""
        now = time.monotonic()
        with self._lock:
            since = self._since.get(kind)
            if since is not None and now - since < self.interval_s:
                self._left_out[kind] = self._left_out.get(kind, 0) + 1
                return False
            self._since[kind] = now
            left_out = self._left_out.pop(kind, 0)
        if left_out:
            message += " (%d more like it in the last %d s not logged)"
            args = (*args, left_out, self.interval_s)
        self.logger.error(message, *args, exc_info=exc_info)
        return True
