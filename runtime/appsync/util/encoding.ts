// Encoding helpers. AppSync's utilities are backed by Java, so these follow the Java behaviour the
// docs point to: URLEncoder/URLDecoder (application/x-www-form-urlencoded) and Apache Commons'
// escapeEcmaScript.

const UNRESERVED = /[A-Za-z0-9.\-*_]/;

/** `util.urlEncode`: application/x-www-form-urlencoded, spaces as `+`, UTF-8 bytes as upper-case `%XX`. */
export function urlEncode(value: string): string {
  let out = '';
  for (const char of String(value)) {
    if (UNRESERVED.test(char)) out += char;
    else if (char === ' ') out += '+';
    else {
      for (const byte of new TextEncoder().encode(char)) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}

/** `util.urlDecode`: the inverse of `urlEncode`; `+` becomes a space. */
export function urlDecode(value: string): string {
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

/** `util.base64Encode`: the UTF-8 bytes of the string, base64 encoded. */
export function base64Encode(value: string): string {
  return Buffer.from(String(value), 'utf8').toString('base64');
}

/** `util.base64Decode`: decodes base64 into a UTF-8 string. */
export function base64Decode(value: string): string {
  return Buffer.from(String(value), 'base64').toString('utf8');
}

const ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

/** `util.escapeJavaScript`: escapes quotes, backslash, slash, control and non-ASCII characters. */
export function escapeJavaScript(value: string): string {
  let out = '';
  for (const char of String(value)) {
    const escaped = ESCAPES[char];
    if (escaped) {
      out += escaped;
      continue;
    }
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e) {
      out += char;
      continue;
    }
    // Java escapes UTF-16 code units, so characters outside the BMP become a surrogate pair
    for (let i = 0; i < char.length; i += 1) {
      out += `\\u${char.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return out;
}
