const FORMS = new Set(['nfc', 'nfd', 'nfkc', 'nfkd']);

/** `util.str`: string helpers. */
export function createStringUtils() {
  return {
    normalize(value: string, normalizationType: string): string {
      const form = String(normalizationType).toLowerCase();
      if (!FORMS.has(form)) throw new Error(`Unknown normalization type '${normalizationType}'; use nfc, nfd, nfkc or nfkd`);
      return String(value).normalize(form.toUpperCase());
    },
  };
}
