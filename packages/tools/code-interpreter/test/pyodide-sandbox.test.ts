import { describeSandboxContract } from '@agentd/testing';
import { PyodideSandbox } from '../src/index.js';

const openPorts = () => process.getActiveResourcesInfo().filter((name) => name === 'MessagePort');

describeSandboxContract('PyodideSandbox', async () => {
  const before = openPorts().length;
  const sandbox = new PyodideSandbox({ poolSize: 2, outputLimits: { stdoutChars: 2_000 } });
  return {
    sandbox,
    ready: () => sandbox.ready(),
    coldStarts: () => sandbox.stats.coldStarts,
    // Each worker holds message ports; the ones beyond those open before the sandbox started are its own.
    leftovers: () => openPorts().slice(before),
    internalFrames: /agentd|_pyodide|pyodide\//,
  };
});
