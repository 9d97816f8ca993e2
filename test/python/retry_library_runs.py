"""Runs Python retry code against a Claude client that always fails, and reports what the retry library really
did: how many requests it sent and how long it waited before each retry.

Reads a JSON list of cases from stdin, each {"code": <module source>, "status": <HTTP status>, "jitter": "max" |
"min"}. The module must define ask(prompt) (sync or async) that calls client.messages.create; its `client` is
replaced by one whose every request fails with the SDK's own exception for that status. Sleeps are recorded on a
fake clock (time.sleep, asyncio.sleep, time.monotonic and backoff's datetime.now follow it), random draws return
the top (or the bottom) of their range, and a retry that is still going after 60 waits is reported unbounded.
Prints a JSON list of {"calls": n, "waits": [seconds...], "unbounded": bool, "error": class name}.
"""

import asyncio
import datetime
import inspect
import json
import os
import random
import sys
import time

import anthropic
import backoff._async
import backoff._sync

try:  # the HTTP package the installed SDK is built on
    import httpx2 as httpx
except ImportError:
    import httpx

os.environ.setdefault("ANTHROPIC_API_KEY", "sk-ant-test-not-a-key")

MAX_WAITS = 60
EPOCH = datetime.datetime(2026, 1, 1)
clock = [0.0]
waits: list = []
calls = [0]


class TooManyWaits(BaseException):
    """Raised from a sleep: the retry would go on."""


def fake_sleep(seconds):
    waits.append(float(seconds))
    clock[0] += float(seconds)
    if len(waits) > MAX_WAITS:
        raise TooManyWaits()


async def fake_async_sleep(seconds, *args, **kwargs):
    fake_sleep(seconds)


class FakeDatetime:
    @staticmethod
    def now(tz=None):
        return EPOCH + datetime.timedelta(seconds=clock[0])


class FakeDatetimeModule:
    datetime = FakeDatetime


time.sleep = fake_sleep
time.monotonic = lambda: clock[0]
asyncio.sleep = fake_async_sleep
backoff._sync.datetime = FakeDatetimeModule
backoff._async.datetime = FakeDatetimeModule

ERROR_FACTORY = anthropic.Anthropic(api_key="sk-ant-test-not-a-key", max_retries=0)


def status_error(status):
    request = httpx.Request("POST", "https://api.anthropic.com/v1/messages")
    response = httpx.Response(status, request=request, json={"type": "error", "error": {"type": "x", "message": "x"}})
    return ERROR_FACTORY._make_status_error("simulated", body=None, response=response)


class FailingMessages:
    def __init__(self, status):
        self.status = status

    def create(self, **kwargs):
        calls[0] += 1
        raise status_error(self.status)


class AsyncFailingMessages(FailingMessages):
    async def create(self, **kwargs):
        return super().create(**kwargs)


class FailingClient:
    def __init__(self, status, is_async):
        self.messages = AsyncFailingMessages(status) if is_async else FailingMessages(status)

    def with_options(self, **kwargs):
        return self


def run(case):
    clock[0] = 0.0
    waits.clear()
    calls[0] = 0
    extreme = max if case.get("jitter", "max") == "max" else min
    random.uniform = lambda a, b: extreme(a, b)
    random.random = lambda: 1.0 if extreme is max else 0.0
    namespace = {"__name__": "case"}
    exec(compile(case["code"], "case.py", "exec"), namespace)
    ask = namespace["ask"]
    namespace["client"] = FailingClient(case["status"], inspect.iscoroutinefunction(ask))
    unbounded = False
    error = None
    try:
        if inspect.iscoroutinefunction(ask):
            asyncio.run(ask("hi"))
        else:
            ask("hi")
    except TooManyWaits:
        unbounded = True
    except Exception as e:  # the last error, or tenacity's RetryError
        error = type(e).__name__
    return {"calls": calls[0], "waits": list(waits), "unbounded": unbounded, "error": error}


if __name__ == "__main__":
    print(json.dumps([run(c) for c in json.load(sys.stdin)]))
