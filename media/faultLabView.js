// The fault simulator's live view (runs in the webview; DOM only). Draws the timeline the host posts:
// one row per logical call, each attempt a bar placed to scale, the wait before a retry as a thin line, and
// the retry-after an answer asked for as a band after it (a retry that starts inside the band came early).
// Text is set with textContent only; icons are codicons. Sends the host nothing but { type: 'ready' } and
// whether the codicon font loaded, { type: 'fontStatus', codicons: 'loaded' | 'failed' }.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function icon(name) {
    const e = el('span', 'codicon codicon-' + name);
    e.setAttribute('aria-hidden', 'true');
    return e;
  }

  function statusClass(a) {
    if (a.outcome === 'ok') return 'ok';
    if (a.outcome === 'stream-error') return 'stream-error';
    if (a.status === 0) return 'reset';
    if (a.status === 429 || a.status >= 500) return 'transient';
    return 'final';
  }

  function statusIcon(a) {
    const c = statusClass(a);
    return c === 'ok' ? 'pass' : c === 'transient' || c === 'reset' ? 'warning' : 'error';
  }

  function statusText(a) {
    if (a.status === 0) return 'reset';
    return a.outcome === 'stream-error' ? '200, error mid-stream' : String(a.status);
  }

  // Where the answer came from, as the report's `faulted` and `forwarded` say: [codicon, short text, long text].
  function sourceOf(a) {
    if (a.forwarded && a.faulted) return ['cloud', 'forwarded, delayed', 'answered by the proxy, delayed by the scenario'];
    if (a.forwarded) return ['cloud', 'forwarded', 'answered by the proxy, not faulted'];
    if (a.faulted) return ['zap', 'faulted', 'the scenario injected a fault into this answer'];
    return ['circle-outline', 'not faulted', 'answered by the simulator without a fault'];
  }

  function sourceTag(a) {
    const s = sourceOf(a);
    const tag = el('span', 'source ' + (a.faulted ? 'faulted' : 'clean'));
    tag.setAttribute('aria-label', 'request #' + a.index + ': ' + s[2]);
    tag.title = s[2];
    tag.appendChild(icon(s[0]));
    tag.appendChild(document.createTextNode(' ' + s[1]));
    return tag;
  }

  function isTimeline(m) {
    return m && typeof m === 'object' && m.type === 'timeline' && m.timeline && Array.isArray(m.timeline.calls) && Array.isArray(m.timeline.verdicts);
  }

  function render(m) {
    const t = m.timeline;
    const count = t.calls.reduce((n, c) => n + c.attempts.length, 0);
    app.replaceChildren();
    app.appendChild(el('h1', '', 'Claude Fault Simulator'));
    app.appendChild(
      el('p', 'state', m.running ? 'Running at ' + m.url + ' · ' + count + ' request(s) · ' + t.calls.length + ' call(s)' : 'Not running. Start it with "Claude: Start Fault Simulator".'),
    );
    const verdicts = el('section', 'verdicts');
    verdicts.appendChild(el('h2', '', t.verdicts.length ? 'Verdicts (' + t.verdicts.length + ')' : 'Verdicts: none so far'));
    const vl = el('ul');
    for (const v of t.verdicts) {
      const li = el('li', 'verdict');
      li.appendChild(icon('warning'));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(el('strong', '', v.kind));
      li.appendChild(el('span', '', ' ' + v.message + ' (requests ' + v.requests.map((i) => '#' + i).join(', ') + ')'));
      vl.appendChild(li);
    }
    verdicts.appendChild(vl);
    app.appendChild(verdicts);

    const span = Math.max(t.span, 1);
    const pct = (ms) => Math.max(0, Math.min(100, (ms / span) * 100)) + '%';
    const calls = el('section', 'calls');
    calls.appendChild(el('h2', '', 'Calls (0 to ' + Math.round(span) + ' ms)'));
    for (const c of t.calls) {
      const row = el('div', 'call');
      row.appendChild(el('div', 'label', c.label + ' · ' + c.attempts.length + ' attempt(s)'));
      const track = el('div', 'track');
      let prev;
      for (const a of c.attempts) {
        if (prev && prev.retryAfterMs !== undefined) {
          const band = el('div', 'asked');
          band.style.left = pct(prev.end);
          band.style.width = pct(prev.retryAfterMs);
          band.title = 'retry-after asked for ' + prev.retryAfterMs + ' ms';
          track.appendChild(band);
        }
        if (prev) {
          const wait = el('div', 'wait');
          wait.style.left = pct(prev.end);
          wait.style.width = pct(a.start - prev.end);
          wait.title = 'waited ' + a.waitBefore + ' ms';
          track.appendChild(wait);
        }
        const bar = el('div', 'attempt ' + statusClass(a));
        bar.style.left = pct(a.start);
        bar.style.width = 'max(3px, ' + pct(a.end - a.start) + ')';
        bar.title = '#' + a.index + ' ' + statusText(a) + (a.streamed ? ' (stream)' : '') + (a.retryAfterMs !== undefined ? ', retry-after ' + a.retryAfterMs + ' ms' : '') + ', ' + sourceOf(a)[1];
        track.appendChild(bar);
        prev = a;
      }
      row.appendChild(track);
      const steps = el('div', 'steps');
      for (const a of c.attempts) {
        if (a.waitBefore !== undefined) {
          steps.appendChild(icon('arrow-right'));
          steps.appendChild(document.createTextNode(' wait ' + a.waitBefore + ' ms '));
          steps.appendChild(icon('arrow-right'));
          steps.appendChild(document.createTextNode(' '));
        }
        steps.appendChild(icon(statusIcon(a)));
        let s = ' #' + a.index + ' ' + statusText(a);
        if (a.retryAfterMs !== undefined) s += ' (retry-after ' + a.retryAfterMs + ' ms)';
        steps.appendChild(document.createTextNode(s + ' '));
        steps.appendChild(sourceTag(a));
        steps.appendChild(document.createTextNode(' '));
      }
      row.appendChild(steps);
      calls.appendChild(row);
    }
    app.appendChild(calls);
  }

  window.addEventListener('message', (event) => {
    if (isTimeline(event.data)) render(event.data);
  });
  vscode.postMessage({ type: 'ready' });
  // the stylesheet declares the codicon face; the font file itself needs the CSP's font-src
  document.fonts
    .load('16px codicon')
    .then(
      (faces) => (faces.length > 0 && faces.every((f) => f.status === 'loaded') ? 'loaded' : 'failed'),
      () => 'failed',
    )
    .then((codicons) => vscode.postMessage({ type: 'fontStatus', codicons }));
})();
