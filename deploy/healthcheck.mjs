// The container health check: exits 0 when every path given (e.g. /healthz
// /readyz) answers 200 on this container's agentd, at AGENTD_PORT (8787 when unset).
const port = process.env.AGENTD_PORT || '8787';
const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: node healthcheck.mjs /healthz [/readyz ...]');
  process.exit(2);
}
for (const path of paths) {
  let status;
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    status = error instanceof Error ? error.message : String(error);
  }
  if (status !== 200) {
    console.error(`agentd health check: ${path} answered ${status}`);
    process.exit(1);
  }
}
