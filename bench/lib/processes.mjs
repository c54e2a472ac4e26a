// Child processes of the bench runners: each in its own process group (so everything it starts goes with it),
// optionally pinned to CPUs with taskset, and every one killed when the runner exits, fails or is interrupted.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set();
const cleanups = [];
let installed = false;

const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
};

/** Kills every child still running and runs the registered cleanups (synchronous: safe in an `exit` handler). */
export const stopAll = () => {
  for (const child of children) killGroup(child, 'SIGKILL');
  children.clear();
  for (const cleanup of cleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // best effort at exit
    }
  }
};

const install = () => {
  if (installed) return;
  installed = true;
  process.on('exit', stopAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping every child process\n`);
      process.exit(code);
    });
  }
  const fail = (error) => {
    process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
};

/** Runs `fn` at exit (after the children are killed): remove temp dirs and the like. */
export const onCleanup = (fn) => {
  install();
  cleanups.push(fn);
};

/** A fresh temp directory, removed at exit (children killed with SIGKILL cannot remove their own). */
export const tempDir = (prefix = 'bench-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

const hasTaskset = () => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Which CPUs the server and the load generators get: the server core 0, everything else the other cores; null
 * when the machine has one core or no taskset (then nothing is pinned).
 */
export const cpuPlan = () => {
  const count = availableParallelism();
  if (count < 2 || !hasTaskset()) return null;
  return { server: '0', clients: count === 2 ? '1' : `1-${count - 1}` };
};

/** Pins this process (all its threads) to `cpus`. */
export const pinSelf = (cpus) => {
  if (cpus) execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
};

/**
 * Starts `node [execArgv] script [args]` with an IPC channel, in its own process group, under `taskset -c cpus`
 * when given (taskset execs node: the pid and the IPC channel are node's).
 */
export const startNode = (script, args = [], { cpus = null, execArgv = [], env = process.env, stdio = ['ignore', 'inherit', 'inherit', 'ipc'] } = {}) => {
  install();
  const nodeArgs = [...execArgv, script, ...args];
  const child = cpus
    ? spawn('taskset', ['-c', cpus, process.execPath, ...nodeArgs], { stdio, env, detached: true })
    : spawn(process.execPath, nodeArgs, { stdio, env, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
};

/** Stops one child (its whole group) and waits for it to exit, at most `timeoutMs`, then kills it outright. */
export const stop = (child, signal = 'SIGKILL', timeoutMs = 10_000) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      children.delete(child);
      resolve();
    });
    killGroup(child, signal);
  });

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
