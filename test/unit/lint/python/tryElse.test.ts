// Python `try: … except: … else: …`: the `else` block runs only when the body raised nothing, and an exception
// raised in it is not caught by the excepts beside it. A call in `else` is therefore not guarded by them (nor
// retried by a loop whose except handles the body), while `finally` still runs after it.
import { ruleTester } from '../ruleTester';

const PY = 'import time\n\nimport anthropic\n\nclient = anthropic.Anthropic()\n';
const OFF = 'import time\n\nimport anthropic\n\nclient = anthropic.Anthropic(max_retries=0)\n';
const REQ = 'model="claude-sonnet-4-6", max_tokens=1024, messages=[{"role": "user", "content": "Hi"}]';

ruleTester.run('stream-error-unhandled', {
  valid: [
    {
      language: 'python',
      name: 'the stream consumed in the try body is handled by its except',
      code: PY + `def tell(prepare):\n    try:\n        prepare()\n        with client.messages.stream(${REQ}) as stream:\n            for text in stream.text_stream:\n                print(text, end="")\n    except anthropic.APIError as e:\n        print(e)\n    else:\n        print("done")\n`,
    },
    {
      language: 'python',
      name: 'a stream in else inside an outer try is handled by the outer except',
      code: PY + `def tell(prepare):\n    try:\n        try:\n            prepare()\n        except ValueError:\n            return\n        else:\n            with client.messages.stream(${REQ}) as stream:\n                for text in stream.text_stream:\n                    print(text, end="")\n    except anthropic.APIError as e:\n        print(e)\n`,
    },
  ],
  invalid: [
    {
      language: 'python',
      name: 'the stream consumed in else is not handled by the except beside it',
      code: PY + `def tell(prepare):\n    try:\n        prepare()\n    except anthropic.APIError as e:\n        print(e)\n    else:\n        with client.messages.stream(${REQ}) as stream:\n            for text in stream.text_stream:\n                print(text, end="")\n`,
      errors: [{ messageId: 'unhandled' }],
    },
    {
      language: 'python',
      name: 'nor with a finally after the else',
      code: PY + `def tell(prepare):\n    try:\n        prepare()\n    except anthropic.APIError as e:\n        print(e)\n    else:\n        with client.messages.stream(${REQ}) as stream:\n            for text in stream.text_stream:\n                print(text, end="")\n    finally:\n        print("end")\n`,
      errors: [{ messageId: 'unhandled' }],
    },
  ],
});

ruleTester.run('unguarded-retry', {
  valid: [
    {
      language: 'python',
      name: 'the call in the try body, else: break (the usual retry loop)',
      code: OFF + `def ask():\n    for attempt in range(5):\n        try:\n            msg = client.messages.create(${REQ})\n        except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.OverloadedError, anthropic.APIConnectionError):\n            time.sleep(2 ** attempt)\n        else:\n            break\n    return msg\n`,
    },
    {
      language: 'python',
      name: 'the call in the try body, else: return, and a finally',
      code: OFF + `def ask():\n    for attempt in range(5):\n        try:\n            msg = client.messages.create(${REQ})\n        except (anthropic.RateLimitError, anthropic.InternalServerError, anthropic.OverloadedError, anthropic.APIConnectionError):\n            time.sleep(2 ** attempt)\n        else:\n            return msg\n        finally:\n            print(attempt)\n`,
    },
  ],
  invalid: [
    {
      language: 'python',
      name: 'a call in else is not retried by the loop whose except handles the body',
      code: OFF + `def ask(prepare):\n    for attempt in range(5):\n        try:\n            prepare()\n        except (anthropic.RateLimitError, anthropic.APIConnectionError):\n            time.sleep(2 ** attempt)\n        else:\n            return client.messages.create(${REQ})\n`,
      errors: [{ messageId: 'unguarded' }],
    },
    {
      language: 'python',
      name: 'nor with a finally',
      code: OFF + `def ask(prepare):\n    for attempt in range(5):\n        try:\n            prepare()\n        except (anthropic.RateLimitError, anthropic.APIConnectionError):\n            time.sleep(2 ** attempt)\n        else:\n            return client.messages.create(${REQ})\n        finally:\n            print(attempt)\n`,
      errors: [{ messageId: 'unguarded' }],
    },
  ],
});
