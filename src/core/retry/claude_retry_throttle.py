"""claude_retry_throttle: the opt-in companion of claude_retry.py, for many calls running at once (standard library
only, Python 3.8+). Two objects, each shared by every call (one per process, or per API key), that ``with_retry``
consults before it sends an attempt::

    from claude_retry import with_retry
    from claude_retry_throttle import AdaptiveThrottle, CircuitBreaker

    throttle = AdaptiveThrottle()
    breaker = CircuitBreaker(failure_threshold=5, cooldown=30.0)
    message = with_retry(lambda: client.messages.create(**body), throttle=throttle, circuit_breaker=breaker)

Backoff alone spaces out one call's retries, not the crowd's: during an overload (a storm of 529
``overloaded_error``, which can last minutes) the AdaptiveThrottle keeps what all calls send near what the API
accepts, and the CircuitBreaker stops every call from sending while the API keeps failing (they wait for it,
within their budget). Both are safe to share between threads and between the tasks of one event loop.

The protocol ``with_retry`` speaks with them: ``admit(attempt, budget_left, last_error, random, backoff)`` answers
None (send), a wait in seconds (wait, then ask again) or ``(reason, error)`` (give up with ``error``); a gate that
admitted an attempt then hears ``settle(outcome)``: "accepted" (a success or a final error), "failed" (a
retryable failure) or "unsent".
"""

import random as _random
import threading
import time
from typing import Any, Callable, Optional


class CircuitOpenError(Exception):
    """Raised (without calling the wrapped function) when the circuit stays open past the call's budget."""

    def __init__(self, retry_after: float, last_error: Optional[BaseException] = None):
        super().__init__("Circuit open after repeated failures of the Claude API; no call is let through for "
                         "another %.1f s." % max(0.0, retry_after))
        self.retry_after = max(0.0, retry_after)  # seconds until the breaker lets a trial call through
        self.last_error = last_error  # the failure that opened the circuit, when this call saw it


class ThrottledError(Exception):
    """Raised (without calling the wrapped function) when a throttle refused every try within the budget."""

    def __init__(self):
        super().__init__("Not sent: the Claude API has been turning most requests away (overloaded or rate limited), "
                         "and the throttle held this call back until its time budget ran out.")


class CircuitBreaker:
    """Once the API has failed ``failure_threshold`` times in a row (failures that would be retried: 429, 5xx,
    connection errors), the circuit opens and no call sends anything for ``cooldown`` seconds. Then one trial call
    goes through ("half-open"): success closes the circuit, a failure opens it again.

    Why calls wait rather than fail: every request an overloaded API turns away is load it did not need, and a call
    that fails at once hands the problem to its caller, who usually retries. So ``with_retry`` keeps a refused call
    waiting, without sending, until the breaker would let a call through, as long as that fits its budget;
    otherwise it gives up at once with CircuitOpenError. Waiting calls come back spread over one cool-down, so a
    circuit that closes is not hit by all of them at once. Final errors (a 400, say) count as the service
    answering; cancelled calls count as nothing.
    """

    def __init__(self, failure_threshold: int = 5, cooldown: float = 30.0, clock: Optional[Callable[[], float]] = None,
                 on_state_change: Optional[Callable[[str, str], Any]] = None):
        self.failure_threshold = max(1, int(failure_threshold))
        self.cooldown = max(0.0, float(cooldown))
        self._clock = clock or time.monotonic
        self._on_state_change = on_state_change
        self._lock = threading.RLock()
        self._state, self._failures, self._opened_at, self._trial_in_flight = "closed", 0, 0.0, False

    @property
    def state(self) -> str:
        """"closed", "open" or "half-open" (an open circuit whose cool-down has passed reads as half-open)."""
        with self._lock:
            self._refresh()
            return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def remaining_cooldown(self) -> float:
        """Seconds until an open circuit lets a trial call through (0 unless open)."""
        with self._lock:
            self._refresh()
            return max(0.0, self._opened_at + self.cooldown - self._clock()) if self._state == "open" else 0.0

    def try_acquire(self) -> bool:
        """Asks to make one call. In half-open state only one trial call is let through at a time."""
        with self._lock:
            self._refresh()
            if self._state == "closed":
                return True
            if self._state == "open" or self._trial_in_flight:
                return False
            self._trial_in_flight = True
            return True

    def record_success(self) -> None:
        """The call succeeded, or the API answered with a final error: the service is up."""
        with self._lock:
            self._refresh()
            if self._state == "open":  # a call admitted before the circuit opened says nothing about the present
                return
            self._failures, self._trial_in_flight = 0, False
            self._set_state("closed")

    def record_failure(self) -> None:
        """The call failed in a way that would be retried."""
        with self._lock:
            self._refresh()
            if self._state == "open":
                return
            self._failures += 1
            if self._state == "half-open" or self._failures >= self.failure_threshold:
                self._opened_at, self._trial_in_flight = self._clock(), False
                self._set_state("open")

    def release(self) -> None:
        """The call ended without telling anything about the service (it was cancelled, or not sent)."""
        with self._lock:
            self._trial_in_flight = False

    def reset(self) -> None:
        with self._lock:
            self._failures, self._trial_in_flight = 0, False
            self._set_state("closed")

    def admit(self, attempt: int, budget_left: float, last_error: Optional[BaseException], random: Callable[[], float],
              backoff: Callable[[], float]):
        """For ``with_retry``: wait to the half-open moment plus a random part of one cool-down (cut to the budget;
        at least 1 ms, so a breaker with no cool-down cannot make the loop spin); give up when even the half-open
        moment lies beyond the budget."""
        if self.try_acquire():
            return None
        remaining = self.remaining_cooldown()
        if remaining > budget_left or budget_left < 0.001:
            return ("circuit-open", CircuitOpenError(remaining, last_error))
        spread = min(1.0, max(0.0, random())) * self.cooldown
        return max(0.001, min(budget_left, remaining + spread))

    def settle(self, outcome: str) -> None:
        """For ``with_retry``: what became of a call the breaker let through."""
        if outcome == "accepted":
            self.record_success()
        elif outcome == "failed":
            self.record_failure()
        else:
            self.release()

    def _refresh(self) -> None:
        if self._state == "open" and self._clock() - self._opened_at >= self.cooldown:
            self._set_state("half-open")

    def _set_state(self, state: str) -> None:
        previous, self._state = self._state, state
        if previous != state and self._on_state_change is not None:
            try:
                self._on_state_change(state, previous)
            except Exception:  # noqa: BLE001 - an observer must not break the breaker
                pass


_BUCKETS = 10


class AdaptiveThrottle:
    """Client-side throttling shared by many calls (the "adaptive throttling" of Google's SRE book): it counts, over
    the last ``window`` seconds, the requests the calls wanted to send and the ones the API accepted (answered with
    anything but a retryable error), and refuses a request with probability

        max(0, (requests - ratio * accepts) / (requests + 1))

    While the API accepts what it gets, that is 0. During an overload it holds the total near ``ratio`` times what
    the API accepts, across all calls, and lets traffic grow back as soon as the API accepts more. A refused
    request is never sent: ``with_retry`` waits the backoff of the call's last failure (refusals do not make it
    grow), then asks again, within the call's budget. Requests are counted when sent, not when answered.
    """

    def __init__(self, ratio: float = 2.0, window: float = 60.0, clock: Optional[Callable[[], float]] = None,
                 random: Optional[Callable[[], float]] = None):
        self.ratio = max(1.0, float(ratio))
        self._bucket_span = max(0.001, float(window)) / _BUCKETS
        self._clock = clock or time.monotonic
        self._random = random or _random.random
        self._lock = threading.Lock()
        self._requests, self._accepts, self._current = [0] * _BUCKETS, [0] * _BUCKETS, -1

    @property
    def rejection_probability(self) -> float:
        with self._lock:
            return self._probability()

    def try_acquire(self) -> bool:
        """Asks to send one request; counts it either way (refusals count too, as in the SRE book)."""
        with self._lock:
            refuse = self._random() < self._probability()
            self._requests[self._current % _BUCKETS] += 1
            return not refuse

    def record_accepted(self) -> None:
        """The API answered a request with something other than a retryable error."""
        with self._lock:
            self._advance()
            self._accepts[self._current % _BUCKETS] += 1

    def admit(self, attempt: int, budget_left: float, last_error: Optional[BaseException], random: Callable[[], float],
              backoff: Callable[[], float]):
        """For ``with_retry``: past the budget, give up with the call's last error, or with ThrottledError when
        nothing was sent."""
        if self.try_acquire():
            return None
        wait = backoff()
        if wait <= budget_left:
            return wait
        return ("budget-exceeded", last_error) if last_error is not None else ("throttled", ThrottledError())

    def settle(self, outcome: str) -> None:
        """For ``with_retry``: only an accepted request counts; retryable failures count as nothing."""
        if outcome == "accepted":
            self.record_accepted()

    def _probability(self) -> float:
        self._advance()
        requests, accepts = sum(self._requests), sum(self._accepts)
        return max(0.0, (requests - self.ratio * accepts) / (requests + 1))

    def _advance(self) -> None:
        """Moves the window to now, clearing the buckets that fell out of it."""
        bucket = int(self._clock() // self._bucket_span)
        if bucket <= self._current:  # (a clock that went back keeps the current bucket)
            return
        stale = _BUCKETS if self._current < 0 else min(_BUCKETS, bucket - self._current)
        for i in range(1, stale + 1):
            self._requests[(bucket - stale + i) % _BUCKETS] = 0
            self._accepts[(bucket - stale + i) % _BUCKETS] = 0
        self._current = bucket
