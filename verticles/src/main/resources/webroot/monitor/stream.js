// Reads GET /monitor/stream (server-sent events) with fetch, so the API token can travel in a header rather than in
// the URL. The stream is outbound only: the page never sends anything on it. On any break it reconnects, and the
// server starts it again with a fresh snapshot, so the page cannot miss an update.
import { authHeaders } from './util.js';

const SILENCE_MS = 40_000; // the server writes a keep-alive every 15 s

export function openStream({ onMessage, onStatus }) {
  let controller = null;
  let retryMs = 1000;
  let generation = 0; // a restart makes the older connection's failure handling a no-op

  async function connect() {
    const mine = ++generation;
    controller = new AbortController();
    let watchdog = null;
    const resetWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    onStatus('connecting');
    try {
      const response = await fetch('/monitor/stream', { headers: authHeaders(), signal: controller.signal, cache: 'no-store' });
      if (!response.ok) {
        let reason = `${response.status}`;
        try { reason = (await response.json()).error || reason; } catch (e) { /* not JSON */ }
        if (response.status === 401 || response.status === 403) { onStatus('down', reason); return; } // a new token reconnects
        throw new Error(reason);
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      resetWatchdog();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        resetWatchdog();
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').filter(line => line.startsWith('data:')).map(line => line.slice(5).trimStart()).join('\n');
          if (!data) continue;
          const message = JSON.parse(data);
          if (message.kind === 'error') throw new Error(message.error);
          if (message.kind === 'snapshot') { retryMs = 1000; onStatus('live'); }
          onMessage(message, data.length);
        }
      }
      throw new Error('the node closed the stream');
    } catch (e) {
      if (mine !== generation) return;
      onStatus('down', e.name === 'AbortError' ? 'no news from the node' : e.message);
      setTimeout(connect, retryMs);
      retryMs = Math.min(5000, retryMs * 2);
    } finally {
      clearTimeout(watchdog);
    }
  }

  return {
    /** (Re)connects, dropping the current connection if any: after a new token, for instance. */
    restart() {
      const old = controller;
      retryMs = 1000;
      connect();
      if (old) old.abort();
    },
    stop() {
      generation++;
      if (controller) controller.abort();
      controller = null;
    },
  };
}
