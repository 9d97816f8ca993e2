"""Runs calls through claude_retry and the real `anthropic` client (max_retries=0) against Messages API servers,
and prints what happened as one JSON list on stdout (one process for many calls: importing anthropic is slow).

    python run_sdk_call.py HELPER_DIR CALLS_JSON

CALLS_JSON: a list of {"mode", "base_url", "options"}. mode: create, async-create, stream (messages.stream),
stream-create (create(stream=True)), async-stream, async-stream-create. options: keyword options for the helper
(max_attempts, base_delay, max_delay, max_elapsed), plus "real_sleep": false to record the waits without sleeping,
and "breaker": {...} / "throttle": {...} to share a CircuitBreaker / AdaptiveThrottle (claude_retry_throttle).
"""
import asyncio
import json
import sys
import time

sys.path.insert(0, sys.argv[1])
import anthropic  # noqa: E402
import claude_retry  # noqa: E402
import claude_retry_throttle  # noqa: E402

BODY = {"model": "claude-sonnet-5", "max_tokens": 128, "messages": [{"role": "user", "content": "Retry me"}]}


def event_text(event):
    """The text of a content_block_delta event (both stream kinds), else the event type."""
    delta = getattr(event, "delta", None)
    return getattr(delta, "text", None) or event.type


def run_call(mode, base_url, options):
    retries, gave_up, waits, received = [], [], [], []
    options = dict(options)
    real_sleep = options.pop("real_sleep", True)
    if "breaker" in options:
        options["circuit_breaker"] = claude_retry_throttle.CircuitBreaker(**options.pop("breaker"))
    if "throttle" in options:
        options["throttle"] = claude_retry_throttle.AdaptiveThrottle(**options["throttle"])

    def on_retry(e):
        retries.append({"attempt": e.attempt, "delay": e.delay, "reason": e.reason, "status": e.status,
                        "error_type": e.error_type, "request_id": e.request_id, "error_class": type(e.error).__name__,
                        "classification": e.classification.reason})

    def on_give_up(e):
        gave_up.append({"reason": e.reason, "attempts": e.attempts, "error_class": type(e.error).__name__})

    def sync_sleep(seconds):
        waits.append(seconds)
        if real_sleep:
            time.sleep(seconds)

    async def async_sleep(seconds):
        waits.append(seconds)
        if real_sleep:
            await asyncio.sleep(seconds)

    hooks = dict(on_retry=on_retry, on_give_up=on_give_up, **options)

    def run_sync():
        client = anthropic.Anthropic(api_key="test", base_url=base_url, max_retries=0)
        if mode == "create":
            return claude_retry.with_retry(lambda: client.messages.create(**BODY), sleep=sync_sleep, **hooks).content[0].text
        open_stream = (lambda: client.messages.stream(**BODY)) if mode == "stream" else (lambda: client.messages.create(**BODY, stream=True))
        for event in claude_retry.with_stream_retry(open_stream, sleep=sync_sleep, **hooks):
            received.append(event_text(event))
        return None

    async def run_async():
        client = anthropic.AsyncAnthropic(api_key="test", base_url=base_url, max_retries=0)
        if mode == "async-create":
            return (await claude_retry.async_with_retry(lambda: client.messages.create(**BODY), sleep=async_sleep, **hooks)).content[0].text
        open_stream = (lambda: client.messages.stream(**BODY)) if mode == "async-stream" else (lambda: client.messages.create(**BODY, stream=True))
        async for event in claude_retry.async_with_stream_retry(open_stream, sleep=async_sleep, **hooks):
            received.append(event_text(event))
        return None

    out = {"mode": mode}
    started = time.monotonic()
    try:
        out["text"] = asyncio.run(run_async()) if mode.startswith("async") else run_sync()
        out["ok"] = True
    except Exception as error:  # noqa: BLE001 - reported to the test, which asserts on it
        out["ok"] = False
        out["error"] = {"class": type(error).__name__, "status": getattr(error, "status_code", None),
                        "is_overloaded": isinstance(error, anthropic.OverloadedError),
                        "is_connection": isinstance(error, anthropic.APIConnectionError),
                        "type": getattr(error, "type", None), "message": str(error)[:300]}
    out.update(elapsed=time.monotonic() - started, retries=retries, gave_up=gave_up, waits=waits, received=received)
    return out


print(json.dumps([run_call(c["mode"], c["base_url"], c.get("options", {})) for c in json.loads(sys.argv[2])]))
