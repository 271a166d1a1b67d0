import type { RenderedObject } from './helm-chart.js';

type Obj = Record<string, unknown>;
export interface Container {
  name: string;
  env?: { name: string; value?: unknown; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: Obj;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
}
export interface PodSpec {
  containers: Container[];
  securityContext?: Obj;
  terminationGracePeriodSeconds?: number;
  hostUsers?: boolean;
}

export function podSpec(deployment: RenderedObject['object']): PodSpec {
  return (deployment as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

export function podLabels(deployment: RenderedObject['object']): Record<string, string> {
  return (deployment as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec
    .template.metadata.labels;
}

/**
 * The environment a container gets: its `env` entries, then what `envFrom`
 * brings from the chart's ConfigMaps and Secrets (env wins, as in
 * Kubernetes). A value read from a Secret the chart does not make (one the
 * user manages) comes from `standIns`, keyed by the variable's name; `names`
 * lists every variable the manifests set, wherever its value comes from.
 */
export function containerEnv(
  objects: RenderedObject[],
  container: Container,
  standIns: Record<string, string>,
): { env: Record<string, string>; names: string[]; external: string[] } {
  const byKindName = (kind: string, name: string) =>
    objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)?.object as Obj | undefined;
  const secretData = (secret: Obj): Record<string, string> => {
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries((secret.data as Obj | null) ?? {})) {
      data[key] = Buffer.from(String(value), 'base64').toString('utf8');
    }
    return { ...data, ...((secret.stringData as Record<string, string> | null) ?? {}) };
  };
  const env: Record<string, string> = {};
  const names: string[] = [];
  const external: string[] = [];
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const object = ref && byKindName(source.configMapRef ? 'ConfigMap' : 'Secret', ref.name);
    if (!ref || !object) {
      external.push(`envFrom ${ref?.name ?? '?'}`);
      continue;
    }
    const data = source.configMapRef
      ? ((object.data as Record<string, unknown> | null) ?? {})
      : secretData(object);
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') throw new Error(`${ref.name}: ${key} is ${String(value)}, not a string`);
      names.push(key);
      env[key] = value;
    }
  }
  for (const entry of container.env ?? []) {
    names.push(entry.name);
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = byKindName('Secret', ref.name);
      const value = secret ? secretData(secret)[ref.key] : standIns[entry.name];
      if (!secret) external.push(`${entry.name} from Secret ${ref.name}`);
      if (value === undefined) throw new Error(`${entry.name}: Secret ${ref.name} has no key ${ref.key}`);
      env[entry.name] = value;
    } else {
      // Kubernetes takes only strings here: a bare number or YAML 1.1 boolean (on, off, yes) is refused.
      if (typeof entry.value !== 'string')
        throw new Error(`${entry.name}: value ${String(entry.value)} is not a string`);
      env[entry.name] = entry.value;
    }
  }
  return { env, names: [...new Set(names)], external };
}

/** Every HTTP probe of a container: kind, path and port. */
export function probes(container: Container): { kind: string; path: string; port: string | number }[] {
  return (['startupProbe', 'livenessProbe', 'readinessProbe'] as const).flatMap((kind) => {
    const get = container[kind]?.httpGet;
    return get ? [{ kind, path: get.path, port: get.port }] : [];
  });
}
