// util.xml: a small XML reader for HTTP data source responses. Elements become keys, repeated
// elements become lists, attributes become keys of their element, and text that reads as a number
// becomes a number, as the AppSync example (`<id>1</id>` → `"id": 1`) shows. DTDs are not read.

type XmlValue = string | number | boolean | null | XmlMap | XmlValue[];
interface XmlMap {
  [key: string]: XmlValue;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

function scalar(text: string): XmlValue {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  return decodeEntities(trimmed);
}

function addChild(map: XmlMap, name: string, value: XmlValue): void {
  if (!(name in map)) map[name] = value;
  else if (Array.isArray(map[name])) (map[name] as XmlValue[]).push(value);
  else map[name] = [map[name], value];
}

/** Parses an XML document into nested maps; returns null when it cannot be read. */
export function xmlToMap(xml: string): Record<string, unknown> | null {
  const source = String(xml)
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '');
  const root: XmlMap = {};
  const stack: { name: string; map: XmlMap; text: string; hasChildren: boolean }[] = [{ name: '', map: root, text: '', hasChildren: false }];
  const tag = /<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let match: RegExpExecArray | null;
  while ((match = tag.exec(source)) !== null) {
    const top = stack[stack.length - 1];
    if (match[1] !== undefined) top.text += match[1];
    else if (match[6] !== undefined) top.text += match[6];
    else if (match[2] === '/') {
      const closed = stack.pop();
      if (!closed || closed.name !== match[3] || stack.length === 0) return null;
      const value: XmlValue = closed.hasChildren || Object.keys(closed.map).length > 0 ? closed.map : closed.text.trim() === '' ? null : scalar(closed.text);
      stack[stack.length - 1].hasChildren = true;
      addChild(stack[stack.length - 1].map, closed.name, value);
    } else {
      const map: XmlMap = {};
      for (const attr of (match[4] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        map[attr[1]] = scalar(attr[2] ?? attr[3] ?? '');
      }
      if (match[5] === '/') {
        top.hasChildren = true;
        addChild(top.map, match[3], Object.keys(map).length > 0 ? map : null);
      } else stack.push({ name: match[3], map, text: '', hasChildren: false });
    }
  }
  return stack.length === 1 ? root : null;
}

/** `util.xml`: XML to a map or to a JSON string. */
export function createXmlUtils() {
  return {
    toMap: xmlToMap,
    toJsonString(xml: string, stringEncode = false): string {
      const json = JSON.stringify(xmlToMap(xml));
      return stringEncode ? JSON.stringify(json) : json;
    },
  };
}
