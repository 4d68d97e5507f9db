/**
 * A latency probe in a process of its own: it sends PING over a bare socket every few milliseconds and records
 * each round trip, so what it sees is Redis being busy, not the benchmark's own event loop. Driven over stdin:
 * `reset` clears the record, `report` prints one JSON line of what was seen since. Prints `ready` once connected.
 *
 *   node --import tsx bench/probe.ts <port> [gapMs]
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const port = Number(process.argv[2]);
const gapMs = Number(process.argv[3] ?? 2);
const socket = connect(port, '127.0.0.1');
socket.setNoDelay(true);

let latencies: number[] = [];
let sentAt = 0;
let pending = '';

function ping(): void {
  sentAt = performance.now();
  socket.write('PING\r\n');
}

socket.on('data', (chunk) => {
  pending += chunk.toString('latin1');
  if (!pending.endsWith('\r\n')) return;
  pending = '';
  latencies.push(performance.now() - sentAt);
  setTimeout(ping, gapMs);
});
socket.once('connect', () => {
  process.stdout.write('ready\n');
  ping();
});
socket.on('error', (err) => {
  process.stderr.write(`probe: ${err.message}\n`);
  process.exit(1);
});

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') {
    latencies = [];
  } else if (line === 'report') {
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    process.stdout.write(`${JSON.stringify({ pings: sorted.length, maxMs: sorted.at(-1) ?? Number.NaN, p99Ms: at(0.99), p50Ms: at(0.5) })}\n`);
  } else if (line === 'quit') {
    socket.destroy();
    process.exit(0);
  }
});
