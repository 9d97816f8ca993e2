"""claude_retry: retries for Claude Messages API calls, in one file, standard library only (Python 3.8+).

Wrap each call; turn the SDK's own retries off, otherwise every attempt here hides up to three requests::

    client = anthropic.Anthropic(max_retries=0)
    message = with_retry(lambda: client.messages.create(model=model, max_tokens=1024, messages=messages),
                         on_retry=lambda e: log.warning("attempt %d failed (%s), retrying in %.1f s", e.attempt, e.status, e.delay))
    message = await async_with_retry(lambda: async_client.messages.create(**body))

Streams are retried only until their first event reaches you (after that, a retry would repeat output)::

    for event in with_stream_retry(lambda: client.messages.stream(**body)): ...
    async for event in async_with_stream_retry(lambda: async_client.messages.create(**body, stream=True)): ...

Retried: HTTP 408, 409, 429 and every 5xx (529 overloaded included: in anthropic 1.x an ``OverloadedError``, which
is not an ``InternalServerError``), connection errors and timeouts, and ``overloaded_error``, ``api_error``,
``rate_limit_error`` or ``timeout_error`` arriving inside a stream. Final: every other 4xx, a 429 that reports the
spend limit, and any error that does not come from the network or the API (a bug in your own code fails at once).
A ``x-should-retry: true|false`` response header overrides all that. Cancelling the task (async) ends a wait at
once; ``KeyboardInterrupt`` and other ``BaseException`` s are never caught.

Waits: what the server asks for (``retry-after-ms``, else ``retry-after``), in full; otherwise "full jitter", a
random wait in [0, min(max_delay, base_delay * 2 ** (attempt - 1))] seconds. It gives up after ``max_attempts``,
or at once when the next wait would overrun ``max_elapsed``, re-raising the error the last attempt raised,
unchanged, so your existing ``except`` clauses keep working.

Options (keyword only): max_attempts=6, base_delay=1.0, max_delay=60.0, max_elapsed=120.0 (seconds), on_retry /
on_give_up hooks (they receive a RetryEvent / GiveUpEvent), should_retry(error, classification) -> bool, clock /
sleep / random for tests, and ``throttle`` / ``circuit_breaker``: objects shared between calls, from the opt-in
file claude_retry_throttle.py. ``classify_error`` and ``parse_retry_after`` serve code that runs its own loop.
The ``anthropic`` package is never imported: its errors are read by their attributes and class names.
"""

import asyncio
import email.utils
import inspect
import math
import random as _random
import re
import socket
import time
from collections import namedtuple
from typing import Any, Awaitable, Callable, Iterator, AsyncIterator, NamedTuple, Optional, TypeVar

__all__ = ["with_retry", "async_with_retry", "with_stream_retry", "async_with_stream_retry", "classify_error",
           "parse_retry_after", "backoff_delay", "ErrorClassification", "RetryEvent", "GiveUpEvent", "RETRY_DEFAULTS"]

T = TypeVar("T")
RETRY_DEFAULTS = {"max_attempts": 6, "base_delay": 1.0, "max_delay": 60.0, "max_elapsed": 120.0}


class ErrorClassification(NamedTuple):
    """Why an error is retryable or final (``reason``: should-retry-header, spend-limit, http-status,
    stream-error-type, connection-error, timeout, host-not-found, unknown-error...), and what a log line needs."""
    retryable: bool
    reason: str
    status: Optional[int] = None
    error_type: Optional[str] = None
    error_code: Optional[str] = None
    request_id: Optional[str] = None
    retry_after: Optional[float] = None  # seconds


# Passed to ``on_retry`` before each wait: the attempt that failed (1-based), the wait in seconds, its reason
# ("retry-after" when the server chose it, "backoff" when we did), the error unchanged, the time since the start.
RetryEvent = namedtuple("RetryEvent", "attempt delay reason status error error_type request_id elapsed classification")
# Passed to ``on_give_up`` once, right before ``error`` is raised. reason: final-error, attempts-exhausted,
# budget-exceeded, circuit-open or throttled; attempts: how many were made (0 when a gate refused the first).
GiveUpEvent = namedtuple("GiveUpEvent", "reason attempts error elapsed classification")


def _text(value: Any) -> Optional[str]:
    value = (value[0] if value else None) if isinstance(value, (list, tuple)) else value
    value = value.decode("latin-1") if isinstance(value, bytes) else value
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _header(headers: Any, name: str) -> Optional[str]:
    """One header, any case, from httpx Headers, a dict or Mapping, or a list of (name, value) pairs."""
    if headers is None:
        return None
    wanted = name.lower()
    if isinstance(headers, (list, tuple)):
        pairs = headers
    else:
        get = getattr(headers, "get", None)
        if callable(get):
            direct = _text(get(wanted))  # httpx Headers ignore case; a dict does not: scan it
            if direct is not None:
                return direct
        items = getattr(headers, "items", None)
        if not callable(items):
            return None
        pairs = items()
    for pair in pairs:
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            key = pair[0].decode("latin-1") if isinstance(pair[0], bytes) else pair[0]
            if isinstance(key, str) and key.lower() == wanted:
                return _text(pair[1])
    return None


_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def parse_retry_after(headers: Any, now: Optional[float] = None) -> Optional[float]:
    """How long the server asks us to wait, in seconds, or None when it does not say.

    ``retry-after-ms`` wins; else ``retry-after`` as seconds (fractions allowed) or as an HTTP date, measured
    against ``now`` (epoch seconds, default ``time.time()``). Zero, negative, past and unparsable values give
    None (backoff applies). No upper cap: the server knows how long its limit lasts.
    """
    ms = _header(headers, "retry-after-ms")
    if ms is not None and _NUMBER.match(ms) and float(ms) > 0:
        return float(ms) / 1000.0
    after = _header(headers, "retry-after")
    if not after:
        return None
    if _NUMBER.match(after):
        seconds = float(after)
    else:
        try:
            date = email.utils.parsedate_to_datetime(after)
        except (TypeError, ValueError, IndexError):
            return None
        if date is None or date.tzinfo is None:
            return None
        seconds = date.timestamp() - (time.time() if now is None else now)
    return seconds if seconds > 0 and math.isfinite(seconds) else None


def _get(obj: Any, key: str) -> Any:
    """``obj[key]`` for dicts, ``obj.key`` otherwise, None when absent."""
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _first_str(*values: Any) -> Optional[str]:
    return next((value for value in values if isinstance(value, str) and value), None)


_RETRYABLE_STREAM_TYPES = ("overloaded_error", "api_error", "rate_limit_error", "timeout_error")
_SPEND_LIMIT = "enforced_spend_limit_reached"
# Transport errors raised by httpx (and the SDK's copy of it) when they reach the caller unwrapped.
_HTTPX_TIMEOUTS = ("TimeoutException", "ConnectTimeout", "ReadTimeout", "WriteTimeout", "PoolTimeout")
_HTTPX_CONNECTION = ("ConnectError", "ReadError", "WriteError", "RemoteProtocolError", "NetworkError", "CloseError")


def classify_error(err: BaseException, now: Optional[float] = None) -> ErrorClassification:
    """Whether an error is worth another attempt, and what a log line needs.

    Reads ``anthropic`` errors (``status_code``, ``response.headers``, ``body``, ``request_id``) by their
    attributes and class names, other HTTP clients' ``status`` / ``response.status_code``, and socket errors.
    """
    response = getattr(err, "response", None)
    status = next((s for s in (getattr(err, "status_code", None), getattr(err, "status", None), _get(response, "status_code"))
                   if isinstance(s, int) and not isinstance(s, bool) and 400 <= s <= 599), None)
    # (An error event inside a stream is raised with the stream's own 200 response: that is no HTTP failure.)
    headers = _get(response, "headers") if response is not None else getattr(err, "headers", None)
    body = getattr(err, "body", None)
    inner = _get(body, "error") if isinstance(body, dict) else None
    error_type = _first_str(_get(inner, "type"), getattr(err, "type", None) if getattr(err, "type", None) != "error" else None)
    error_code = _first_str(_get(_get(inner, "details"), "error_code"), _get(inner, "error_code"), _get(body, "error_code") if isinstance(body, dict) else None)
    request_id = _first_str(getattr(err, "request_id", None), _header(headers, "request-id"), _get(body, "request_id") if isinstance(body, dict) else None)
    found = dict(status=status, error_type=error_type, error_code=error_code, request_id=request_id, retry_after=parse_retry_after(headers, now))

    def result(retryable: bool, reason: str) -> ErrorClassification:
        return ErrorClassification(retryable, reason, **found)

    if type(err).__name__ in ("CircuitOpenError", "ThrottledError"):  # from a shared gate: nothing was sent
        return result(False, "circuit-open" if type(err).__name__ == "CircuitOpenError" else "throttled")
    # The API itself says whether a retry can help.
    should_retry = _header(headers, "x-should-retry")
    if should_retry in ("true", "false"):
        return result(should_retry == "true", "should-retry-header")
    # The spend limit lasts until someone raises it; the SDK's message embeds the body, so the text counts too.
    text = str(err)
    if _SPEND_LIMIT in (error_code, error_type) or _SPEND_LIMIT in text or (status == 429 and re.search(r"\bspend(ing)? limit\b", text, re.I)):
        return result(False, "spend-limit")
    if status is not None:
        return result(status in (408, 409, 429) or status >= 500, "http-status")
    names = [(cls.__module__.split(".")[0], cls.__name__) for cls in type(err).__mro__]
    is_connection = any(n in ("APIConnectionError", "APITimeoutError") for _, n in names)
    if error_type is not None and not is_connection:
        return result(error_type in _RETRYABLE_STREAM_TYPES, "stream-error-type")
    # DNS saying the host does not exist is nearly always a wrong base URL: retrying only delays that message.
    cause: Optional[BaseException] = err
    for _ in range(6):  # along the chain of causes (the SDK wraps httpx's error, which wraps the socket's)
        if isinstance(cause, socket.gaierror) and cause.errno != getattr(socket, "EAI_AGAIN", -3):
            return result(False, "host-not-found")
        cause = cause and (cause.__cause__ or cause.__context__)
    for module, name in names:
        if name == "APITimeoutError" or (module.startswith("httpx") and name in _HTTPX_TIMEOUTS):
            return result(True, "timeout")
    if isinstance(err, (TimeoutError, socket.timeout)):
        return result(True, "timeout")
    if is_connection or any(m.startswith("httpx") and n in _HTTPX_CONNECTION for m, n in names) or isinstance(err, ConnectionError):
        return result(True, "connection-error")
    return result(False, "unknown-error")  # most likely a bug or a bad argument in the calling code


def backoff_delay(attempt: int, base_delay: float = 1.0, max_delay: float = 60.0, random: Callable[[], float] = _random.random) -> float:
    """Full-jitter backoff after failed ``attempt`` (1-based): a random wait in [0, min(max_delay, base_delay * 2 ** (attempt - 1))]."""
    cap = max(0.0, min(max_delay, base_delay * 2 ** max(0, attempt - 1)))
    return min(1.0, max(0.0, random())) * cap


def _notify(hook: Optional[Callable[[Any], Any]], event: Any) -> None:
    """Calls a hook; an exception in a logging hook must not change what the call returns."""
    if hook is not None:
        try:
            hook(event)
        except Exception:  # noqa: BLE001
            pass


class _Policy:
    """The decisions shared by the sync and async loops: before an attempt, ask the shared gates (a throttle, a
    circuit breaker: they answer None to send, a wait in seconds, or (reason, error) to give up); after a failed
    one, wait how long, or give up."""

    def __init__(self, max_attempts=6, base_delay=1.0, max_delay=60.0, max_elapsed=120.0, on_retry=None,
                 on_give_up=None, should_retry=None, clock=None, random=None, throttle=None, circuit_breaker=None):
        self.max_attempts = max(1, int(max_attempts))
        self.base_delay, self.max_delay, self.max_elapsed = base_delay, max_delay, max_elapsed
        self.on_retry, self.on_give_up, self.should_retry = on_retry, on_give_up, should_retry
        self.clock, self.random = clock or time.monotonic, random or _random.random
        self.gates = [g for g in (circuit_breaker, throttle) if g is not None]
        self.last_error, self.last_classification = None, None  # of the previous attempt, for a gate's give-up
        self.started = self.clock()

    def gate_wait(self, attempt: int) -> Optional[float]:
        """None to send now, else how long to wait before asking again; raises when a gate gives up."""
        for i, gate in enumerate(self.gates):
            verdict = gate.admit(attempt=attempt, budget_left=self.max_elapsed - (self.clock() - self.started), last_error=self.last_error,
                                 random=self.random, backoff=lambda: backoff_delay(max(1, attempt - 1), self.base_delay, self.max_delay, self.random))
            if verdict is None:
                continue
            self.settle("unsent", self.gates[:i])  # the gates before it let the attempt through, but nothing is sent
            if isinstance(verdict, tuple):
                _notify(self.on_give_up, GiveUpEvent(verdict[0], attempt - 1, verdict[1], self.clock() - self.started, self.last_classification))
                raise verdict[1]
            return verdict
        return None

    def settle(self, outcome: str, gates=None) -> None:
        for gate in self.gates if gates is None else gates:
            gate.settle(outcome)

    def after_failure(self, attempt: int, error: Exception) -> float:
        """The wait before the next attempt; re-raises ``error`` unchanged when it is time to give up."""
        classification = classify_error(error)
        retry = self.should_retry(error, classification) if self.should_retry else classification.retryable
        self.settle("failed" if retry else "accepted")
        self.last_error, self.last_classification = error, classification
        elapsed = self.clock() - self.started
        if not retry:
            self._give_up("final-error", attempt, error, elapsed, classification)
        if attempt >= self.max_attempts:
            self._give_up("attempts-exhausted", attempt, error, elapsed, classification)
        from_server = classification.retry_after is not None
        delay = classification.retry_after if from_server else backoff_delay(attempt, self.base_delay, self.max_delay, self.random)
        # Sleeping past the budget only to give up afterwards wastes the caller's time: give up now.
        if elapsed + delay > self.max_elapsed:
            self._give_up("budget-exceeded", attempt, error, elapsed, classification)
        _notify(self.on_retry, RetryEvent(attempt, delay, "retry-after" if from_server else "backoff", classification.status,
                                          error, classification.error_type, classification.request_id, elapsed, classification))
        return delay

    def _give_up(self, reason: str, attempt: int, error: Exception, elapsed: float, classification: ErrorClassification):
        _notify(self.on_give_up, GiveUpEvent(reason, attempt, error, elapsed, classification))
        raise error


def with_retry(fn: Callable[[], T], *, sleep: Optional[Callable[[float], Any]] = None, **options: Any) -> T:
    """Calls ``fn()`` until it succeeds or retrying stops making sense; returns its value or re-raises the last error."""
    policy = _Policy(**options)
    wait, attempt = sleep or time.sleep, 1
    while True:
        gate_delay = policy.gate_wait(attempt)
        if gate_delay is not None:
            wait(gate_delay)
            continue
        try:
            value = fn()
        except Exception as error:  # BaseException (KeyboardInterrupt, SystemExit) is never retried
            delay = policy.after_failure(attempt, error)
        except BaseException:
            policy.settle("unsent")
            raise
        else:
            policy.settle("accepted")
            return value
        wait(delay)
        attempt += 1


async def async_with_retry(fn: Callable[[], Awaitable[T]], *, sleep: Optional[Callable[[float], Awaitable[Any]]] = None, **options: Any) -> T:
    """``with_retry`` for coroutines: ``fn()`` returns an awaitable. Cancelling the task ends a wait at once."""
    policy = _Policy(**options)
    wait, attempt = sleep or asyncio.sleep, 1
    while True:
        gate_delay = policy.gate_wait(attempt)
        if gate_delay is not None:
            await wait(gate_delay)
            continue
        try:
            value = await fn()
        except Exception as error:  # asyncio.CancelledError is a BaseException: cancellation is never retried
            delay = policy.after_failure(attempt, error)
        except BaseException:
            policy.settle("unsent")
            raise
        else:
            policy.settle("accepted")
            return value
        await wait(delay)
        attempt += 1


_END = object()


def _quietly(close: Optional[Callable[[], Any]]) -> Any:
    try:
        return close() if close is not None else None
    except Exception:  # noqa: BLE001 - a stream that is already closed may refuse
        return None


def with_stream_retry(open_stream: Callable[[], Any], **options: Any) -> Iterator[Any]:
    """Yields the events of a stream, retrying only until its first event has arrived, never after.

    ``open_stream()`` returns ``client.messages.stream(...)`` or ``client.messages.create(..., stream=True)``. An
    error before the first event is retried by the rules and options of ``with_retry``; after it, errors reach
    your loop unchanged. Leaving the loop early closes the stream.
    """
    def first_event():
        source = open_stream()
        if hasattr(source, "__iter__"):
            stream, close = source, getattr(source, "close", None)
        else:  # a MessageStreamManager: entering it sends the request
            stream, close = source.__enter__(), lambda: source.__exit__(None, None, None)
        iterator = iter(stream)
        try:
            return iterator, close, next(iterator, _END)
        except BaseException:
            _quietly(close)  # release the failed attempt's connection
            raise

    iterator, close, head = with_retry(first_event, **options)
    try:
        if head is _END:
            return
        yield head
        for event in iterator:
            yield event
    finally:
        _quietly(close)


async def async_with_stream_retry(open_stream: Callable[[], Any], **options: Any) -> AsyncIterator[Any]:
    """``with_stream_retry`` for ``AsyncAnthropic``: ``open_stream()`` returns an ``AsyncMessageStreamManager``,
    or the coroutine of ``messages.create(..., stream=True)``."""
    async def first_event():
        source = open_stream()
        if inspect.isawaitable(source):
            source = await source
        if hasattr(source, "__aiter__"):
            stream, close = source, getattr(source, "close", None)
        else:  # an AsyncMessageStreamManager: entering it sends the request
            stream, close = await source.__aenter__(), lambda: source.__aexit__(None, None, None)
        iterator = stream.__aiter__()
        try:
            head = await iterator.__anext__()
        except StopAsyncIteration:
            head = _END
        except BaseException:
            await _aquietly(close)  # release the failed attempt's connection
            raise
        return iterator, close, head

    iterator, close, head = await async_with_retry(first_event, **options)
    try:
        if head is _END:
            return
        yield head
        async for event in iterator:
            yield event
    finally:
        await _aquietly(close)


async def _aquietly(close: Optional[Callable[[], Any]]) -> None:
    try:
        result = close() if close is not None else None
        if inspect.isawaitable(result):
            await result
    except Exception:  # noqa: BLE001 - a stream that is already closed may refuse
        pass
