// The demo page on a phone-sized screen (390×844, an iPhone 12-15): fields iOS does not zoom into,
// a menu button a thumb can hit whose badge stays clear of the title, a toast for a direct message
// (the conversation list is hidden), the counter at the length limit, a footer without a cut-off
// device id, "last seen" for someone who just left, and a Leave that asks first.
import { run, check, expect, openPage, login, shot, synced, drawerClosed, PHONE } from './harness.mjs';

const box = (page, sel) => page.$eval(sel, e => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height }; });
const fontPx = (page, sel) => page.$eval(sel, e => parseFloat(getComputedStyle(e).fontSize));
const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;

export async function phone(base) {
  const PIA = 'pia-' + run;
  const QUINN = 'quinn-' + run;
  const P = await openPage('pia-phone', PHONE);
  const Q = await openPage('quinn');
  await P.page.goto(base + '/');
  const loginFont = await fontPx(P.page, '#login-name');
  check(loginFont >= 16, 'phone: the login field is at 16 px or more (iOS zooms into smaller ones)', loginFont + 'px');
  await login(P.page, base, PIA);
  await login(Q.page, base, QUINN);
  await synced(P.page);
  for (const sel of ['#input', '#join-input', '#dm-input']) {
    const px = await fontPx(P.page, sel);
    check(px >= 16, `phone: ${sel} is at 16 px or more`, px + 'px');
  }
  const menu = await box(P.page, '#menu');
  check(menu.width >= 44 && menu.height >= 44, 'phone: the menu button is at least 44×44 px', `${menu.width}×${menu.height}`);

  // a direct message while pia reads the lobby
  await expect(Q.page.waitForSelector(`#member-list [data-user="${PIA}"]`), 'quinn sees pia in the lobby');
  await Q.page.click(`#member-list [data-user="${PIA}"]`);
  await Q.page.fill('#input', 'are you on your phone?');
  await Q.page.press('#input', 'Enter');
  await expect(P.page.waitForSelector('#toasts .toast.dm'), 'phone: a direct message shows a toast');
  const toastText = await P.page.textContent('#toasts .toast.dm');
  check(toastText === `${QUINN}: are you on your phone?`, 'the toast says who wrote what', toastText);
  await P.page.waitForSelector('#menu-badge:not([hidden])');
  const badge = await box(P.page, '#menu-badge');
  const title = await box(P.page, '#conv-title');
  check(apart(badge, title) && badge.right + 4 <= title.left, 'phone: the menu badge does not touch the title',
    `badge ${badge.left}-${badge.right}, title from ${title.left}`);
  check(badge.top >= 0, 'phone: the badge is not cut off at the top', String(badge.top));
  await shot(P.page, '10-phone-dm-toast');
  await P.page.click('#toasts .toast.dm');
  check((await P.page.textContent('#conv-title')) === '@ ' + QUINN, 'tapping the toast opens the conversation');
  check((await P.page.textContent('#conv-sub')) === 'online', 'quinn is online');

  // quinn leaves: "last seen", not "not seen online"
  await Q.context.close();
  await expect(P.page.waitForFunction(() => document.querySelector('#conv-sub').textContent !== 'online'),
    'phone: quinn goes offline');
  const sub = await P.page.textContent('#conv-sub');
  const cutSub = await P.page.$eval('#conv-sub', e => e.scrollWidth > e.clientWidth);
  check(sub === 'last seen just now' && !cutSub, 'someone who just left was "last seen just now", not cut off', sub);

  // the length limit
  await P.page.fill('#input', 'short');
  check(await P.page.$eval('#counter', e => e.hidden), 'no counter far from the limit');
  await P.page.fill('#input', 'x'.repeat(4000));
  await P.page.dispatchEvent('#input', 'input');
  const counter = await box(P.page, '#counter');
  const counterText = await P.page.textContent('#counter');
  check(counter.width > 0 && counter.right <= PHONE.width && counter.bottom <= PHONE.height && counterText === '4,000 / 4,000 · limit reached',
    'phone: at 4,000 characters a counter says the limit is reached, on screen', `${counterText} at ${JSON.stringify(counter)}`);
  await shot(P.page, '11-phone-counter');
  await P.page.fill('#input', '');
  await P.page.dispatchEvent('#input', 'input');

  // the drawer: no device id in the footer, nothing cut off
  await P.page.click('#menu');
  await P.page.waitForFunction(() => document.querySelector('#sidebar').getBoundingClientRect().left >= 0);
  const footer = await P.page.textContent('.me');
  const cut = await P.page.$eval('#me-name', e => e.scrollWidth > e.clientWidth);
  check(!/device|web-/.test(footer) && !cut, 'phone: the footer shows the name, no device id, nothing cut off', footer.trim());
  await shot(P.page, '12-phone-drawer');

  // a room of one's own, then Leave, which asks first
  const room = 'pocket-' + run;
  await P.page.fill('#join-input', room);
  await P.page.press('#join-input', 'Enter');
  await P.page.waitForFunction(r => document.querySelector('#conv-title').textContent === '# ' + r, room);
  await drawerClosed(P.page);
  await shot(P.page, '13-phone-empty-room');
  await P.page.click('#leave');
  await expect(P.page.waitForSelector('#leave-dialog[open]'), 'phone: Leave asks first');
  const dialog = await box(P.page, '#leave-dialog');
  check(dialog.left >= 0 && dialog.right <= PHONE.width, 'phone: the question fits the screen', JSON.stringify(dialog));
  await shot(P.page, '14-phone-leave-dialog');
  await P.page.click('#leave-dialog button[value="cancel"]');
  check((await P.page.textContent('#conv-title')) === '# ' + room, 'phone: Cancel stays in the room');
  await P.page.click('#leave');
  await P.page.click('#leave-dialog button[value="leave"]');
  await expect(P.page.waitForFunction(() => document.querySelector('#conv-title').textContent === '# lobby'), 'phone: Leave leaves');
  await shot(P.page, '15-phone-lobby');
  await P.context.close();
}
