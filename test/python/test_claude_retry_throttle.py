"""Unit tests of claude_retry_throttle (AdaptiveThrottle, CircuitBreaker) with with_retry from claude_retry, on a
fake clock.

    python test_claude_retry_throttle.py HELPER_DIR

Prints {"run": N, "failures": N, "errors": N} as its last line and exits 1 unless every test passed.
"""
import asyncio
import json
import sys
import unittest

sys.path.insert(0, sys.argv[1])
import claude_retry as cr  # noqa: E402
from claude_retry_throttle import AdaptiveThrottle, CircuitBreaker, CircuitOpenError, ThrottledError  # noqa: E402
from fake_clock import FakeClock as _FakeClock  # noqa: E402


def FakeClock():
    """The fake clock, started at 1000 s."""
    return _FakeClock(1000.0)


class Overloaded(Exception):
    """A 529 as an HTTP client reports it."""
    status_code = 529


def run(steps, clock, **options):
    calls, give_ups = [], []

    def fn():
        calls.append(clock.t)
        step = steps[min(len(calls), len(steps)) - 1]
        if isinstance(step, BaseException):
            raise step
        return step
    kw = dict(clock=clock.clock, sleep=clock.sleep, random=lambda: 0.5, on_give_up=give_ups.append)
    kw.update(options)
    try:
        return cr.with_retry(fn, **kw), None, calls, give_ups
    except Exception as e:  # noqa: BLE001
        return None, e, calls, give_ups


class Breaker(unittest.TestCase):
    def test_opens_refuses_past_budget_waits_within_it_and_closes(self):
        clock = FakeClock()
        states = []
        breaker = CircuitBreaker(failure_threshold=3, cooldown=30.0, clock=clock.clock, on_state_change=lambda s, p: states.append(s))
        for _ in range(3):
            self.assertIsInstance(run([Overloaded()], clock, circuit_breaker=breaker, max_attempts=1)[1], Overloaded)
        self.assertEqual(breaker.state, "open")
        # the half-open moment (30 s) lies past a 29.9 s budget: refused at once, nothing sent
        value, err, calls, give_ups = run(["ok"], clock, circuit_breaker=breaker, max_elapsed=29.9)
        self.assertIsInstance(err, CircuitOpenError)
        self.assertEqual((calls, give_ups[0].reason, give_ups[0].attempts), ([], "circuit-open", 0))
        self.assertEqual(cr.classify_error(err).reason, "circuit-open")
        # within the budget: waits to half-open plus half a cool-down (random 0.5), then is the trial
        clock.sleeps.clear()
        value, err, calls, _ = run(["ok"], clock, circuit_breaker=breaker)
        self.assertEqual((value, err, clock.sleeps), ("ok", None, [45.0]))
        self.assertEqual(breaker.state, "closed")
        self.assertEqual(states, ["open", "half-open", "closed"])

    def test_half_open_lets_one_trial_through(self):
        clock = FakeClock()
        breaker = CircuitBreaker(failure_threshold=1, cooldown=10.0, clock=clock.clock)
        breaker.record_failure()
        clock.t += 10
        self.assertEqual((breaker.try_acquire(), breaker.try_acquire()), (True, False))
        breaker.record_failure()
        self.assertEqual(breaker.state, "open")

    def test_final_error_counts_as_the_service_answering(self):
        class BadRequest(Exception):
            status_code = 400
        clock = FakeClock()
        breaker = CircuitBreaker(failure_threshold=2, clock=clock.clock)
        run([Overloaded()], clock, circuit_breaker=breaker, max_attempts=1)
        self.assertEqual(breaker.consecutive_failures, 1)
        run([BadRequest()], clock, circuit_breaker=breaker)
        self.assertEqual((breaker.consecutive_failures, breaker.state), (0, "closed"))


class Throttle(unittest.TestCase):
    def test_probability(self):
        clock = FakeClock()
        r = [0.99]
        throttle = AdaptiveThrottle(clock=clock.clock, random=lambda: r[0])
        self.assertEqual(throttle.rejection_probability, 0)
        for _ in range(4):
            self.assertTrue(throttle.try_acquire())
        throttle.record_accepted()
        self.assertAlmostEqual(throttle.rejection_probability, 0.4)  # (4 - 2 * 1) / 5
        r[0] = 0.39
        self.assertFalse(throttle.try_acquire())
        clock.t += 61  # the window forgets
        self.assertEqual(throttle.rejection_probability, 0)

    def test_refused_attempt_is_not_sent_and_waits_a_backoff(self):
        clock = FakeClock()
        throttle = AdaptiveThrottle(clock=clock.clock, random=lambda: 0)
        throttle.try_acquire()  # a request of another call, unanswered: the next one is refused

        def sleep(seconds):
            clock.sleep(seconds)
            throttle.record_accepted()
        value, err, calls, _ = run(["sent"], clock, throttle=throttle, sleep=sleep)
        self.assertEqual((value, len(calls), clock.sleeps), ("sent", 1, [0.5]))

    def test_gives_up_with_throttled_error_or_the_last_error(self):
        clock = FakeClock()
        busy = AdaptiveThrottle(clock=clock.clock, random=lambda: 0)
        busy.try_acquire()
        value, err, calls, give_ups = run(["x"], clock, throttle=busy, max_elapsed=1.2)
        self.assertIsInstance(err, ThrottledError)
        self.assertEqual((calls, clock.sleeps, give_ups[0].reason), ([], [0.5, 0.5], "throttled"))
        self.assertEqual(cr.classify_error(err).reason, "throttled")
        clock2 = FakeClock()
        throttle = AdaptiveThrottle(clock=clock2.clock, random=lambda: 0)
        last = Overloaded()
        value, err, calls, give_ups = run([last], clock2, throttle=throttle, max_elapsed=3)
        self.assertIs(err, last)
        self.assertEqual((len(calls), give_ups[0].reason), (1, "budget-exceeded"))

    def test_a_throttle_refusal_releases_the_breaker_trial(self):
        clock = FakeClock()
        breaker = CircuitBreaker(failure_threshold=1, cooldown=1.0, clock=clock.clock)
        breaker.record_failure()
        clock.t += 1  # half-open: the next call is the trial
        throttle = AdaptiveThrottle(clock=clock.clock, random=lambda: 0)
        throttle.try_acquire()
        refusals = []

        def sleep(seconds):
            clock.sleep(seconds)
            refusals.append(breaker.try_acquire())  # the trial slot is free again while the call waits
            breaker.release()
            throttle.record_accepted()
        value, _, _, _ = run(["ok"], clock, circuit_breaker=breaker, throttle=throttle, sleep=sleep)
        self.assertEqual((value, refusals[0], breaker.state), ("ok", True, "closed"))

    def test_async_with_a_throttle(self):
        clock = FakeClock()
        throttle = AdaptiveThrottle(clock=clock.clock, random=lambda: 0)
        throttle.try_acquire()
        waits = []

        async def sleep(seconds):
            waits.append(seconds)
            throttle.record_accepted()

        async def call():
            return "sent"
        self.assertEqual(asyncio.run(cr.async_with_retry(call, throttle=throttle, sleep=sleep, random=lambda: 0.5)), "sent")
        self.assertEqual(waits, [0.5])


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    print(json.dumps({"run": result.testsRun, "failures": len(result.failures), "errors": len(result.errors)}))
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
