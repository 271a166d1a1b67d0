import { formatTime } from './format.js';
import { ErrorNote } from './parts.js';
import type { PolicyView } from './policy-editor.js';
import { useLoad } from './use-load.js';
import { VersionDiff } from './version-diff.js';

/** What a version says, as text to diff: its effect and description, then its Cedar. */
const policyText = (version: PolicyView) =>
  [`effect: ${version.effect}`, `description: ${version.description ?? ''}`, '', version.policy].join('\n');

/** A policy's versions, newest first, each with its text, and the diff between any two. */
export function PolicyVersions({ policy }: { policy: PolicyView }) {
  const versions = useLoad(
    (client) => client.policies.versions(policy.id, { limit: 50 }),
    `${policy.id}@${policy.version}`,
  );
  const list = (versions.data?.data ?? []) as unknown as PolicyView[];
  return (
    <section className="panel" aria-label={`Versions of ${policy.name}`}>
      <h2>Versions</h2>
      <ErrorNote error={versions.error} />
      {list.length > 1 ? <VersionDiff versions={list} textOf={policyText} /> : null}
      <ol className="versions" reversed>
        {list.map((version) => (
          <li key={version.version}>
            <details open={version.version === policy.version}>
              <summary>
                Version {version.version} · {version.effect} · {formatTime(version.created_at)}
                {version.version === policy.version ? ' (current)' : ''}
              </summary>
              <pre>{version.policy}</pre>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
