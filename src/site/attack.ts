/**
 * ATT&CK names from MITRE's STIX 2 bundle (enterprise-attack.json): technique
 * and tactic names, and the matrix's tactic order. Pure: the caller reads the
 * file.
 */
import { TACTICS } from '../core/detection/frontmatter-fields.ts';

/** Names of ATT&CK techniques and tactics, when a bundle is configured. */
export interface AttackNames {
  /** By ATT&CK id (`T1059`, `T1059.001`): MITRE's name and the tactics (kill-chain phases) it serves. */
  techniques: Map<string, { name: string; tactics: string[]; parent?: string }>;
  /** Tactic shortname (`defense-evasion`) -> name (`Defense Evasion`). */
  tactics: Map<string, string>;
  /** Tactic shortnames in the matrix's order (the bundle's x-mitre-matrix, else Loom's tactic list). */
  tacticOrder: string[];
  /** The ATT&CK release (`18.1`: the x-mitre-collection's version), when the bundle says. */
  version?: string;
}

type StixObject = Record<string, unknown>;

interface ExternalReference {
  source_name?: unknown;
  external_id?: unknown;
}

function mitreId(o: StixObject): string | undefined {
  const refs = o['external_references'];
  if (!Array.isArray(refs)) return undefined;
  const ref = (refs as ExternalReference[]).find((r) => r?.source_name === 'mitre-attack');
  return typeof ref?.external_id === 'string' ? ref.external_id : undefined;
}

const current = (o: StixObject) => o['revoked'] !== true && o['x_mitre_deprecated'] !== true;

function objectsOf(bundle: unknown): StixObject[] {
  const objects = (bundle as { objects?: unknown } | null)?.objects;
  return Array.isArray(objects) ? (objects.filter((o) => o && typeof o === 'object') as StixObject[]) : [];
}

/**
 * What makes `bundle` unusable as an ATT&CK STIX bundle (a phrase such as
 * "no `objects` array"), or undefined when it is a STIX `bundle` with
 * attack-pattern objects carrying ATT&CK ids (`external_references` from `mitre-attack`).
 */
export function stixBundleProblem(bundle: unknown): string | undefined {
  if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle))
    return Array.isArray(bundle) ? 'a JSON array, not an object' : 'not a JSON object';
  const b = bundle as { type?: unknown; objects?: unknown };
  if (b.type !== 'bundle') return `\`"type"\` is \`${JSON.stringify(b.type ?? null)}\`, not \`"bundle"\``;
  if (!Array.isArray(b.objects)) return 'no `objects` array';
  const patterns = objectsOf(bundle).filter((o) => o['type'] === 'attack-pattern' && mitreId(o));
  if (patterns.length === 0) return 'no attack-pattern objects with ATT&CK ids';
  return undefined;
}

/** ATT&CK names from a STIX 2 bundle: current techniques (with sub-techniques) and tactics; revoked and deprecated objects are skipped. */
export function attackNamesFromStix(bundle: unknown): AttackNames {
  const techniques: AttackNames['techniques'] = new Map();
  const tactics = new Map<string, string>();
  const tacticByStixId = new Map<string, string>();
  const matrices: StixObject[] = [];
  let version: string | undefined;
  for (const o of objectsOf(bundle)) {
    if (o['type'] === 'x-mitre-collection' && typeof o['x_mitre_version'] === 'string')
      version ??= o['x_mitre_version'];
    if (!current(o)) continue;
    if (o['type'] === 'x-mitre-matrix') matrices.push(o);
    if (o['type'] === 'x-mitre-tactic' && typeof o['x_mitre_shortname'] === 'string') {
      tactics.set(o['x_mitre_shortname'], String(o['name'] ?? o['x_mitre_shortname']));
      if (typeof o['id'] === 'string') tacticByStixId.set(o['id'], o['x_mitre_shortname']);
    }
    if (o['type'] !== 'attack-pattern') continue;
    const id = mitreId(o);
    if (!id || typeof o['name'] !== 'string') continue;
    const phases = Array.isArray(o['kill_chain_phases'])
      ? (o['kill_chain_phases'] as { kill_chain_name?: unknown; phase_name?: unknown }[])
          .filter((p) => p?.kill_chain_name === 'mitre-attack' && typeof p.phase_name === 'string' && p.phase_name)
          .map((p) => p.phase_name as string)
      : [];
    const dot = id.indexOf('.');
    techniques.set(id, { name: o['name'], tactics: phases, ...(dot > 0 ? { parent: id.slice(0, dot) } : {}) });
  }
  const names: AttackNames = { techniques, tactics, tacticOrder: tacticOrder(matrices, tacticByStixId, tactics) };
  if (version !== undefined) names.version = version;
  return names;
}

/** The matrix's tactic order: the enterprise x-mitre-matrix's `tactic_refs` when present, else Loom's list, then the rest by name. */
function tacticOrder(
  matrices: StixObject[],
  tacticByStixId: Map<string, string>,
  tactics: Map<string, string>,
): string[] {
  const matrix =
    matrices.find((m) => mitreId(m) === 'enterprise-attack') ?? matrices.find((m) => Array.isArray(m['tactic_refs']));
  const order: string[] = [];
  if (matrix && Array.isArray(matrix['tactic_refs']))
    for (const ref of matrix['tactic_refs']) {
      const short = typeof ref === 'string' ? tacticByStixId.get(ref) : undefined;
      if (short && !order.includes(short)) order.push(short);
    }
  const loom = (t: string) => {
    const i = (TACTICS as readonly string[]).indexOf(t);
    return i === -1 ? TACTICS.length : i;
  };
  const rest = [...tactics.keys()]
    .filter((t) => !order.includes(t))
    .sort((a, b) => loom(a) - loom(b) || tactics.get(a)!.localeCompare(tactics.get(b)!, 'en'));
  return [...order, ...rest];
}

/** A technique's display name: `PowerShell` -> `Command and Scripting Interpreter: PowerShell` for a sub-technique. */
export function techniqueName(id: string, names?: AttackNames): string | undefined {
  const t = names?.techniques.get(id);
  if (!t) return undefined;
  const parent = t.parent ? names!.techniques.get(t.parent) : undefined;
  return parent ? `${parent.name}: ${t.name}` : t.name;
}
