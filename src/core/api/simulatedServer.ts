// A simulated Claude Messages API: a real HTTP server on 127.0.0.1 that answers `POST /v1/messages` the way
// the real API does (JSON bodies and SSE streams, error bodies, request-id and rate-limit headers) and injects
// faults on demand: rate limits, overload bursts and storms, server errors, errors in the middle of a stream,
// spend limits, reset connections and slow answers. Used by the tests, the benchmarks, the playground's
// built-in endpoint and the `simulate` command.
//
// Scenario selection: per server (`options.scenario`, `setScenario`) or per request with the headers
// `x-simulate-scenario: NAME` and `x-simulate-options: {json}`; a per-request choice overrides the server's.
// Fault counters ("fail the first N requests") are kept per server and per scenario key (the scenario name,
// its options, and the optional `key` option), so a client's retries see the scripted sequence. `reset()` and
// `setScenario()` clear them. With `faultsPerCall` the key also holds the method, path and body hash, and a
// success clears it: every logical call (the same request sent again) fails its first N attempts.
// With `forward`, the answers the scenario lets through come from another server (the fault lab's proxy).
//
// The parts live in ./simulated/: scenarios (the table and its checks), types, messagesBody (the body check
// and the reply text), headers (ids, retry-after, rate-limit headers), errorReplies, streaming (JSON and SSE
// answers), counters (per-call and per-scenario fault counters) and server (the request handler).

export * from './simulated/scenarios';
export * from './simulated/types';
export { simulatedReplyWords } from './simulated/messagesBody';
export { startSimulatedServer } from './simulated/server';
