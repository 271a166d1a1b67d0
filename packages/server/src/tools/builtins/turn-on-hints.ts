/** The Debian packages the CPython runtime needs (as `npm start` installs them when run as root). */
export const CPYTHON_PACKAGES = 'bubblewrap python3 python3-numpy python3-pandas python3-matplotlib';

/** How to turn on a built-in tool or runtime that a switch turned off. */
export function switchHint(variable: string): string {
  return `unset ${variable} (or set it to on) and restart`;
}

/** How to get the CPython runtime: its programs, or its switch. */
export function cpythonHint(turnedOff: boolean): string {
  return turnedOff
    ? 'set AGENTD_CODE_INTERPRETER_CPYTHON=auto and restart'
    : `install ${CPYTHON_PACKAGES.split(' ').slice(0, 2).join(' and ')} (apt-get install ${CPYTHON_PACKAGES}; npm start does it when run as root) and restart`;
}

/** How to get the browser: a Chromium where agentd looks for one. */
export function chromiumHint(): string {
  return 'install Chromium (apt-get install chromium; npm start does it when run as root) or point AGENTD_CHROMIUM_PATH at one, and restart';
}
