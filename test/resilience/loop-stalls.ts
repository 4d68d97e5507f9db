import { performance } from 'node:perf_hooks';

/**
 * How long this process's event loop was held, over any stretch of a run. A timer ticks every `tickMs`; a tick
 * that comes late says the loop was busy (our own work, or the machine giving the process no core) for the
 * difference. A timing check can then allow an answer the time the loop could not run it, and nothing more: on a
 * loaded machine that is honest, and a real delay of our own (a second full timeout, a timer armed late) still
 * shows, because it passes with the loop idle.
 */
export interface LoopStalls {
  /** Milliseconds the loop was held between `from` and `to` (performance.now() times). */
  heldMs(from: number, to: number): number;
  /** The longest single hold seen so far. */
  maxHoldMs(): number;
  /**
   * CPU this process used during its longest hold: near the hold's length, the loop was busy with work of ours;
   * near zero, the machine gave the process no core.
   */
  maxHoldCpuMs(): number;
  stop(): void;
}

export function watchLoopStalls(tickMs = 5): LoopStalls {
  const ticks: number[] = [performance.now()];
  const cpu: number[] = [cpuMs()];
  const timer = setInterval(() => {
    ticks.push(performance.now());
    cpu.push(cpuMs());
  }, tickMs);
  const longest = () => {
    let at = 0;
    for (let i = 1; i < ticks.length; i++) if (ticks[i]! - ticks[i - 1]! > ticks[at + 1]! - ticks[at]!) at = i - 1;
    return at;
  };
  return {
    heldMs(from, to) {
      let held = 0;
      // The stretch still open after the last tick counts too: the loop may be held right now.
      const until = [...ticks, performance.now()];
      for (let i = 1; i < until.length; i++) {
        const [a, b] = [until[i - 1]!, until[i]!];
        if (b <= from || a >= to) continue;
        const excess = b - a - tickMs;
        if (excess <= 0) continue;
        held += (excess * (Math.min(b, to) - Math.max(a, from))) / (b - a);
      }
      return held;
    },
    maxHoldMs() {
      if (ticks.length < 2) return 0;
      const at = longest();
      return Math.max(0, ticks[at + 1]! - ticks[at]! - tickMs);
    },
    maxHoldCpuMs() {
      if (ticks.length < 2) return 0;
      const at = longest();
      return cpu[at + 1]! - cpu[at]!;
    },
    stop: () => clearInterval(timer),
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
