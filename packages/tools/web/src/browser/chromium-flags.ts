/**
 * The features playwright-core (1.65.1, its chromiumSwitches) disables at
 * every launch. Chromium reads only the last `--disable-features` on its
 * command line, so a launch that disables anything of its own must repeat
 * these; `browser-flags.test.ts` checks the list against the command line
 * Playwright really builds, so an upgrade that adds one fails there.
 */
export const PLAYWRIGHT_DISABLED_FEATURES: readonly string[] = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Browser UI that headless Chromium (the full browser since the old headless
 * mode went) builds for every window, and so for every context, though no
 * one ever sees it: the omnibox popup, two WebUI pages in a renderer of its
 * own. Measured (ADR-0027, seventh session): about 1 s of Chromium CPU per
 * new context, most of it in the 1.5 s after the context was made.
 */
export const UNSEEN_BROWSER_UI_FEATURES: readonly string[] = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
];

const DISABLE = '--disable-features=';

/**
 * The arguments our launch adds to Playwright's: Chromium's own network
 * access sent to the blackhole proxy, and one `--disable-features` that
 * holds Playwright's, ours and any in `extraArgs` (which would otherwise
 * replace them all).
 */
export function chromiumArgs(proxyPort: number, extraArgs: readonly string[] = []): string[] {
  const disabled = new Set([...PLAYWRIGHT_DISABLED_FEATURES, ...UNSEEN_BROWSER_UI_FEATURES]);
  const rest: string[] = [];
  for (const arg of extraArgs) {
    if (!arg.startsWith(DISABLE)) rest.push(arg);
    else for (const feature of arg.slice(DISABLE.length).split(',')) if (feature) disabled.add(feature);
  }
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--disable-extensions',
    '--disable-default-apps',
    '--mute-audio',
    `--proxy-server=http://127.0.0.1:${proxyPort}`,
    '--proxy-bypass-list=<-loopback>',
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    `${DISABLE}${[...disabled].join(',')}`,
    ...rest,
  ];
}
