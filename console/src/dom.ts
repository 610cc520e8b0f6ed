/** Attributes `h` sets: `text` becomes textContent, `on*` functions become listeners, booleans toggle attributes. */
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes and children; falsy children are skipped, so conditions read inline. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** The element with `id`; a page without it is a bug, so it throws naming the id. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  return element as T;
}

/** Shows or hides an element with the `hidden` attribute. */
export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}

/** Shows `message` in an alert element (role="alert"), or hides it when there is none. */
export function alertIn(element: HTMLElement, message: string | undefined): void {
  element.textContent = message ?? '';
  element.hidden = !message;
}

/** Says `message` to screen readers through the page's polite live region. */
export function announce(message: string): void {
  const region = byId('announcer');
  // Clearing first makes a repeated message be read again.
  region.textContent = '';
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}

/** Disables a button while `work` runs, so a double click cannot send a request twice. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
