// The demo page's DOM helpers: elements, avatars, toasts.

export const $ = id => document.getElementById(id);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function hue(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

export function avatar(name, cls = 'avatar') {
  const a = el('span', cls, (name[0] || '?').toUpperCase());
  a.style.setProperty('--h', hue(name));
  a.setAttribute('aria-hidden', 'true');
  return a;
}

/** A note in the corner for 5 s; with `onClick`, a button that does it (and goes away). */
export function toast(text, kind = 'info', onClick = null) {
  const t = el(onClick ? 'button' : 'div', 'toast ' + kind, text);
  if (onClick) {
    t.type = 'button';
    t.addEventListener('click', () => { t.remove(); onClick(); });
  }
  $('toasts').append(t);
  setTimeout(() => t.classList.add('out'), 4500);
  setTimeout(() => t.remove(), 5000);
}
