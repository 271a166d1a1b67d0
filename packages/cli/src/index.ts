export { createEventRenderer, type Output } from './render-events.js';
export { type RunOptions, runCommand } from './run-command.js';
