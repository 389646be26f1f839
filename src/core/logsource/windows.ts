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
  else if (Array.isArray(data)) data.forEach((item, i) => (out[`Data${i}`] = text(item)));
  const userData = event.UserData;
  if (isRecord(userData)) {
    for (const [key, inner] of Object.entries(userData)) {
      if (key.startsWith('#')) continue;
      if (isRecord(inner)) addData(out, inner);
      else out[key] = text(inner);
    }
  }
  const put = (name: string, v: unknown): void => {
    if (v !== undefined && !(name in out)) out[name] = v;
  };
  put('EventID', text(system.EventID));
  put('Channel', system.Channel);
  put('Computer', system.Computer);
  const provider = attributes(system.Provider);
  put('Provider_Name', provider.Name);
  put('Provider_Guid', provider.Guid);
  put('EventSourceName', provider.EventSourceName);
  for (const key of ['Version', 'Level', 'Task', 'Opcode', 'Keywords', 'EventRecordID']) put(key, text(system[key]));
  put('TimeCreated', attributes(system.TimeCreated).SystemTime);
  const execution = attributes(system.Execution);
  put('ExecutionProcessID', execution.ProcessID);
  put('ExecutionThreadID', execution.ThreadID);
  put('SecurityUserID', attributes(system.Security).UserID);
  return out;
}

function addData(out: JsonEvent, data: Record<string, unknown>): void {
  // `EventData: { Data: [{ "#attributes": { Name }, "#text": v }] }` (some exporters) or `{ Name: value }` (evtx_dump).
  const list = data.Data;
  if (Array.isArray(list)) {
    list.forEach((item, i) => {
      const name = isRecord(item) ? attributes(item).Name : undefined;
      out[typeof name === 'string' ? name : `Data${i}`] = text(item);
    });
  }
  for (const [key, v] of Object.entries(data)) {
    if (key.startsWith('#') || (key === 'Data' && Array.isArray(list))) continue;
    out[key] = text(v);
    // Defender writes `Threat Name`; Sigma rules (and pySigma's pipelines) say `ThreatName`.
    if (key.includes(' ')) {
      const joined = key.replaceAll(' ', '');
      if (!(joined in data)) out[joined] = text(v);
    }
  }
}

function attributes(value: unknown): Record<string, unknown> {
  return isRecord(value) && isRecord(value['#attributes']) ? value['#attributes'] : {};
}

/** `{"#text": v, "#attributes": …}` -> v; everything else as it is. */
function text(value: unknown): unknown {
  if (isRecord(value) && '#text' in value) return value['#text'];
  return value;
}
