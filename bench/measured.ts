/** Timing and peak memory of one benchmark step, and the memory of another process. */
import { readFileSync } from 'node:fs';

/**
 * Runs `fn`, returning its result with the seconds it took, the CPU seconds the process
 * spent meanwhile (every thread: gunzip and GC too), and the peak RSS in MB. On a shared
 * machine the CPU seconds are the fairer figure: waiting for a core costs none.
 */
export async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number; peakRssMb: number }> {
  const rss = () => Math.round(process.memoryUsage().rss / 1048576);
  let peak = rss();
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 200);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  try {
    const value = await fn();
    const cpu = process.cpuUsage(cpuStarted);
    return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: Math.max(peak, rss()) };
  } finally {
    clearInterval(sampler);
  }
}

/** The figures of a measured import: counts from its summary, time, rates and peak RSS. */
export function importFigures(run: { value: { summary: { read: number; statements: number; rejected: number } }; seconds: number; peakRssMb: number }) {
  const { read, statements, rejected } = run.value.summary;
  return {
    rows: read,
    statements,
    rejected,
    seconds: Number(run.seconds.toFixed(1)),
    rowsPerSecond: Math.round(read / run.seconds),
    statementsPerSecond: Math.round(statements / run.seconds),
    peakRssMb: run.peakRssMb,
  };
}

/** The resident set of process `pid` now (VmRSS) or at its peak since the last reset (VmHWM), in MB, from /proc (Linux). */
export function processRssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))!;
  return Math.round(Number(/(\d+)/.exec(line)![1]) / 1024);
}
