import { ApiError, type User } from './api';
import { field, h, showMessage } from './dom';
import { errorText, lang, t } from './i18n';
import type { Context } from './session';

interface Credentials {
  name: string;
  email: string;
  password: string;
}

/** Sign-in form, plus a registration form for customers. */
export function authForms(ctx: Context, allowRegister: boolean): HTMLElement {
  const login = credentialsForm(ctx, 'signIn', async (values) =>
    ctx.api.login(values.email, values.password),
  );
  if (!allowRegister) return h('div', { class: 'auth' }, login);
  const register = credentialsForm(ctx, 'register', async (values) =>
    ctx.api.register({
      email: values.email,
      password: values.password,
      name: values.name,
      locale: lang(),
    }),
  );
  return h('div', { class: 'auth' }, login, register);
}

function credentialsForm(
  ctx: Context,
  kind: 'signIn' | 'register',
  submit: (values: Credentials) => Promise<User>,
): HTMLElement {
  const id = kind === 'signIn' ? 'login' : 'register';
  const name = field(t('name'), { name: 'name', required: true });
  const email = field(t('email'), {
    name: 'email',
    type: 'email',
    autocomplete: 'username',
    required: true,
  });
  const password = field(t('password'), {
    name: 'password',
    type: 'password',
    autocomplete: kind === 'signIn' ? 'current-password' : 'new-password',
    required: true,
    minlength: kind === 'register' ? 8 : 1,
  });
  const message = h('p', { role: 'alert', class: 'message' });
  const button = h('button', { type: 'submit' }, t(kind));
  const form = h(
    'form',
    {
      'aria-labelledby': `${id}-title`,
      'data-testid': `${id}-form`,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        button.disabled = true;
        showMessage(message, undefined);
        try {
          const user = await submit({
            name: name.input.value,
            email: email.input.value,
            password: password.input.value,
          });
          ctx.signedIn(user);
        } catch (error) {
          showMessage(
            message,
            errorText(error instanceof ApiError ? error.code : 'UNKNOWN'),
          );
          button.disabled = false;
        }
      },
    },
    h('h2', { id: `${id}-title` }, t(kind)),
    kind === 'register' && name.wrapper,
    email.wrapper,
    password.wrapper,
    button,
    message,
  );
  return form;
}
