import { Api, loadEndpoints } from './api';
import { customerView } from './customer';
import { h } from './dom';
import { lang, setLang, t } from './i18n';
import { type Context, savedSession, saveSession } from './session';
import { staffView } from './staff';

/**
 * Two views on one page, chosen by the hash: `#/` for customers and
 * `#/staff` for pharmacy staff. Everything goes through the GraphQL
 * endpoint and the Socket.IO relay.
 */
async function start(): Promise<void> {
  const endpoints = await loadEndpoints();
  const api = new Api(endpoints.graphqlUrl);
  const saved = savedSession();
  api.token = saved?.token;
  let user = saved?.user;
  let cleanups: (() => void)[] = [];
  const root = document.getElementById('app') as HTMLElement;

  function render(): void {
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
    const staffPage = location.hash.startsWith('#/staff');
    const ctx: Context = {
      api,
      endpoints,
      user,
      signedIn(next) {
        user = next;
        saveSession(api.token, next);
        render();
      },
      signOut() {
        user = undefined;
        api.token = undefined;
        saveSession(undefined);
        render();
      },
      onLeave: (cleanup) => cleanups.push(cleanup),
    };
    document.documentElement.lang = lang();
    root.replaceChildren(
      header(ctx, staffPage, render),
      h('main', { id: 'main' }, staffPage ? staffView(ctx) : customerView(ctx)),
    );
  }

  window.addEventListener('hashchange', render);
  render();
}

function header(
  ctx: Context,
  staffPage: boolean,
  render: () => void,
): HTMLElement {
  const link = (href: string, label: string, current: boolean) =>
    h('a', { href, ...(current && { 'aria-current': 'page' }) }, label);
  return h(
    'header',
    {},
    h('a', { class: 'skip', href: '#main' }, t('skip')),
    h('strong', { class: 'brand' }, t('appTitle')),
    h(
      'nav',
      { 'aria-label': t('views') },
      link('#/', t('customerView'), !staffPage),
      link('#/staff', t('staffView'), staffPage),
    ),
    ctx.user &&
      h(
        'span',
        { class: 'who', 'data-testid': 'signed-in' },
        `${t('signedInAs')} ${ctx.user.name} (${ctx.user.role})`,
      ),
    ctx.user &&
      h('button', { type: 'button', onclick: ctx.signOut }, t('signOut')),
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'lang',
        lang: lang() === 'en' ? 'fr' : 'en',
        onclick: () => {
          setLang(lang() === 'en' ? 'fr' : 'en');
          render();
        },
      },
      t('switchLang'),
    ),
  );
}

void start();
