export { type RemoteRunOptions, remoteRun } from './remote-run.js';
export { createEventRenderer, type Output } from './render-events.js';
