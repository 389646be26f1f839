/**
 * Windows events as evtx_dump writes them (`{"Event": {"System": …,
 * "EventData": … | "UserData": …}}`) flattened to the field names Sigma rules
 * use: the EventData / UserData names, then `EventID`, `Channel`,
 * `Provider_Name`, `Computer` and the other System fields. Anything that is not
 * in that shape is returned as it is.
 */
import { isRecord, type JsonEvent } from '../events/view.ts';

/** Whether a JSON value looks like an evtx_dump record. */
export function isEvtxRecord(value: unknown): value is { Event: { System: Record<string, unknown> } } {
  return isRecord(value) && isRecord(value.Event) && isRecord(value.Event.System);
}

/** Flattens an evtx_dump record; other events are returned unchanged. */
export function flattenWindowsEvent(value: JsonEvent): JsonEvent {
  if (!isEvtxRecord(value)) return value;
  const event = value.Event as Record<string, unknown>;
  const system = event.System as Record<string, unknown>;
  const out: JsonEvent = {};
  const data = event.EventData;
  if (isRecord(data)) addData(out, data);
  else if (Array.isArray(data)) for (let i = 0; i < data.length; i++) out[`Data${i}`] = text(data[i]);
  const userData = event.UserData;
  if (isRecord(userData)) {
    for (const key in userData) {
      if (!Object.hasOwn(userData, key) || key.startsWith('#')) continue;
      const inner = userData[key];
      if (isRecord(inner)) addData(out, inner);
      else out[key] = text(inner);
    }
  }
  put(out, 'EventID', text(system.EventID));
  put(out, 'Channel', system.Channel);
  put(out, 'Computer', system.Computer);
  const provider = attributes(system.Provider);
  if (provider !== undefined) {
    put(out, 'Provider_Name', provider.Name);
    put(out, 'Provider_Guid', provider.Guid);
    put(out, 'EventSourceName', provider.EventSourceName);
  }
  for (let i = 0; i < SYSTEM_TEXT_FIELDS.length; i++) {
    const key = SYSTEM_TEXT_FIELDS[i]!;
    put(out, key, text(system[key]));
  }
  put(out, 'TimeCreated', attributes(system.TimeCreated)?.SystemTime);
  const execution = attributes(system.Execution);
  if (execution !== undefined) {
    put(out, 'ExecutionProcessID', execution.ProcessID);
    put(out, 'ExecutionThreadID', execution.ThreadID);
  }
  put(out, 'SecurityUserID', attributes(system.Security)?.UserID);
  return out;
}

const SYSTEM_TEXT_FIELDS = ['Version', 'Level', 'Task', 'Opcode', 'Keywords', 'EventRecordID'];

/** Sets a System field unless EventData already has one of that name. */
function put(out: JsonEvent, name: string, v: unknown): void {
  if (v !== undefined && !(name in out)) out[name] = v;
}

function addData(out: JsonEvent, data: Record<string, unknown>): void {
  // `EventData: { Data: [{ "#attributes": { Name }, "#text": v }] }` (some exporters) or `{ Name: value }` (evtx_dump).
  const list = data.Data;
  const isList = Array.isArray(list);
  if (isList) {
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      const name = isRecord(item) ? attributes(item)?.Name : undefined;
      out[typeof name === 'string' ? name : `Data${i}`] = text(item);
    }
  }
  for (const key in data) {
    if (!Object.hasOwn(data, key) || key.startsWith('#') || (isList && key === 'Data')) continue;
    const v = text(data[key]);
    out[key] = v;
    // Defender writes `Threat Name`; Sigma rules (and pySigma's pipelines) say `ThreatName`.
    if (key.includes(' ')) {
      const joined = key.replaceAll(' ', '');
      if (!(joined in data)) out[joined] = v;
    }
  }
}

/** The `#attributes` object of an element, if it has one. */
function attributes(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const attrs = value['#attributes'];
  return isRecord(attrs) ? attrs : undefined;
}

/** `{"#text": v, "#attributes": …}` -> v; everything else as it is. */
function text(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && '#text' in value)
    return (value as Record<string, unknown>)['#text'];
  return value;
}
