"""Unit tests of claude_retry with a fake clock: parse_retry_after, classify_error (on errors built with the
`anthropic` SDK's own classes, and on other shapes), backoff, the sync and async loops, streams.

    python test_claude_retry.py HELPER_DIR

Prints {"run": N, "failures": N, "errors": N} as its last line and exits 1 unless every test passed.
"""
import asyncio
import json
import socket
import sys
import time
import unittest

sys.path.insert(0, sys.argv[1])
import anthropic  # noqa: E402
import httpx2  # noqa: E402  (the HTTP client anthropic 1.x ships; its Response builds real SDK errors)
import claude_retry as cr  # noqa: E402
from fake_clock import FakeClock  # noqa: E402

NOW = 1767268800.0  # 2026-01-01 12:00:00 UTC
REQUEST = httpx2.Request("POST", "https://api.anthropic.com/v1/messages")
CLIENT = anthropic.Anthropic(api_key="test")


def sdk_error(status, headers=None, body=None):
    """An error exactly as the SDK builds it from an HTTP response."""
    body = body if body is not None else {"type": "error", "error": {"type": "overloaded_error" if status == 529 else "api_error", "message": "x"}}
    response = httpx2.Response(status, headers=headers or {}, request=REQUEST, json=body)
    return CLIENT._make_status_error(json.dumps(body), body=body, response=response)


def stream_error(kind):
    """An `event: error` inside a stream, as the SDK raises it: with the stream's 200 response."""
    body = {"type": "error", "error": {"type": kind, "message": kind}}
    return CLIENT._make_status_error(str(body), body=body, response=httpx2.Response(200, request=REQUEST))


def scripted(steps):
    """A function that returns or raises the next step at each call; counts the calls."""
    calls = []

    def fn():
        calls.append(1)
        step = steps[min(len(calls), len(steps)) - 1]
        if isinstance(step, BaseException):
            raise step
        return step
    return fn, calls


def run(steps, **options):
    clock = FakeClock()
    fn, calls = scripted(steps)
    retries, give_ups = [], []
    kw = dict(clock=clock.clock, sleep=clock.sleep, random=lambda: 0.5, on_retry=retries.append, on_give_up=give_ups.append)
    kw.update(options)
    try:
        return cr.with_retry(fn, **kw), None, len(calls), clock.sleeps, retries, give_ups
    except Exception as e:  # noqa: BLE001
        return None, e, len(calls), clock.sleeps, retries, give_ups


class ParseRetryAfter(unittest.TestCase):
    def test_forms(self):
        self.assertEqual(cr.parse_retry_after({"retry-after-ms": "250"}), 0.25)
        self.assertEqual(cr.parse_retry_after({"Retry-After-Ms": "250", "retry-after": "9"}), 0.25)
        self.assertEqual(cr.parse_retry_after({"Retry-After": "2"}), 2.0)
        self.assertEqual(cr.parse_retry_after([("retry-after", "0.5")]), 0.5)
        self.assertEqual(cr.parse_retry_after(httpx2.Headers({"RETRY-AFTER": "3"})), 3.0)
        self.assertEqual(cr.parse_retry_after({"retry-after": "Thu, 01 Jan 2026 12:00:05 GMT"}, now=NOW), 5.0)

    def test_no_cap(self):
        self.assertEqual(cr.parse_retry_after({"retry-after": "600"}), 600.0)

    def test_useless_values(self):
        for value in ("0", "-1", "soon", "", "Thu, 01 Jan 2026 11:59:00 GMT"):
            self.assertIsNone(cr.parse_retry_after({"retry-after": value}, now=NOW), value)
        self.assertIsNone(cr.parse_retry_after({"retry-after-ms": "0"}))
        self.assertIsNone(cr.parse_retry_after(None))
        self.assertIsNone(cr.parse_retry_after({}))


class ClassifyError(unittest.TestCase):
    def check(self, err, retryable, reason):
        c = cr.classify_error(err)
        self.assertEqual((c.retryable, c.reason), (retryable, reason), repr(err))
        return c

    def test_status_classes(self):
        for status in (400, 401, 403, 404, 413, 422):
            self.check(sdk_error(status), False, "http-status")
        for status in (408, 409, 429, 500, 503, 504, 529):
            self.check(sdk_error(status), True, "http-status")

    def test_529_is_overloaded_not_internal_server_error(self):
        err = sdk_error(529)
        self.assertIsInstance(err, anthropic.OverloadedError)
        self.assertNotIsInstance(err, anthropic.InternalServerError)
        c = self.check(err, True, "http-status")
        self.assertEqual((c.status, c.error_type), (529, "overloaded_error"))

    def test_fields_from_a_real_sdk_error(self):
        c = cr.classify_error(sdk_error(429, {"retry-after": "7", "request-id": "req_9"}))
        self.assertEqual((c.status, c.request_id, c.retry_after, c.error_type), (429, "req_9", 7.0, "api_error"))

    def test_should_retry_header(self):
        self.check(sdk_error(503, {"x-should-retry": "false"}), False, "should-retry-header")
        self.check(sdk_error(400, {"x-should-retry": "true"}), True, "should-retry-header")

    def test_spend_limit(self):
        body = {"type": "error", "error": {"type": "rate_limit_error", "message": "limit", "details": {"error_code": "enforced_spend_limit_reached"}}}
        c = self.check(sdk_error(429, body=body), False, "spend-limit")
        self.assertEqual(c.error_code, "enforced_spend_limit_reached")
        self.check(sdk_error(429, body={"type": "error", "error": {"type": "enforced_spend_limit_reached", "message": "x"}}), False, "spend-limit")
        self.check(sdk_error(429, body={"type": "error", "error": {"type": "rate_limit_error", "message": "Your spend limit was reached"}}), False, "spend-limit")
        self.check(sdk_error(429), True, "http-status")

    def test_stream_errors(self):
        c = self.check(stream_error("overloaded_error"), True, "stream-error-type")
        self.assertIsNone(c.status)
        self.check(stream_error("api_error"), True, "stream-error-type")
        self.check(stream_error("invalid_request_error"), False, "stream-error-type")

    def test_connection_and_timeout(self):
        self.check(anthropic.APIConnectionError(request=REQUEST), True, "connection-error")
        self.check(anthropic.APITimeoutError(request=REQUEST), True, "timeout")
        self.check(ConnectionResetError(104, "reset"), True, "connection-error")
        self.check(TimeoutError(), True, "timeout")
        self.check(httpx2.ConnectError("refused"), True, "connection-error")
        self.check(httpx2.ReadTimeout("slow"), True, "timeout")

    def test_host_not_found_is_final(self):
        err = anthropic.APIConnectionError(request=REQUEST)
        err.__cause__ = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        self.check(err, False, "host-not-found")
        again = anthropic.APIConnectionError(request=REQUEST)
        again.__cause__ = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        self.check(again, True, "connection-error")

    def test_bugs_are_final(self):
        for err in (TypeError("'NoneType' object is not callable"), KeyError("content"), ValueError("x"), AttributeError("craete")):
            self.check(err, False, "unknown-error")

    def test_other_shapes(self):
        class Resp:
            status_code = 503
            headers = {"Retry-After": "4"}

        class RequestsStyle(Exception):
            response = Resp()
        c = self.check(RequestsStyle(), True, "http-status")
        self.assertEqual(c.retry_after, 4.0)


class Backoff(unittest.TestCase):
    def test_full_jitter(self):
        self.assertEqual(cr.backoff_delay(1, random=lambda: 0), 0)
        self.assertEqual(cr.backoff_delay(1, random=lambda: 1), 1.0)
        self.assertEqual(cr.backoff_delay(3, random=lambda: 0.5), 2.0)
        self.assertEqual(cr.backoff_delay(30, random=lambda: 1), 60.0)
        self.assertEqual(cr.backoff_delay(4, base_delay=0.5, max_delay=2, random=lambda: 1), 2.0)


class WithRetry(unittest.TestCase):
    def test_retries_then_returns(self):
        value, err, calls, sleeps, retries, _ = run([sdk_error(529), sdk_error(529), "ok"])
        self.assertEqual((value, err, calls), ("ok", None, 3))
        self.assertEqual(sleeps, [0.5, 1.0])
        self.assertEqual([(e.attempt, e.delay, e.reason, e.status) for e in retries], [(1, 0.5, "backoff", 529), (2, 1.0, "backoff", 529)])

    def test_final_error_reraised_unchanged(self):
        bad = sdk_error(400)
        _, err, calls, sleeps, _, give_ups = run([bad, "ok"])
        self.assertIs(err, bad)
        self.assertEqual((calls, sleeps), (1, []))
        self.assertEqual([(g.reason, g.attempts) for g in give_ups], [("final-error", 1)])

    def test_a_bug_is_never_retried(self):
        bug = TypeError("x is not a function")
        _, err, calls, _, _, _ = run([bug, "ok"])
        self.assertIs(err, bug)
        self.assertEqual(calls, 1)

    def test_attempts_exhausted(self):
        last = sdk_error(500)
        _, err, calls, _, _, give_ups = run([sdk_error(500), sdk_error(500), last], max_attempts=3)
        self.assertIs(err, last)
        self.assertEqual(calls, 3)
        self.assertEqual(give_ups[0].reason, "attempts-exhausted")

    def test_default_attempts(self):
        self.assertEqual(run([sdk_error(529)])[2], 6)

    def test_retry_after_honoured_within_budget(self):
        value, _, _, sleeps, retries, _ = run([sdk_error(429, {"retry-after": "90"}), "ok"])
        self.assertEqual((value, sleeps, retries[0].reason), ("ok", [90.0], "retry-after"))
        _, err, calls, sleeps, _, give_ups = run([sdk_error(429, {"retry-after": "500"}), "ok"])
        self.assertEqual((calls, sleeps, give_ups[0].reason), (1, [], "budget-exceeded"))
        self.assertIsInstance(err, anthropic.RateLimitError)

    def test_should_retry_overrides(self):
        self.assertEqual(run([sdk_error(400), "ok"], should_retry=lambda e, c: True)[0], "ok")
        self.assertEqual(run([sdk_error(529), "ok"], should_retry=lambda e, c: False)[2], 1)

    def test_throwing_hook_changes_nothing(self):
        def boom(_):
            raise RuntimeError("hook")
        self.assertEqual(run([sdk_error(529), "ok"], on_retry=boom, on_give_up=boom)[0], "ok")

    def test_keyboard_interrupt_is_not_caught(self):
        fn, calls = scripted([KeyboardInterrupt(), "ok"])
        with self.assertRaises(KeyboardInterrupt):
            cr.with_retry(fn, sleep=lambda s: None)
        self.assertEqual(len(calls), 1)


class AsyncWithRetry(unittest.TestCase):
    def test_retries_coroutines(self):
        fn, calls = scripted([sdk_error(529), "ok"])
        waits = []

        async def sleep(seconds):
            waits.append(seconds)

        async def call():
            return fn()
        self.assertEqual(asyncio.run(cr.async_with_retry(call, sleep=sleep, random=lambda: 0.5)), "ok")
        self.assertEqual((len(calls), waits), (2, [0.5]))

    def test_cancelling_the_task_ends_a_wait_at_once(self):
        async def main():
            async def call():
                raise sdk_error(429, {"retry-after": "60"})
            task = asyncio.ensure_future(cr.async_with_retry(call))
            await asyncio.sleep(0.05)
            started = time.monotonic()
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task
            return time.monotonic() - started
        self.assertLess(asyncio.run(main()), 1.0)


class Streams(unittest.TestCase):
    class Source:
        """A scripted stream: yields events, then raises `fail_after` if given; records whether it was closed."""
        def __init__(self, events, fail_after=None):
            self.events, self.fail_after, self.closed = events, fail_after, False

        def __iter__(self):
            for e in self.events:
                yield e
            if self.fail_after is not None:
                raise self.fail_after

        def close(self):
            self.closed = True

    def test_retried_before_the_first_event_only(self):
        sources = [self.Source([], sdk_error(529)), self.Source(["a", "b"])]
        opened = []

        def open_stream():
            opened.append(sources[len(opened)])
            return opened[-1]
        got = list(cr.with_stream_retry(open_stream, sleep=lambda s: None))
        self.assertEqual((got, len(opened), sources[0].closed), (["a", "b"], 2, True))

    def test_error_after_first_event_reaches_the_loop(self):
        mid = stream_error("overloaded_error")
        opened, got = [], []

        def open_stream():
            opened.append(self.Source(["a"], mid))
            return opened[-1]
        with self.assertRaises(anthropic.APIStatusError) as ctx:
            for e in cr.with_stream_retry(open_stream, sleep=lambda s: None):
                got.append(e)
        self.assertIs(ctx.exception, mid)
        self.assertEqual((got, len(opened)), (["a"], 1))

    def test_context_manager_is_entered_and_exited(self):
        class Manager:
            def __init__(self):
                self.exited = False

            def __enter__(self):
                return iter(["x", "y", "z"])

            def __exit__(self, *a):
                self.exited = True
        manager = Manager()
        stream = cr.with_stream_retry(lambda: manager)
        self.assertEqual(next(stream), "x")
        stream.close()  # leaving the loop early
        self.assertTrue(manager.exited)

    def test_nothing_opened_until_iteration(self):
        opened = []
        stream = cr.with_stream_retry(lambda: opened.append(1) or iter(["a"]))
        self.assertEqual(opened, [])
        self.assertEqual(list(stream), ["a"])


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    print(json.dumps({"run": result.testsRun, "failures": len(result.failures), "errors": len(result.errors)}))
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
