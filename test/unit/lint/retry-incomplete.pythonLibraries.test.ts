// retry-incomplete for the Python retry libraries: what tenacity's `retry=`, backoff's exception list and
// stamina's `on=` leave out, read class by class (OverloadedError is 529 and no InternalServerError from
// anthropic 0.47 on; APIStatusError holds every status but no connection error; APIError and Exception hold all).
import { BACKOFF, STAMINA, TENACITY, pyDecorated, pyLoop } from './pythonRetryLibs';
import { ruleTester } from './ruleTester';

const ALL4 = '(anthropic.RateLimitError, anthropic.InternalServerError, anthropic.OverloadedError, anthropic.APIConnectionError)';
const py = (row: { language: 'python'; code: string; name: string }, sdkVersion = '1.13.0') => ({ ...row, sdkVersion });

ruleTester.run('retry-incomplete', {
  valid: [
    py(pyDecorated(TENACITY, `@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=30), retry=retry_if_exception_type(${ALL4}))`)),
    py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=30), retry=retry_if_exception_type(anthropic.APIError))')),
    py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=30), retry=retry_if_exception_type(Exception))')),
    // no retry= at all: tenacity retries every exception
    py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=30))')),
    // `|` of conditions: together they cover everything
    py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception_type(anthropic.APIConnectionError) | retry_if_exception_type(anthropic.APIStatusError))')),
    // a predicate that lets connection errors and every 429/5xx through
    py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception(lambda e: isinstance(e, anthropic.APIConnectionError) or getattr(e, "status_code", 0) == 429 or getattr(e, "status_code", 0) >= 500))')),
    // a class that is not the SDK's, or a predicate it cannot follow: trusted
    py(pyDecorated(TENACITY, 'class TransientError(Exception):\n    pass\n\n\n@retry(stop=stop_after_attempt(5), retry=retry_if_exception_type(TransientError))')),
    py(pyDecorated(TENACITY, 'def is_transient(e):\n    return e.should_retry()\n\n\n@retry(stop=stop_after_attempt(5), retry=retry_if_exception(is_transient))')),
    py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception_type(some_module.TRANSIENT))')),
    py(pyDecorated(BACKOFF, `@backoff.on_exception(backoff.expo, ${ALL4}, max_tries=5)`)),
    py(pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.APIError, max_tries=5)')),
    py(pyDecorated(STAMINA, `@stamina.retry(on=${ALL4}, attempts=5)`)),
    py(pyDecorated(STAMINA, '@stamina.retry(on=Exception, attempts=5)')),
    // the SDK's own retries are on: nothing is missed
    py(pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.RateLimitError, max_tries=5)', 'import anthropic\n\nclient = anthropic.Anthropic()\n')),
    // InternalServerError still held 529 before anthropic 0.47
    py(pyDecorated(STAMINA, '@stamina.retry(on=(anthropic.RateLimitError, anthropic.InternalServerError, anthropic.APIConnectionError), attempts=5)'), '0.46.0'),
  ],
  invalid: [
    {
      ...py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(max=30), retry=retry_if_exception_type((anthropic.RateLimitError, anthropic.InternalServerError, anthropic.APIConnectionError)))')),
      name: 'tenacity: InternalServerError meant to cover overloads, on anthropic 1.13',
      errors: [{ messageId: 'incomplete', text: 'retry', message: 'never retries 529 (overloaded_error; in anthropic 0.47 and later it raises OverloadedError, which is not an InternalServerError). ' }],
    },
    {
      ...py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception_type(anthropic.RateLimitError))')),
      name: 'tenacity: rate limits only',
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error), 500 (api_error), connection errors or timeouts. ' }],
    },
    {
      ...py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception_type(anthropic.APIStatusError) | retry_if_exception_type(anthropic.APITimeoutError))')),
      name: 'tenacity: `|` of conditions, connection errors left out (APITimeoutError is only the timeouts)',
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors. ' }],
    },
    {
      ...py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_exception(lambda e: isinstance(e, anthropic.APIStatusError) and e.status_code in (429, 500, 502, 503)))')),
      name: 'tenacity: a predicate read statically: 529 and connection errors left out',
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error), connection errors or timeouts. ' }],
    },
    {
      ...py(pyDecorated(TENACITY, '@retry(stop=stop_after_attempt(5), retry=retry_if_not_exception_type((anthropic.RateLimitError, anthropic.BadRequestError)))')),
      name: 'tenacity: every exception but RateLimitError',
      errors: [{ messageId: 'incomplete', message: 'never retries 429 (rate_limit_error). ' }],
    },
    {
      ...py(pyLoop(TENACITY, 'Retrying(stop=stop_after_attempt(5), retry=retry_if_exception_type(anthropic.APIStatusError))')),
      name: 'tenacity: a Retrying loop over status errors only',
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts. ' }],
    },
    {
      ...py(pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, (anthropic.RateLimitError, anthropic.APIConnectionError), max_tries=5)')),
      name: 'backoff: a tuple without the server errors',
      errors: [{ messageId: 'incomplete', text: 'backoff.on_exception', message: 'never retries 529 (overloaded_error) or 500 (api_error). ' }],
    },
    {
      ...py(pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.InternalServerError, max_tries=5)'), '0.47.0'),
      name: 'backoff: one class, InternalServerError, from anthropic 0.47',
      errors: [{ messageId: 'incomplete', message: 'never retries 529 (overloaded_error; in anthropic 0.47 and later it raises OverloadedError, which is not an InternalServerError), 429 (rate_limit_error), connection errors or timeouts. ' }],
    },
    {
      ...py(pyDecorated(BACKOFF, '@backoff.on_exception(backoff.expo, anthropic.APIError, max_tries=5, giveup=lambda e: isinstance(e, anthropic.RateLimitError))')),
      name: 'backoff: giveup on every rate limit',
      errors: [{ messageId: 'incomplete', message: 'never retries 429 (rate_limit_error). ' }],
    },
    {
      ...py(pyDecorated(STAMINA, '@stamina.retry(on=(anthropic.OverloadedError, anthropic.RateLimitError), attempts=5)')),
      name: 'stamina: overloads and rate limits only',
      errors: [{ messageId: 'incomplete', text: 'stamina.retry', message: 'never retries 500 (api_error), connection errors or timeouts. ' }],
    },
    {
      ...py(pyLoop(STAMINA, 'stamina.retry_context(on=anthropic.APIStatusError, attempts=5)')),
      name: 'stamina: retry_context on status errors only',
      errors: [{ messageId: 'incomplete', message: 'never retries connection errors or timeouts. ' }],
    },
  ],
});
