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
  const data = event.EventData;
  let out: JsonEvent;
  // The usual evtx_dump EventData (plain names and scalar values) is copied whole: a spread clones the object's
  // shape at once, where adding its fields one by one costs a transition each.
  if (isRecord(data) && isPlainData(data)) out = { ...data };
  else {
    out = {};
    if (isRecord(data)) addData(out, data);
    else if (Array.isArray(data)) for (let i = 0; i < data.length; i++) out[`Data${i}`] = text(data[i]);
  }
  const userData = event.UserData;
  if (isRecord(userData)) {
    for (const key in userData) {
      if (!Object.hasOwn(userData, key) || key.startsWith('#')) continue;
      const inner = userData[key];
      if (isRecord(inner)) addData(out, inner);
      else out[key] = text(inner);
    }
  }
  // System fields, unless EventData has one of that name. Each is written by name (a store site per field keeps
  // the object's shape transitions cached; JSON never gives `undefined`, so `=== undefined` means absent).
  const o = out as Record<SystemField, unknown>;
  let v: unknown;
  if (o.EventID === undefined && (v = text(system.EventID)) !== undefined) o.EventID = v;
  if (o.Channel === undefined && system.Channel !== undefined) o.Channel = system.Channel;
  if (o.Computer === undefined && system.Computer !== undefined) o.Computer = system.Computer;
  const provider = attributes(system.Provider);
  if (provider !== undefined) {
    if (o.Provider_Name === undefined && provider.Name !== undefined) o.Provider_Name = provider.Name;
    if (o.Provider_Guid === undefined && provider.Guid !== undefined) o.Provider_Guid = provider.Guid;
    if (o.EventSourceName === undefined && provider.EventSourceName !== undefined)
      o.EventSourceName = provider.EventSourceName;
  }
  if (o.Version === undefined && (v = text(system.Version)) !== undefined) o.Version = v;
  if (o.Level === undefined && (v = text(system.Level)) !== undefined) o.Level = v;
  if (o.Task === undefined && (v = text(system.Task)) !== undefined) o.Task = v;
  if (o.Opcode === undefined && (v = text(system.Opcode)) !== undefined) o.Opcode = v;
  if (o.Keywords === undefined && (v = text(system.Keywords)) !== undefined) o.Keywords = v;
  if (o.EventRecordID === undefined && (v = text(system.EventRecordID)) !== undefined) o.EventRecordID = v;
  if (o.TimeCreated === undefined && (v = attributes(system.TimeCreated)?.SystemTime) !== undefined) o.TimeCreated = v;
  const execution = attributes(system.Execution);
  if (execution !== undefined) {
    if (o.ExecutionProcessID === undefined && execution.ProcessID !== undefined)
      o.ExecutionProcessID = execution.ProcessID;
    if (o.ExecutionThreadID === undefined && execution.ThreadID !== undefined) o.ExecutionThreadID = execution.ThreadID;
  }
  if (o.SecurityUserID === undefined && (v = attributes(system.Security)?.UserID) !== undefined) o.SecurityUserID = v;
  return out;
}

type SystemField =
  | 'EventID'
  | 'Channel'
  | 'Computer'
  | 'Provider_Name'
  | 'Provider_Guid'
  | 'EventSourceName'
  | 'Version'
  | 'Level'
  | 'Task'
  | 'Opcode'
  | 'Keywords'
  | 'EventRecordID'
  | 'TimeCreated'
  | 'ExecutionProcessID'
  | 'ExecutionThreadID'
  | 'SecurityUserID';

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

/** Whether EventData is `{ Name: scalar }` only: no `#` keys, no spaced names, no `Data` list, no nested objects. */
function isPlainData(data: Record<string, unknown>): boolean {
  for (const key in data) {
    if (!Object.hasOwn(data, key)) return false;
    const v = data[key];
    if (typeof v === 'object' && v !== null) return false;
    if (key.charCodeAt(0) === 35 || key.includes(' ')) return false;
  }
  return true;
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
