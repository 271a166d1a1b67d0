// @ts-check
/**
 * The JavaScript side of the Pyodide sandbox: the boundary that must hold even
 * if Python gets hold of a JavaScript object (the Python-side lockdown is only
 * the outer layer). After it runs, no object in the worker reaches the host:
 *
 * 1. Node's host modules (fs, child_process, net, …) have every function
 *    replaced by one that throws, including in the module objects Pyodide and
 *    Emscripten imported while booting (`syncBuiltinESMExports`).
 * 2. Every global that is not a plain language built-in or a harmless web API
 *    is deleted: process, require, fetch, WebSocket, BroadcastChannel, …
 * 3. Code generation from strings is disabled (the approach of SES
 *    `lockdown()`): eval, and the Function, AsyncFunction, GeneratorFunction
 *    and AsyncGeneratorFunction constructors reached through any function's
 *    `constructor`, throw. Without them nothing can write `import()`, so no
 *    new host module can be loaded either.
 */
import childProcess from 'node:child_process';
import cluster from 'node:cluster';
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import inspector from 'node:inspector';
import nodeModule from 'node:module';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import v8 from 'node:v8';
import vm from 'node:vm';
import wasi from 'node:wasi';
import workerThreads from 'node:worker_threads';

const HOST_MODULES = /** @type {Record<string, any>} */ ({
  child_process: childProcess,
  cluster,
  dgram,
  dns,
  fs,
  'fs/promises': fsPromises,
  http,
  http2,
  https,
  inspector,
  module: nodeModule,
  net,
  os,
  tls,
  v8,
  vm,
  wasi,
  worker_threads: workerThreads,
});

/** Plain language built-ins, and web APIs that reach nothing outside the worker. */
const KEPT_GLOBALS = new Set([
  'Object',
  'Function',
  'Array',
  'Number',
  'parseFloat',
  'parseInt',
  'Infinity',
  'NaN',
  'undefined',
  'Boolean',
  'String',
  'Symbol',
  'Date',
  'Promise',
  'RegExp',
  'Error',
  'AggregateError',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'globalThis',
  'JSON',
  'Math',
  'Intl',
  'ArrayBuffer',
  'Uint8Array',
  'Int8Array',
  'Uint16Array',
  'Int16Array',
  'Uint32Array',
  'Int32Array',
  'Float32Array',
  'Float64Array',
  'Float16Array',
  'Uint8ClampedArray',
  'BigUint64Array',
  'BigInt64Array',
  'DataView',
  'Map',
  'BigInt',
  'Set',
  'WeakMap',
  'WeakSet',
  'Proxy',
  'Reflect',
  'FinalizationRegistry',
  'WeakRef',
  'Iterator',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'escape',
  'unescape',
  'eval',
  'isFinite',
  'isNaN',
  'SharedArrayBuffer',
  'Atomics',
  'WebAssembly',
  'console',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'queueMicrotask',
  'structuredClone',
  'atob',
  'btoa',
  'TextEncoder',
  'TextDecoder',
  'URL',
  'URLSearchParams',
  'DOMException',
  'AbortController',
  'AbortSignal',
  'Event',
  'EventTarget',
  'crypto',
  'Crypto',
  'CryptoKey',
  'SubtleCrypto',
  'performance',
  'Performance',
]);

/** @param {string} what */
function hostAccessDenied(what) {
  return function denied() {
    throw new Error(`${what} is disabled in this sandbox`);
  };
}

/** Replaces every function of Node's host modules, in this worker only. */
export function removeNodeCapabilities() {
  const sync = nodeModule.syncBuiltinESMExports;
  for (const [name, exports] of Object.entries(HOST_MODULES)) stubFunctions(exports, `node:${name}`, 2);
  sync();
}

/** @param {any} target @param {string} name @param {number} depth */
function stubFunctions(target, name, depth) {
  for (const key of Object.getOwnPropertyNames(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (!descriptor || !('value' in descriptor)) {
      if (descriptor?.configurable) Object.defineProperty(target, key, { value: undefined });
      continue;
    }
    const value = descriptor.value;
    try {
      if (typeof value === 'function') target[key] = hostAccessDenied(`${name}.${key}`);
      else if (depth > 0 && isPlainObject(value)) stubFunctions(value, `${name}.${key}`, depth - 1);
    } catch {
      // A frozen or non-writable export: nothing reaches it from the sandbox anyway.
    }
  }
}

/** @param {unknown} value */
function isPlainObject(value) {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Deletes host globals and disables code generation from strings. */
export function lockDownRealm() {
  const processObject = /** @type {any} */ (globalThis).process;
  if (processObject) {
    for (const key of ['binding', '_linkedBinding', 'dlopen', 'kill', 'exit', 'reallyExit', 'abort', 'chdir'])
      try {
        processObject[key] = hostAccessDenied(`process.${key}`);
      } catch {}
  }
  for (const key of Reflect.ownKeys(globalThis)) {
    if (typeof key !== 'string' || KEPT_GLOBALS.has(key)) continue;
    try {
      delete (/** @type {any} */ (globalThis)[key]);
    } catch {}
    if (key in globalThis) Object.defineProperty(globalThis, key, { value: undefined, configurable: false });
  }
  const silent = () => {};
  Object.defineProperty(globalThis, 'console', {
    value: Object.freeze({
      log: silent,
      info: silent,
      warn: silent,
      error: silent,
      debug: silent,
      trace: silent,
    }),
    writable: false,
    configurable: false,
  });

  const noCodeGeneration = function codeGenerationDisabled() {
    throw new EvalError('evaluating code from strings is disabled in this sandbox');
  };
  Object.defineProperty(noCodeGeneration, 'prototype', { value: Function.prototype, writable: false });
  const prototypes = [
    Function.prototype,
    Object.getPrototypeOf(async () => {}),
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function* () {}),
  ];
  for (const prototype of prototypes) {
    Object.defineProperty(prototype, 'constructor', {
      value: noCodeGeneration,
      writable: false,
      configurable: false,
      enumerable: false,
    });
  }
  Object.defineProperty(globalThis, 'Function', {
    value: noCodeGeneration,
    writable: false,
    configurable: false,
  });
  Object.defineProperty(globalThis, 'eval', {
    value: function evalDisabled() {
      throw new EvalError('evaluating code from strings is disabled in this sandbox');
    },
    writable: false,
    configurable: false,
  });
}
